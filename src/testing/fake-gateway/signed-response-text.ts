import { signContent } from '../../crypto/sign.js';
import { generateTestKeyPair } from '../sign-notification.js';
import type { GatewaySigner } from './create-gateway-keys.js';
import type { FakeGatewayFault } from './fake-gateway-types.js';
import { envelopeText, jsonText, type ResponseStyle } from './response-text.js';

/** How one answer is written and signed. */
export interface SignedResponseOptions {
  readonly style: ResponseStyle;
  /** The gateway's current key or certificate. */
  readonly signer: GatewaySigner;
  /** A fault that spoils the signature or the text after signing, if any. */
  readonly fault?: FakeGatewayFault | undefined;
  /** Under `error_response`, unsigned: errors Alipay cannot tie to an app. */
  readonly asError?: boolean;
}

// A member slipped in after signing: a verifier that checks the signature catches it.
const forged = (inner: string): string => inner.replace('{', '{"refund_status":"REFUND_SUCCESS",');

/**
 * The whole HTTP body of the gateway's answer to `method`: `body` under `<method>_response`,
 * signed over its exact text, with `alipay_cert_sn` in certificate mode — then spoiled as `fault`
 * asks (tampered, respaced, unsigned, signed with a wrong key, or the member twice).
 *
 * @example
 * ```ts
 * signedResponseText('alipay.trade.close', { code: '10000', msg: 'Success' }, { style: 'compact', signer });
 * // '{"alipay_trade_close_response":{"code":"10000","msg":"Success"},"sign":"…"}'
 * ```
 */
export function signedResponseText(
  method: string,
  body: Readonly<Record<string, unknown>>,
  options: SignedResponseOptions,
): string {
  const { style, signer, fault, asError = false } = options;
  const key = asError ? 'error_response' : `${method.replaceAll('.', '_')}_response`;
  let inner = jsonText(body, style);
  const signWith = fault === 'wrong-key' ? generateTestKeyPair().privateKey : signer.privateKey;
  const sign = signContent('RSA2', Buffer.from(inner, 'utf8'), { privateKey: signWith });
  if (fault === 'tampered') inner = forged(inner);
  if (fault === 'respaced') inner = inner.replace('{', '{ ');
  const extra: [string, string][] = [];
  if (signer.sn !== undefined) extra.push(['alipay_cert_sn', signer.sn]);
  if (fault !== 'unsigned' && !asError) extra.push(['sign', sign]);
  const text = envelopeText(key, inner, extra, style);
  // The genuine member first, then a forged one: a parser that keeps the last member is fooled.
  if (fault === 'duplicate') return text.replace(/\}\s*$/, `,${JSON.stringify(key)}:${forged(inner)}}`);
  return text;
}
