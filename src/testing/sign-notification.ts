import type { KeyObject } from 'node:crypto';
import { normalizeCharset } from '../body/charset.js';
import { parseNotifyBody } from '../body/parse-notify-body.js';
import { buildSignContent } from '../canonical/build-sign-content.js';
import { generateRsaKeyPair, signContent } from '../crypto/sign.js';
import type { SignType } from '../types.js';
import { encodeFormBody } from './encode-form-body.js';

/** A throwaway RSA key pair that plays "Alipay" in tests. */
export interface TestKeyPair {
  /** PKCS#8 PEM private key: signs test notifications. */
  readonly privateKey: string;
  /** SPKI PEM public key: give it to the verifier as `alipayPublicKey`. */
  readonly publicKey: string;
  /** The public key as bare base64, the way the Alipay console shows it. */
  readonly publicKeyBase64: string;
}

/**
 * Generates a throwaway RSA key pair (2048 bits by default) to stand in for Alipay's in tests.
 *
 * @example
 * ```ts
 * import { generateTestKeyPair } from 'alipay-refund-notify/testing';
 * const alipay = generateTestKeyPair();
 * ```
 */
export function generateTestKeyPair(bits = 2048): TestKeyPair {
  return generateRsaKeyPair(bits);
}

/** How to sign a test notification. */
export interface SignNotificationOptions {
  /** The "Alipay" private key (PEM or `KeyObject`); required for RSA2 and RSA. */
  privateKey?: string | KeyObject;
  /** The MAPI partner key; required for MD5. */
  md5Key?: string;
  /** Default: the fields' `sign_type`, else `'RSA2'`. */
  signType?: SignType;
  /** Keep `sign_type` in the signed string, as old gateway messages do. Default false. */
  keepSignType?: boolean;
  /** Keep empty values in the signed string, as the PHP and Node SDKs do. Default false. */
  keepEmpty?: boolean;
}

/** A signed notification: its fields (with `sign` and `sign_type`) and the body Alipay would POST. */
export interface SignedNotification {
  readonly fields: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/**
 * Signs notification fields exactly as Alipay does: the canonical string in the notification's
 * charset, RSA2 (SHA256withRSA), RSA (SHA1withRSA) or MAPI MD5, and the body form-encoded in that
 * charset. Fields keep their order; `sign_type` and `sign` are appended.
 *
 * @example
 * ```ts
 * import { generateTestKeyPair, signNotification } from 'alipay-refund-notify/testing';
 * const alipay = generateTestKeyPair();
 * const { body } = signNotification({ notify_type: 'trade_status_sync', charset: 'utf-8' }, { privateKey: alipay.privateKey });
 * ```
 */
export function signNotification(
  fields: Readonly<Record<string, string>>,
  options: SignNotificationOptions = {},
): SignedNotification {
  const signType = options.signType ?? (fields['sign_type'] as SignType | undefined) ?? 'RSA2';
  const unsigned: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (k !== 'sign' && k !== 'sign_type') unsigned[k] = v;
  unsigned['sign_type'] = signType;
  const charset = normalizeCharset(unsigned['charset'] ?? 'utf-8');
  // The canonical string is built by the receiver's own parser from the encoded body, so what is
  // signed is exactly what a receiver will see.
  const content = buildSignContent(parseNotifyBody(encodeFormBody(unsigned, charset)), {
    keepSignType: options.keepSignType === true,
    keepEmpty: options.keepEmpty === true,
  });
  const sign = signContent(signType, content, options);
  const signed = { ...unsigned, sign };
  return { fields: signed, body: encodeFormBody(signed, charset) };
}
