import { beijing } from '../field-helpers.js';
import { businessError } from './business-error.js';
import { fenOf, yuan, type FakeRefund } from './gateway-store.js';
import { recordRefund, type RefundContext } from './record-refund.js';

/** What the gateway's methods read and change. */
export interface GatewayMethodContext extends RefundContext {
  /** Every "Alipay" certificate issued, by SN: what the certificate download serves. */
  readonly issued: ReadonlyMap<string, string>;
  /** Counts one `alipay.open.app.alipaycert.download` call. */
  countDownload(): void;
}

type Body = Record<string, unknown>;
type Answer = (biz: Record<string, unknown>, context: GatewayMethodContext) => Body;

const SUCCESS = { code: '10000', msg: 'Success' } as const;
const TRADE_NOT_EXIST = (): Body => businessError('ACQ.TRADE_NOT_EXIST', '交易不存在');
const TRADE_STATUS_ERROR = (): Body => businessError('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');

function tradeQuery(biz: Record<string, unknown>, { store }: GatewayMethodContext): Body {
  const t = store.find(biz);
  if (t === undefined) return TRADE_NOT_EXIST();
  const paid = t.status === 'WAIT_BUYER_PAY' ? 0 : t.totalFen;
  return {
    ...SUCCESS,
    trade_no: t.tradeNo,
    out_trade_no: t.outTradeNo,
    buyer_logon_id: 'tes***@example.com',
    trade_status: t.status,
    total_amount: yuan(t.totalFen),
    receipt_amount: yuan(paid),
    buyer_pay_amount: yuan(paid),
    send_pay_date: beijing(t.paidAt),
  };
}

// A refund request seen before (same out_request_no) is answered again without moving money.
function tradeRefund(biz: Record<string, unknown>, context: GatewayMethodContext): Body {
  const { store } = context;
  const t = store.find(biz);
  if (t === undefined) return TRADE_NOT_EXIST();
  const fen = fenOf(biz['refund_amount']);
  const outRequestNo = typeof biz['out_request_no'] === 'string' ? biz['out_request_no'] : t.outTradeNo;
  if (!(fen > 0)) return businessError('ACQ.INVALID_PARAMETER', '参数无效');
  const again = t.refunds.get(outRequestNo);
  if (again === undefined) {
    if (t.status !== 'TRADE_SUCCESS') return TRADE_STATUS_ERROR();
    if (store.refundedFen(t) + fen > t.totalFen) return businessError('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限');
    recordRefund(context, t, { outRequestNo, amountFen: fen, outcome: 'success', depositBack: false });
  }
  return {
    ...SUCCESS,
    trade_no: t.tradeNo,
    out_trade_no: t.outTradeNo,
    buyer_logon_id: 'tes***@example.com',
    fund_change: again === undefined ? 'Y' : 'N',
    refund_fee: yuan(store.refundedFen(t)),
    gmt_refund_pay: beijing(new Date()),
  };
}

function depositBackInfo(r: FakeRefund): Body {
  if (!r.depositBack) return { has_deposit_back: 'false' };
  return {
    has_deposit_back: 'true',
    dback_status: 'S',
    dback_amount: yuan(r.amountFen),
    bank_ack_time: beijing(r.at),
    est_bank_receipt_time: beijing(new Date(r.at.getTime() + 86_400_000)),
  };
}

function refundQuery(biz: Record<string, unknown>, { store }: GatewayMethodContext): Body {
  const t = store.find(biz);
  if (t === undefined) return TRADE_NOT_EXIST();
  const r = typeof biz['out_request_no'] === 'string' ? t.refunds.get(biz['out_request_no']) : undefined;
  // No refund_status: the refund request was not received, or it failed.
  if (r === undefined || r.outcome === 'failed') return { ...SUCCESS };
  const options = Array.isArray(biz['query_options']) ? (biz['query_options'] as unknown[]) : [];
  const body: Body = {
    ...SUCCESS,
    trade_no: t.tradeNo,
    out_trade_no: t.outTradeNo,
    out_request_no: r.outRequestNo,
    total_amount: yuan(t.totalFen),
    refund_amount: yuan(r.amountFen),
    refund_status: 'REFUND_SUCCESS',
  };
  // Optional members, only when asked for in query_options, as Alipay does.
  if (options.includes('gmt_refund_pay')) body['gmt_refund_pay'] = beijing(r.at, true).slice(0, 19);
  if (options.includes('deposit_back_info')) body['deposit_back_info'] = depositBackInfo(r);
  return body;
}

function tradeClose(biz: Record<string, unknown>, { store }: GatewayMethodContext): Body {
  const t = store.find(biz);
  if (t === undefined) return TRADE_NOT_EXIST();
  if (t.status !== 'WAIT_BUYER_PAY') return TRADE_STATUS_ERROR();
  t.status = 'TRADE_CLOSED';
  return { ...SUCCESS, trade_no: t.tradeNo, out_trade_no: t.outTradeNo };
}

function certDownload(biz: Record<string, unknown>, context: GatewayMethodContext): Body {
  context.countDownload();
  const pem = typeof biz['alipay_cert_sn'] === 'string' ? context.issued.get(biz['alipay_cert_sn']) : undefined;
  if (pem === undefined) return businessError('CERT_NOT_EXIST', '证书不存在');
  return { ...SUCCESS, alipay_cert_content: Buffer.from(pem, 'utf8').toString('base64') };
}

const ANSWERS: Readonly<Record<string, Answer>> = {
  'alipay.trade.query': tradeQuery,
  'alipay.trade.refund': tradeRefund,
  'alipay.trade.fastpay.refund.query': refundQuery,
  'alipay.trade.close': tradeClose,
  'alipay.open.app.alipaycert.download': certDownload,
};

/**
 * Whether the gateway implements `method` (others are answered `isv.invalid-method`).
 *
 * @example
 * ```ts
 * isGatewayMethod('alipay.trade.query'); // true
 * isGatewayMethod('toString'); // false: only the gateway's own methods count
 * ```
 */
export function isGatewayMethod(method: string): boolean {
  return Object.hasOwn(ANSWERS, method);
}

/**
 * Answers one well-formed, correctly signed call of a gateway method (see {@link isGatewayMethod})
 * from the trades in the context, changing them as Alipay would: the body of the
 * `…_response` member, a success (`10000`) or a business error (`40004`).
 *
 * @example
 * ```ts
 * answerGatewayMethod('alipay.trade.close', { out_trade_no: 'ORDER1' }, context);
 * // { code: '10000', msg: 'Success', trade_no: '…', out_trade_no: 'ORDER1' }
 * ```
 */
export function answerGatewayMethod(
  method: string,
  biz: Record<string, unknown>,
  context: GatewayMethodContext,
): Record<string, unknown> {
  if (!isGatewayMethod(method)) throw new TypeError(`not a gateway method: ${method}`);
  return ANSWERS[method]!(biz, context);
}
