import { NotifyFieldError } from '../errors/index.js';
import type { GatewayMessageNotification, NotificationBase, RefundDepositbackNotification } from '../types.js';
import { optionalAmount, optionalText, optionalTime, requiredText } from './field-readers.js';
import { requiredToken, TOKEN } from './field-tokens.js';

/** The deposit-back message's method name (https://opendocs.alipay.com/solution/e2a7e429_alipay.trade.refund.depositback.completed). */
export const DEPOSITBACK_METHOD = 'alipay.trade.refund.depositback.completed';

const DEPOSITBACK_FIELDS = [
  'trade_no',
  'out_trade_no',
  'out_request_no',
  'dback_status',
  'dback_amount',
  'bank_ack_time',
  'est_bank_receipt_time',
];

function parseBizContent(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Maps a verified `alipay.trade.refund.depositback.completed` message. `biz_content` is parsed
 * into the typed fields and also kept as the exact string that was signed.
 */
export function toDepositbackNotification(base: NotificationBase): RefundDepositbackNotification {
  const bizContent = requiredText(base.fields, 'biz_content');
  const biz = parseBizContent(bizContent);
  if (biz === null || typeof biz !== 'object' || Array.isArray(biz))
    throw new NotifyFieldError('biz_content', 'not a JSON object');
  // Every biz_content field of the documented message is a JSON string; a number or object there is refused rather than dropped,
  // so that an `S` message never loses its amount silently.
  const b = Object.create(null) as Record<string, string>;
  for (const [k, v] of Object.entries(biz as Record<string, unknown>)) {
    if (typeof v === 'string') b[k] = v;
    else if (DEPOSITBACK_FIELDS.includes(k) && v !== null) throw new NotifyFieldError(k, 'not a JSON string');
  }
  const status = requiredText(b, 'dback_status');
  if (status !== 'S' && status !== 'F') throw new NotifyFieldError('dback_status', 'not S or F');
  return {
    kind: 'refund_depositback',
    ...base,
    tradeNo: requiredToken(b, 'trade_no', TOKEN.alipayId),
    outTradeNo: requiredToken(b, 'out_trade_no', TOKEN.merchantId),
    outRequestNo: requiredToken(b, 'out_request_no', TOKEN.merchantId),
    dbackStatus: status,
    dbackAmount: status === 'S' ? optionalAmount(b, 'dback_amount') : undefined,
    bankAckTime: optionalTime(b, 'bank_ack_time'),
    estBankReceiptTime: optionalTime(b, 'est_bank_receipt_time'),
    bizContent,
  };
}

/** Maps any other verified message-service message (one with `msg_method`). */
export function toGatewayMessage(
  base: Omit<NotificationBase, 'notifyTime'> & { notifyTime: Date | undefined },
  method: string,
): GatewayMessageNotification {
  return {
    kind: 'gateway_message',
    ...base,
    method,
    bizContent: parseBizContent(optionalText(base.fields, 'biz_content')),
  };
}
