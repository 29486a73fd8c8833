import type { ParsedNotifyBody } from '../body/parse-notify-body.js';
import { NotifyFieldError } from '../errors.js';
import type { AlipayNotification, SignType } from '../types.js';
import { optionalText, optionalTime, requiredText, requiredTime } from './field-readers.js';
import { toBatchRefundNotification } from './to-batch-refund-notification.js';
import { DEPOSITBACK_METHOD, toDepositbackNotification, toGatewayMessage } from './to-gateway-notification.js';
import { toTradeNotification } from './to-trade-notification.js';

function messageTime(fields: Readonly<Record<string, string>>): Date | undefined {
  // Message-service messages carry utc_timestamp in epoch milliseconds, 13 digits (PROTOCOL §6.2);
  // a 10-digit value would be seconds and read as 1970, so it is refused rather than misread.
  const ts = optionalText(fields, 'utc_timestamp');
  if (ts === undefined) return optionalTime(fields, 'notify_time');
  if (!/^\d{13}$/.test(ts)) throw new NotifyFieldError('utc_timestamp', 'not epoch milliseconds');
  return new Date(Number(ts));
}

/**
 * Builds the typed notification from a parsed body whose signature has been verified.
 * Only fields that were part of the verified body are read.
 *
 * @example
 * ```ts
 * const n = toNotification(parsed, 'RSA2');
 * ```
 */
export function toNotification(parsed: ParsedNotifyBody, signType: SignType): AlipayNotification {
  const fields = parsed.fields;
  const common = { notifyId: requiredText(fields, 'notify_id'), appId: optionalText(fields, 'app_id'), charset: parsed.charset, signType, fields };
  const method = optionalText(fields, 'msg_method');
  if (method !== undefined) {
    const notifyTime = messageTime(fields);
    if (method === DEPOSITBACK_METHOD) {
      if (notifyTime === undefined) throw new NotifyFieldError('utc_timestamp', 'required field is missing');
      return toDepositbackNotification({ ...common, notifyTime });
    }
    return toGatewayMessage({ ...common, notifyTime });
  }
  const type = requiredText(fields, 'notify_type');
  if (type === 'trade_status_sync') return toTradeNotification({ ...common, notifyTime: requiredTime(fields, 'notify_time') });
  if (type === 'batch_refund_notify') return toBatchRefundNotification({ ...common, notifyTime: requiredTime(fields, 'notify_time') });
  return toGatewayMessage({ ...common, notifyTime: optionalTime(fields, 'notify_time') });
}
