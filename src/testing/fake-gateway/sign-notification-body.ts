import { signNotificationWithCertificate } from '../generate-test-certificates.js';
import { signNotification } from '../sign-notification.js';
import type { GatewaySigner } from './create-gateway-keys.js';

/**
 * Signs notification fields as the gateway does now: with its key, or with its current
 * certificate's key and that certificate's SN as `alipay_cert_sn`. Returns the POST body.
 *
 * @example
 * ```ts
 * const body = signNotificationBody(keys.signer, buildRefundFields('partial'));
 * ```
 */
export function signNotificationBody(signer: GatewaySigner, fields: Readonly<Record<string, string>>): Buffer {
  const signed =
    signer.sn === undefined
      ? signNotification(fields, { privateKey: signer.privateKey })
      : signNotificationWithCertificate(fields, { privateKey: signer.privateKey, alipayCertSn: signer.sn });
  return signed.body;
}
