import type { ParsedNotifyBody } from '../body/parse-notify-body.js';
import { NotifyRecipientError } from '../errors.js';
import type { ResolvedOptions } from './resolve-options.js';

/**
 * A valid signature only says Alipay sent it, not that it is for us: the legacy MAPI key and old
 * RSA keys were shared by every merchant (vectors README), so `app_id` / `seller_id` are checked
 * as the docs require (PROTOCOL §4).
 */
export function checkRecipient(parsed: ParsedNotifyBody, options: ResolvedOptions): void {
  const f = parsed.fields;
  const appId = f['app_id'] === '' ? undefined : f['app_id'];
  const sellerId = f['seller_id'] === '' ? undefined : f['seller_id'];
  if (appId !== undefined) {
    if (!options.appIds.has(appId)) throw new NotifyRecipientError('ERR_APP_ID_MISMATCH', 'notification is for another app_id', 'app_id', appId);
  } else {
    // Legacy MAPI notifications carry no app_id; they are accepted only when a partner is configured.
    if (options.partners.size === 0) {
      throw new NotifyRecipientError('ERR_APP_ID_MISMATCH', 'notification carries no app_id; set the partner option to accept legacy MAPI notifications', 'app_id', undefined);
    }
    if (sellerId !== undefined && !options.partners.has(sellerId)) {
      throw new NotifyRecipientError('ERR_SELLER_ID_MISMATCH', 'notification is for another partner', 'seller_id', sellerId);
    }
  }
  if (options.sellerIds !== undefined && f['notify_type'] === 'trade_status_sync') {
    if (sellerId === undefined || !options.sellerIds.has(sellerId)) {
      throw new NotifyRecipientError('ERR_SELLER_ID_MISMATCH', 'notification is for another seller_id', 'seller_id', sellerId);
    }
  }
}
