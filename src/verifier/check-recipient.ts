import type { ParsedNotifyBody } from '../body/parse-notify-body.js';
import { NotifyRecipientError } from '../errors/index.js';
import type { SignType } from '../types.js';
import type { ResolvedOptions } from './resolve-options.js';

// Attacker-chosen text carried on an error is cut short, so that a log line stays a log line.
function shown(value: string | undefined): string | undefined {
  return value === undefined || value.length <= 64 ? value : `${value.slice(0, 64)}…`;
}

function mismatch(
  code: 'ERR_APP_ID_MISMATCH' | 'ERR_SELLER_ID_MISMATCH',
  message: string,
  field: string,
  received: string | undefined,
): NotifyRecipientError {
  return new NotifyRecipientError(code, message, field, shown(received));
}

/**
 * A valid signature only says Alipay sent it, not that it is for us, so `app_id` / `seller_id`
 * are checked as Alipay's docs require ("验证app_id是否为该商户本身",
 * https://opendocs.alipay.com/open/270/105902), and no check can be skipped by leaving a field out:
 *
 * - with `sellerId` configured, a `trade_status_sync` must carry one of them;
 * - a legacy MAPI notification (no `app_id`) signed with RSA was signed with a key Alipay gave to
 *   every merchant, so the signature does not tell whose it is: it must carry a `seller_id` that
 *   is one of the configured partners, and a `batch_refund_notify` (which names no seller at all)
 *   is refused unless `acceptRsaBatchRefund` is set — then confirm each one with
 *   `confirmNotifyId`. MD5 is keyed with the merchant's own secret and needs neither.
 */
export function checkRecipient(parsed: ParsedNotifyBody, options: ResolvedOptions, signType: SignType): void {
  const f = parsed.fields;
  const appId = f['app_id'] === '' ? undefined : f['app_id'];
  const sellerId = f['seller_id'] === '' ? undefined : f['seller_id'];
  if (appId !== undefined) {
    if (!options.appIds.has(appId))
      throw mismatch('ERR_APP_ID_MISMATCH', 'notification is for another app_id', 'app_id', appId);
  } else {
    // Legacy MAPI notifications carry no app_id; they are accepted only when a partner is configured.
    if (options.partners.size === 0) {
      throw mismatch(
        'ERR_APP_ID_MISMATCH',
        'notification carries no app_id; set the partner option to accept legacy MAPI notifications',
        'app_id',
        undefined,
      );
    }
    const sharedKey = signType !== 'MD5';
    if (sharedKey && f['notify_type'] === 'batch_refund_notify' && !options.acceptRsaBatchRefund) {
      throw mismatch(
        'ERR_SELLER_ID_MISMATCH',
        "an RSA-signed batch_refund_notify names no seller and Alipay's legacy RSA key is shared by every merchant: set acceptRsaBatchRefund and confirm each one with confirmNotifyId",
        'seller_id',
        undefined,
      );
    }
    if (
      (sellerId !== undefined || (sharedKey && f['notify_type'] !== 'batch_refund_notify')) &&
      (sellerId === undefined || !options.partners.has(sellerId))
    ) {
      throw mismatch('ERR_SELLER_ID_MISMATCH', 'notification is for another partner', 'seller_id', sellerId);
    }
  }
  if (options.sellerIds !== undefined && f['notify_type'] === 'trade_status_sync') {
    if (sellerId === undefined || !options.sellerIds.has(sellerId)) {
      throw mismatch('ERR_SELLER_ID_MISMATCH', 'notification is for another seller_id', 'seller_id', sellerId);
    }
  }
}
