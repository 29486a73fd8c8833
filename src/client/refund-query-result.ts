import type { AlipayGatewayAnswer } from '../errors/index.js';
import type { Amount } from '../map/amount.js';
import {
  amountField,
  answerOf,
  gatewayErrorOf,
  isTransientAnswer,
  mismatch,
  stringField,
  timeField,
} from './gateway-answer.js';

/** Extra information `alipay.trade.fastpay.refund.query` returns only when asked (`query_options`). */
export type RefundQueryOption = 'gmt_refund_pay' | 'deposit_back_info' | 'refund_detail_item_list' | (string & {});

/** What to ask `queryRefund` about: the trade (either number) and the refund's `out_request_no`. */
export type QueryRefundParams = (
  { outTradeNo: string; tradeNo?: string } | { tradeNo: string; outTradeNo?: string }
) & {
  /** The refund request number given to `alipay.trade.refund` (the trade's `out_trade_no` when the refund had none). */
  outRequestNo: string;
  /** Extra fields to ask for, e.g. `['gmt_refund_pay', 'deposit_back_info']`. */
  queryOptions?: readonly RefundQueryOption[];
};

/** Bank-card refund return (银行卡冲退) information, when asked for with `deposit_back_info`. */
export interface DepositBackInfo {
  /** Whether the refund went back to a bank card that needed a return. */
  readonly hasDepositBack: boolean | undefined;
  /** `S` success, `F` failed, `P` processing (`dback_status`). */
  readonly status: string | undefined;
  readonly amount: Amount | undefined;
  readonly bankAckTime: Date | undefined;
  readonly estimatedBankReceiptTime: Date | undefined;
}

/**
 * The answer of `alipay.trade.fastpay.refund.query`, typed.
 *
 * - `success`: `refund_status` is `REFUND_SUCCESS`: the refund went through.
 * - `not_refunded`: Alipay answered without `refund_status`, which means the refund request was
 *   not received or failed — not "pending" (see go-pay/gopay#183). Query at least ~10 s after the
 *   refund, as the API docs advise, so that this is final.
 * - `unknown`: Alipay could not say now (`20000`, `ACQ.SYSTEM_ERROR`): ask again later.
 */
export interface RefundQueryResult {
  readonly status: 'success' | 'not_refunded' | 'unknown';
  readonly tradeNo: string | undefined;
  readonly outTradeNo: string | undefined;
  readonly outRequestNo: string | undefined;
  /** `refund_amount`: this refund's amount. */
  readonly refundAmount: Amount | undefined;
  /** `total_amount`: the trade's amount. */
  readonly totalAmount: Amount | undefined;
  /** `gmt_refund_pay`: when the refund was paid out (only with `queryOptions: ['gmt_refund_pay']`). */
  readonly gmtRefundPay: Date | undefined;
  /** Only with `queryOptions: ['deposit_back_info']`. */
  readonly depositBackInfo: DepositBackInfo | undefined;
  /** Alipay's codes, for `unknown` answers and for logs. */
  readonly answer: AlipayGatewayAnswer;
  /** The verified `…_response` object as received. */
  readonly raw: Readonly<Record<string, unknown>>;
}

const METHOD = 'alipay.trade.fastpay.refund.query';

function depositBack(body: Readonly<Record<string, unknown>>): DepositBackInfo | undefined {
  const info = body['deposit_back_info'];
  if (info === null || typeof info !== 'object' || Array.isArray(info)) return undefined;
  const d = info as Record<string, unknown>;
  const has = stringField(d, 'has_deposit_back');
  return {
    hasDepositBack: has === undefined ? undefined : has === 'true',
    status: stringField(d, 'dback_status'),
    amount: amountField(d, 'dback_amount'),
    bankAckTime: timeField(d, 'bank_ack_time'),
    estimatedBankReceiptTime: timeField(d, 'est_bank_receipt_time'),
  };
}

/**
 * Types a verified refund-query answer. `REFUND_SUCCESS` is success; no `refund_status` is
 * not_refunded; any other status, `20000` or `ACQ.SYSTEM_ERROR` is unknown; other errors throw
 * `ERR_GATEWAY_ERROR` (e.g. `ACQ.TRADE_NOT_EXIST`). An answer about another refund throws too.
 *
 * @example
 * ```ts
 * const result = toRefundQueryResult(body, { outTradeNo: 'order-1', outRequestNo: 'refund-1' });
 * ```
 */
export function toRefundQueryResult(
  body: Readonly<Record<string, unknown>>,
  params: QueryRefundParams,
): RefundQueryResult {
  const answer = answerOf(body);
  const base = {
    tradeNo: undefined,
    outTradeNo: undefined,
    outRequestNo: undefined,
    refundAmount: undefined,
    totalAmount: undefined,
    gmtRefundPay: undefined,
    depositBackInfo: undefined,
    answer,
    raw: body,
  };
  if (answer.alipayCode !== '10000') {
    if (isTransientAnswer(answer)) return { ...base, status: 'unknown' };
    throw gatewayErrorOf(body, METHOD);
  }
  const tradeNo = stringField(body, 'trade_no');
  const outTradeNo = stringField(body, 'out_trade_no');
  const outRequestNo = stringField(body, 'out_request_no');
  if (outRequestNo !== undefined && outRequestNo !== params.outRequestNo) throw mismatch(METHOD, 'out_request_no');
  if (params.tradeNo !== undefined && tradeNo !== undefined && tradeNo !== params.tradeNo)
    throw mismatch(METHOD, 'trade_no');
  if (params.outTradeNo !== undefined && outTradeNo !== undefined && outTradeNo !== params.outTradeNo)
    throw mismatch(METHOD, 'out_trade_no');
  const refundStatus = stringField(body, 'refund_status');
  // Only REFUND_SUCCESS is documented; an unknown status is never read as "not refunded".
  const status =
    refundStatus === undefined ? 'not_refunded' : refundStatus === 'REFUND_SUCCESS' ? 'success' : 'unknown';
  return {
    ...base,
    status,
    tradeNo,
    outTradeNo,
    outRequestNo,
    refundAmount: amountField(body, 'refund_amount'),
    totalAmount: amountField(body, 'total_amount'),
    gmtRefundPay: timeField(body, 'gmt_refund_pay'),
    depositBackInfo: depositBack(body),
  };
}
