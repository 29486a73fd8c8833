/**
 * The body of Alipay's `40004 Business Failed` answer: the call was well formed and signed, but
 * the business rule refused it (`sub_code` says which).
 *
 * @example
 * ```ts
 * businessError('ACQ.TRADE_NOT_EXIST', '交易不存在');
 * // { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.TRADE_NOT_EXIST', sub_msg: '交易不存在' }
 * ```
 */
export function businessError(subCode: string, subMsg: string): Record<string, string> {
  return { code: '40004', msg: 'Business Failed', sub_code: subCode, sub_msg: subMsg };
}
