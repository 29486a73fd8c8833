import type { Amount } from '../map/amount.js';
import type { TradeStatus } from '../types.js';
import { amountField, gatewayErrorOf, mismatch, stringField, timeField } from './gateway-answer.js';

/** What to ask `queryTrade` about: either trade number. */
export type QueryTradeParams = { outTradeNo: string; tradeNo?: string } | { tradeNo: string; outTradeNo?: string };

/** The answer of `alipay.trade.query`, typed. */
export interface TradeQueryResult {
  /** `WAIT_BUYER_PAY`, `TRADE_CLOSED` (unpaid and closed, or fully refunded), `TRADE_SUCCESS`, `TRADE_FINISHED`. */
  readonly tradeStatus: TradeStatus;
  readonly tradeNo: string | undefined;
  readonly outTradeNo: string | undefined;
  readonly totalAmount: Amount | undefined;
  readonly receiptAmount: Amount | undefined;
  readonly buyerPayAmount: Amount | undefined;
  /** `send_pay_date`: when the buyer paid. */
  readonly sendPayDate: Date | undefined;
  /** The verified `…_response` object as received. */
  readonly raw: Readonly<Record<string, unknown>>;
}

const METHOD = 'alipay.trade.query';

/**
 * Types a verified trade-query answer; an error answer (e.g. `ACQ.TRADE_NOT_EXIST`) throws
 * `ERR_GATEWAY_ERROR` with Alipay's codes on it.
 *
 * @example
 * ```ts
 * const trade = toTradeQueryResult(body, { outTradeNo: 'order-1' });
 * ```
 */
export function toTradeQueryResult(
  body: Readonly<Record<string, unknown>>,
  params: QueryTradeParams,
): TradeQueryResult {
  if (body['code'] !== '10000') throw gatewayErrorOf(body, METHOD);
  const tradeNo = stringField(body, 'trade_no');
  const outTradeNo = stringField(body, 'out_trade_no');
  if (params.tradeNo !== undefined && tradeNo !== undefined && tradeNo !== params.tradeNo)
    throw mismatch(METHOD, 'trade_no');
  if (params.outTradeNo !== undefined && outTradeNo !== undefined && outTradeNo !== params.outTradeNo)
    throw mismatch(METHOD, 'out_trade_no');
  const tradeStatus = stringField(body, 'trade_status');
  if (tradeStatus === undefined) throw gatewayErrorOf(body, METHOD);
  return {
    tradeStatus,
    tradeNo,
    outTradeNo,
    totalAmount: amountField(body, 'total_amount'),
    receiptAmount: amountField(body, 'receipt_amount'),
    buyerPayAmount: amountField(body, 'buyer_pay_amount'),
    sendPayDate: timeField(body, 'send_pay_date'),
    raw: body,
  };
}
