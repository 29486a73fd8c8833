/**
 * The best hand-written verification: split parser, `decodeURIComponent` only
 * when needed, sort and join, cached KeyObject, one `crypto.verify`. It does no more than a careful
 * merchant would write by hand (no typed mapping, no field-name checks): the baseline the SDK is
 * measured against, not a replacement for it.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

export interface HandResult {
  ok: boolean;
  params: Record<string, string>;
}

function parseUtf8(body: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of body.split('&')) {
    const eq = pair.indexOf('=');
    const k = eq < 0 ? pair : pair.slice(0, eq);
    let v = eq < 0 ? '' : pair.slice(eq + 1);
    if (v.includes('+')) v = v.replace(/\+/g, ' ');
    if (v.includes('%')) v = decodeURIComponent(v);
    params[k] = v;
  }
  return params;
}

function content(params: Record<string, string>): string {
  const keys = Object.keys(params).filter((k) => k !== 'sign' && k !== 'sign_type' && params[k] !== '');
  keys.sort();
  let out = '';
  for (const k of keys) out += (out === '' ? '' : '&') + k + '=' + params[k];
  return out;
}

/** A hand verifier bound to one key. */
export function createHandVerifier(publicKeyPem: string, appId: string) {
  const key: KeyObject = createPublicKey(publicKeyPem);
  const algOf = (t: string | undefined) => (t === 'RSA' ? 'sha1' : 'sha256');
  const gbk = new TextDecoder('gbk');

  /** UTF-8 body string → {ok, params}. */
  function verifyUtf8(body: string): HandResult {
    const params = parseUtf8(body);
    const sign = params['sign'];
    if (sign === undefined || params['app_id'] !== appId) return { ok: false, params };
    const ok = verify(
      algOf(params['sign_type']),
      Buffer.from(content(params), 'utf8'),
      key,
      Buffer.from(sign, 'base64'),
    );
    return { ok, params };
  }

  /** The same with callback `crypto.verify` on the libuv pool. */
  function verifyUtf8Async(body: string, done: (r: HandResult) => void): void {
    const params = parseUtf8(body);
    const sign = params['sign'];
    if (sign === undefined || params['app_id'] !== appId) return done({ ok: false, params });
    verify(
      algOf(params['sign_type']),
      Buffer.from(content(params), 'utf8'),
      key,
      Buffer.from(sign, 'base64'),
      (err, ok) => done({ ok: err === null && ok, params }),
    );
  }

  /** Byte-level, any charset: values percent-decoded to bytes, signed bytes assembled from them. */
  function verifyBytes(raw: Buffer): HandResult {
    const bytes: Record<string, Buffer> = {};
    let start = 0;
    while (start < raw.length) {
      let end = raw.indexOf(0x26, start);
      if (end < 0) end = raw.length;
      const eq = raw.indexOf(0x3d, start);
      const kEnd = eq < 0 || eq > end ? end : eq;
      const k = raw.toString('latin1', start, kEnd);
      const v = raw.toString('latin1', Math.min(kEnd + 1, end), end);
      bytes[k] = Buffer.from(v.includes('%') || v.includes('+') ? unescape(v.replace(/\+/g, ' ')) : v, 'latin1');
      start = end + 1;
    }
    const charset = (bytes['charset']?.toString('latin1') ?? 'utf-8').toLowerCase();
    const dec = charset === 'utf-8' || charset === 'utf8' ? null : gbk;
    const params: Record<string, string> = {};
    for (const k of Object.keys(bytes)) params[k] = dec === null ? bytes[k]!.toString('utf8') : dec.decode(bytes[k]);
    const sign = params['sign'];
    if (sign === undefined || params['app_id'] !== appId) return { ok: false, params };
    const keys = Object.keys(bytes)
      .filter((k) => k !== 'sign' && k !== 'sign_type' && bytes[k]!.length > 0)
      .sort();
    const parts: Buffer[] = [];
    for (const k of keys) parts.push(Buffer.from((parts.length === 0 ? '' : '&') + k + '=', 'latin1'), bytes[k]!);
    const ok = verify(algOf(params['sign_type']), Buffer.concat(parts), key, Buffer.from(sign, 'base64'));
    return { ok, params };
  }

  return { verifyUtf8, verifyUtf8Async, verifyBytes, parseUtf8 };
}
