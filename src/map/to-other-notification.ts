import { NotifyFieldError } from '../errors/index.js';
import type { NotificationBase, OtherNotification } from '../types.js';
import { optionalText } from './field-readers.js';

// Fields that only a trade or refund report carries: an unknown notify_type with one of them may
// be a refund in a shape we do not know, and must not be acknowledged as "something else".
function reportsTradeOrRefund(name: string): boolean {
  return name.includes('refund') || name === 'out_biz_no' || name === 'out_request_no' || name === 'trade_status';
}

/**
 * Maps a verified notification of a `notify_type` we do not model to `kind: 'other'`, after making
 * sure it carries no refund or trade-status field (`ERR_FIELD_INVALID` on `notify_type` if it does).
 */
export function toOtherNotification(
  base: Omit<NotificationBase, 'notifyTime'> & { notifyTime: Date | undefined },
  notifyType: string,
): OtherNotification {
  if (Object.keys(base.fields).some(reportsTradeOrRefund)) {
    throw new NotifyFieldError(
      'notify_type',
      'an unknown notify_type that carries refund or trade-status fields is refused',
    );
  }
  return { kind: 'other', ...base, notifyType, method: optionalText(base.fields, 'method') };
}
