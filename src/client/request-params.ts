import type { KeyObject } from 'node:crypto';
import { rsaSign } from '../crypto/sign.js';

/**
 * `date` as the gateway's `timestamp` wants it: Beijing time (UTC+08:00, no DST), `yyyy-MM-dd HH:mm:ss`
 * (Alipay open platform docs, 公共请求参数 `timestamp`).
 *
 * @example
 * ```ts
 * beijingTimestamp(new Date('2026-01-01T00:00:00Z')); // '2026-01-01 08:00:00'
 * ```
 */
export function beijingTimestamp(date: Date): string {
  const t = new Date(date.getTime() + 8 * 3600_000).toISOString();
  return `${t.slice(0, 10)} ${t.slice(11, 19)}`;
}

/**
 * The string a request is signed over: every parameter but `sign` with a non-empty value, sorted by
 * name, `name=value` joined by `&`, values raw (not URL-encoded); `sign_type` **is** included for
 * requests (alipay-sdk-java-all `AlipaySignature.getSignatureContent`, alipay-sdk-nodejs-all `sign`).
 *
 * @example
 * ```ts
 * requestSignContent({ method: 'alipay.trade.query', app_id: '2021…', sign_type: 'RSA2' }); // 'app_id=2021…&method=…&sign_type=RSA2'
 * ```
 */
export function requestSignContent(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((k) => k !== 'sign' && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
}

/**
 * Adds `sign` to request parameters: RSA2 (SHA256withRSA) over {@link requestSignContent} in UTF-8
 * with the app private key.
 *
 * @example
 * ```ts
 * const signed = signRequestParams(params, appPrivateKey);
 * ```
 */
export function signRequestParams(
  params: Readonly<Record<string, string>>,
  privateKey: KeyObject | string,
): Record<string, string> {
  const sign = rsaSign('sha256', Buffer.from(requestSignContent(params), 'utf8'), privateKey).toString('base64');
  return { ...params, sign };
}
