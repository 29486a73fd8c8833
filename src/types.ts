/**
 * The public types of verified notifications, in one place: this module imports nothing, so every
 * folder can use it without a cycle.
 */

/** The charsets Alipay notifications arrive in (the `charset` parameter, https://opendocs.alipay.com/open/203/105286). */
export type NotifyCharset = 'utf-8' | 'gbk' | 'gb2312' | 'gb18030';

/**
 * A sum of money in CNY, never a float: `fen` is the exact integer number of fen (分, 0.01 yuan),
 * `yuan` the decimal string exactly as Alipay sent it.
 *
 * @example
 * ```ts
 * const a: Amount = { fen: 1050, yuan: '10.50' };
 * ```
 */
export interface Amount {
  /** Integer number of fen (1 yuan = 100 fen). */
  readonly fen: number;
  /** The amount in yuan as sent, e.g. `"10.50"`. */
  readonly yuan: string;
}

/**
 * One entry of `fund_bill_list`: which channel paid how much (https://opendocs.alipay.com/open/203/105286; camelCase in
 * notifications, unlike the query API).
 *
 * @example
 * ```ts
 * const bill: FundBill = { fundChannel: 'ALIPAYACCOUNT', amount: { fen: 10, yuan: '0.10' }, raw: {} };
 * ```
 */
export interface FundBill {
  readonly fundChannel: string;
  readonly amount: Amount;
  /** `realAmount` when Alipay sent it. */
  readonly realAmount?: Amount;
  /** The entry as sent, with any fields this type does not name. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** Alipay's `sign_type` values this library verifies. */
export type SignType = 'RSA2' | 'RSA' | 'MD5';

/** Alipay's `trade_status` values; other strings are passed through as they come. */
export type TradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_CLOSED' | 'TRADE_SUCCESS' | 'TRADE_FINISHED' | (string & {});

/** What every verified notification carries. */
export interface NotificationBase {
  /** Alipay's id of this notification; the same on every retry of it (https://opendocs.alipay.com/open/270/105902). */
  readonly notifyId: string;
  /** When Alipay sent it. */
  readonly notifyTime: Date;
  /** The app the notification is for (absent on legacy MAPI notifications). */
  readonly appId: string | undefined;
  /** The charset the body was in. */
  readonly charset: NotifyCharset;
  /** The signature type that verified. */
  readonly signType: SignType;
  /**
   * Every signed field, plus `sign` and `sign_type`, decoded exactly once and otherwise unchanged:
   * JSON-valued fields are the exact strings that were signed. Fields the signature did not cover
   * (empty values, which Alipay does not sign) are left out. Null prototype.
   */
  readonly fields: Readonly<Record<string, string>>;
}

/** The fields shared by payment and refund `trade_status_sync` notifications. */
export interface TradeNotificationBase extends NotificationBase {
  readonly tradeNo: string;
  readonly outTradeNo: string;
  readonly tradeStatus: TradeStatus;
  /** Order amount (`total_amount`; `total_fee` on legacy MAPI notifications). */
  readonly totalAmount: Amount | undefined;
  readonly receiptAmount: Amount | undefined;
  readonly buyerPayAmount: Amount | undefined;
  readonly sellerId: string | undefined;
  readonly buyerId: string | undefined;
  readonly subject: string | undefined;
  readonly gmtCreate: Date | undefined;
  readonly gmtPayment: Date | undefined;
  readonly gmtClose: Date | undefined;
  /** `fund_bill_list`, parsed (empty when absent). The signed string stays in `fields`. */
  readonly fundBillList: readonly FundBill[];
  /** `passback_params` exactly as returned: Alipay sends it still percent-encoded. */
  readonly passbackParams: string | undefined;
}

/**
 * A `trade_status_sync` notification that is not about a refund (a payment, a close, a finish).
 *
 * @example
 * ```ts
 * if (n.kind === 'trade' && n.tradeStatus === 'TRADE_SUCCESS') markPaid(n.outTradeNo, n.totalAmount);
 * ```
 */
export interface TradeNotification extends TradeNotificationBase {
  readonly kind: 'trade';
}

/**
 * A `trade_status_sync` notification caused by a refund (https://opendocs.alipay.com/open/203/105286): it carries `gmt_refund`
 * or a `refund_fee` above zero. A partial refund leaves the trade `TRADE_SUCCESS`; the refund
 * that brings the total to the full amount closes it (`TRADE_CLOSED`).
 *
 * @example
 * ```ts
 * const n = verifyRefundNotify(rawBody, options);
 * if (n.kind === 'trade_refund') {
 *   // refundFee is the CUMULATIVE refunded total of the trade, not this refund's amount.
 *   await db.recordRefund(n.outTradeNo, n.outBizNo, n.refundFee?.fen);
 * }
 * ```
 */
export interface TradeRefundNotification extends TradeNotificationBase {
  readonly kind: 'trade_refund';
  /** `'full'` when the trade is now closed (`TRADE_CLOSED`), `'partial'` otherwise. */
  readonly refundType: 'partial' | 'full';
  /**
   * The refund request this notification reports (`out_biz_no` = the refund's `out_request_no`;
   * without one Alipay fills in a trade number). Absent on legacy MAPI notifications.
   */
  readonly outBizNo: string | undefined;
  /**
   * `refund_fee`: the **cumulative** amount refunded on the trade so far, not the amount of this
   * refund. Keep per-`outBizNo` state or query Alipay for a single refund's amount.
   */
  readonly refundFee: Amount | undefined;
  /** When the refund happened (`gmt_refund`, milliseconds kept). */
  readonly gmtRefund: Date | undefined;
}

/**
 * `alipay.trade.refund.depositback.completed`: a refund reached (or failed to reach)
 * the buyer's bank card.
 *
 * @example
 * ```ts
 * if (n.kind === 'refund_depositback' && n.dbackStatus === 'S') console.log(n.dbackAmount?.yuan);
 * ```
 */
export interface RefundDepositbackNotification extends NotificationBase {
  readonly kind: 'refund_depositback';
  readonly tradeNo: string;
  readonly outTradeNo: string;
  readonly outRequestNo: string;
  /** `S`: the money is back on the card; `F`: it went to the buyer's Alipay balance instead. */
  readonly dbackStatus: 'S' | 'F';
  /** Present only when `dbackStatus` is `S`. */
  readonly dbackAmount: Amount | undefined;
  readonly bankAckTime: Date | undefined;
  readonly estBankReceiptTime: Date | undefined;
  /** `biz_content` exactly as signed. */
  readonly bizContent: string;
}

/** One trade of a legacy `batch_refund_notify`. */
export interface BatchRefundDetail {
  readonly tradeNo: string;
  readonly amount: Amount;
  /** `SUCCESS` or Alipay's error code. */
  readonly result: string;
  /** The fee part after `$`, when the fee was refunded too. */
  readonly fee?: {
    readonly account: string;
    readonly accountId: string;
    readonly amount: Amount;
    readonly result: string;
  };
  /** The entry exactly as sent. */
  readonly raw: string;
}

/**
 * A legacy MAPI `batch_refund_notify` (即时到账批量退款).
 *
 * @example
 * ```ts
 * if (n.kind === 'batch_refund') for (const d of n.details) console.log(d.tradeNo, d.result);
 * ```
 */
export interface BatchRefundNotification extends NotificationBase {
  readonly kind: 'batch_refund';
  readonly batchNo: string;
  readonly successNum: number;
  readonly details: readonly BatchRefundDetail[];
}

/**
 * Any other verified message-service message (one that names itself by `msg_method`), so that an
 * endpoint never chokes on them.
 *
 * @example
 * ```ts
 * if (n.kind === 'gateway_message') console.log(n.method, n.bizContent);
 * ```
 */
export interface GatewayMessageNotification extends Omit<NotificationBase, 'notifyTime'> {
  readonly kind: 'gateway_message';
  /** `msg_method`. */
  readonly method: string;
  readonly notifyTime: Date | undefined;
  /** `biz_content` parsed from JSON when present and valid, else undefined. */
  readonly bizContent: unknown;
}

/**
 * A verified notification whose `notify_type` this library does not model (the app gateway's
 * `servicemarket_order_notify`, …). It never reports a refund: an unknown `notify_type` that
 * carries refund fields (`refund_*`, `gmt_refund`, `out_biz_no`, `out_request_no`,
 * `trade_status`) is refused as `ERR_FIELD_INVALID`, so that a refund can never reach a handler
 * for other notifications, nor be acknowledged without `onRefund`.
 *
 * @example
 * ```ts
 * if (n.kind === 'other') console.log(n.notifyType, n.fields);
 * ```
 */
export interface OtherNotification extends Omit<NotificationBase, 'notifyTime'> {
  readonly kind: 'other';
  /** `notify_type`, a plain token. */
  readonly notifyType: string;
  /** The `method` field, when the message carries one (`alipay.open.servicemarket.order.notify`). */
  readonly method: string | undefined;
  readonly notifyTime: Date | undefined;
}

/**
 * Every notification kind `verifyNotify` returns, discriminated by `kind`.
 *
 * @example
 * ```ts
 * switch (n.kind) {
 *   case 'trade_refund': break;
 *   case 'trade': break;
 * }
 * ```
 */
export type AlipayNotification =
  | TradeNotification
  | TradeRefundNotification
  | RefundDepositbackNotification
  | BatchRefundNotification
  | GatewayMessageNotification
  | OtherNotification;

/**
 * The notifications that report a refund: what `verifyRefundNotify` returns.
 *
 * @example
 * ```ts
 * const n: RefundNotification = verifyRefundNotify(rawBody, options);
 * ```
 */
export type RefundNotification = TradeRefundNotification | RefundDepositbackNotification | BatchRefundNotification;

/**
 * The verified notifications that are not refunds: payments, closes, gateway messages, others.
 *
 * @example
 * ```ts
 * const n: NonRefundNotification = err.notification; // err: NotARefundError
 * ```
 */
export type NonRefundNotification = Exclude<AlipayNotification, RefundNotification>;
