import { buildRefundFields } from '../build-notification-fields.js';
import { beijing } from '../field-helpers.js';
import type { FakeDelivery, FakeRefundResult } from './fake-gateway-types.js';
import { yuan, type FakeRefund, type FakeTrade, type GatewayStore } from './gateway-store.js';

/** What recording a refund needs from the gateway. */
export interface RefundContext {
  readonly appId: string;
  readonly store: GatewayStore;
  /** Signs and delivers a notification with Alipay's retry schedule. */
  deliver(url: string, fields: Readonly<Record<string, string>>): FakeDelivery;
}

/** A refund to record: `failed` ones are kept but move no money and send no notification. */
export interface RefundRequest {
  readonly outRequestNo: string;
  readonly amountFen: number;
  readonly outcome: 'success' | 'failed';
  readonly depositBack: boolean;
}

// The refund notification's fields, as Alipay would send them for `refund` of `trade` now.
function notificationFields(context: RefundContext, trade: FakeTrade, refund: FakeRefund): Record<string, string> {
  const refunded = context.store.refundedFen(trade);
  const full = refunded >= trade.totalFen;
  return buildRefundFields(full ? 'full' : 'partial', {
    appId: context.appId,
    overrides: {
      trade_no: trade.tradeNo,
      out_trade_no: trade.outTradeNo,
      out_biz_no: refund.outRequestNo,
      total_amount: yuan(trade.totalFen),
      receipt_amount: yuan(trade.totalFen),
      buyer_pay_amount: yuan(trade.totalFen),
      invoice_amount: yuan(trade.totalFen),
      fund_bill_list: `[{"amount":"${yuan(trade.totalFen)}","fundChannel":"ALIPAYACCOUNT"}]`,
      refund_fee: yuan(refunded),
      gmt_refund: beijing(refund.at, true),
    },
  });
}

/**
 * Records a refund of `trade` (amount checks are the caller's), closes the trade once it is fully
 * refunded, and delivers the refund notification when the trade has a `notifyUrl` — a full refund
 * only when the trade asked for it (`notifyFullRefund`), as Alipay does.
 *
 * @example
 * ```ts
 * const { refund, delivery } = recordRefund({ appId, store, deliver }, trade, {
 *   outRequestNo: 'refund-1',
 *   amountFen: 3000,
 *   outcome: 'success',
 *   depositBack: false,
 * });
 * ```
 */
export function recordRefund(context: RefundContext, trade: FakeTrade, request: RefundRequest): FakeRefundResult {
  const { outRequestNo, amountFen, outcome, depositBack } = request;
  const refund: FakeRefund = { outRequestNo, amountFen, outcome, at: new Date(), depositBack };
  trade.refunds.set(outRequestNo, refund);
  if (outcome === 'failed') return { refund, delivery: undefined };
  const full = context.store.refundedFen(trade) >= trade.totalFen;
  if (full) trade.status = 'TRADE_CLOSED';
  const notify = trade.notifyUrl !== undefined && (!full || trade.notifyFullRefund);
  return {
    refund,
    delivery: notify ? context.deliver(trade.notifyUrl, notificationFields(context, trade, refund)) : undefined,
  };
}
