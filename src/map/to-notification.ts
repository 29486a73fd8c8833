import type { ParsedNotifyBody } from '../body/parse-notify-body.js';
import { NotifyFieldError } from '../errors/index.js';
import type { AlipayNotification, SignType } from '../types.js';
import { optionalText, optionalTime, requiredTime } from './field-readers.js';
import { optionalToken, requiredToken, TOKEN } from './field-tokens.js';
import { toBatchRefundNotification } from './to-batch-refund-notification.js';
import { DEPOSITBACK_METHOD, toDepositbackNotification, toGatewayMessage } from './to-gateway-notification.js';
import { toOtherNotification } from './to-other-notification.js';
import { toTradeNotification } from './to-trade-notification.js';

function messageTime(fields: Readonly<Record<string, string>>): Date | undefined {
  // Message-service messages carry utc_timestamp in epoch milliseconds, 13 digits (the message service's common parameters);
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
  const notifyId = requiredToken(fields, 'notify_id', TOKEN.alipayId);
  const appId = optionalToken(fields, 'app_id', TOKEN.alipayId);
  // The common part is built once its time is known (a spread into a second object costs more).
  const base = <T extends Date | undefined>(notifyTime: T) => {
    return { notifyId, notifyTime, appId, charset: parsed.charset, signType, fields };
  };
  const method = optionalToken(fields, 'msg_method', TOKEN.msgMethod);
  if (method !== undefined) {
    const notifyTime = messageTime(fields);
    if (method === DEPOSITBACK_METHOD) {
      if (notifyTime === undefined) throw new NotifyFieldError('utc_timestamp', 'required field is missing');
      return toDepositbackNotification(base(notifyTime));
    }
    return toGatewayMessage(base(notifyTime), method);
  }
  const type = requiredToken(fields, 'notify_type', TOKEN.notifyType);
  if (type === 'trade_status_sync') return toTradeNotification(base(requiredTime(fields, 'notify_time')));
  if (type === 'batch_refund_notify') return toBatchRefundNotification(base(requiredTime(fields, 'notify_time')));
  return toOtherNotification(base(optionalTime(fields, 'notify_time')), type);
}
