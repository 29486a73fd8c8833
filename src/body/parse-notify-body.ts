import { AlipayNotifyError, NotifyBodyError } from '../errors/index.js';
import type { NotifyCharset } from './charset.js';
import { scanObjectBody } from './scan-object-body.js';
import { scanRawBody } from './scan-raw-body.js';
import type { ScannedBody } from './scanned-body.js';

/** What a notification body can be handed to us as. Raw bytes are preferred. */
export type NotifyBody = Uint8Array | string | Readonly<Record<string, string>>;

/** Limits applied while parsing. */
export interface ParseNotifyBodyOptions {
  /** Largest body accepted, in bytes. Default 65536 (real notifications are 1–3 KiB). */
  maxBodyBytes?: number;
  /** Most fields accepted. Default 200 (real notifications have about 30). */
  maxFields?: number;
}

/** A notification body split into its fields, each decoded exactly once. */
export interface ParsedNotifyBody {
  /** Field names in the order they arrived. */
  readonly names: readonly string[];
  /** Each field's form-decoded bytes: what Alipay signed (https://opendocs.alipay.com/common/02mse7). Null prototype. */
  readonly bytes: Readonly<Record<string, Uint8Array>>;
  /** Each field decoded to a string in `charset`. Null prototype. */
  readonly fields: Readonly<Record<string, string>>;
  /** The charset the values are in, from the signed `charset` field; UTF-8 when absent. */
  readonly charset: NotifyCharset;
  /** Whether the input was an object of already-decoded values rather than the raw body. */
  readonly fromObject: boolean;
}

export const DEFAULT_MAX_BODY_BYTES = 65536;
export const DEFAULT_MAX_FIELDS = 200;

function toBuffer(body: Uint8Array | string): Buffer {
  if (typeof body !== 'string')
    return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // A raw body is ASCII (percent-encoded); a string with other characters was decoded by someone
  // as UTF-8 and is taken back to the UTF-8 bytes it came from.
  // eslint-disable-next-line no-control-regex
  return Buffer.from(body, /^[\x00-\x7f]*$/.test(body) ? 'latin1' : 'utf8');
}

/**
 * {@link parseNotifyBody} as the verifier uses it: the same fields, checks and errors, with the
 * decoded bytes kept as ranges (see {@link ScannedBody}).
 *
 * @example
 * ```ts
 * scanNotifyBody(rawBody).fields['notify_id'];
 * ```
 */
export function scanNotifyBody(body: NotifyBody, options: ParseNotifyBodyOptions = {}): ScannedBody {
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxFields = options.maxFields ?? DEFAULT_MAX_FIELDS;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    if (typeof body === 'string' && body.length > maxBytes) {
      throw new NotifyBodyError('ERR_BODY_TOO_LARGE', 'notification body exceeds the size limit', { limit: maxBytes });
    }
    const raw = toBuffer(body);
    if (raw.length > maxBytes) {
      throw new NotifyBodyError('ERR_BODY_TOO_LARGE', 'notification body exceeds the size limit', { limit: maxBytes });
    }
    return scanRawBody(raw, maxFields);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new NotifyBodyError('ERR_BODY_MALFORMED', 'body must be a Buffer, a string or an object of strings');
  }
  try {
    return scanObjectBody(body, maxBytes, maxFields);
  } catch (err) {
    // An object whose getters throw, or a Proxy whose keys repeat, is not a body a parser made.
    if (err instanceof AlipayNotifyError) throw err;
    throw new NotifyBodyError('ERR_BODY_MALFORMED', 'the body object could not be read', { cause: err });
  }
}

/**
 * Splits a notification body into fields, decoding every key and value exactly once.
 *
 * - `+` is a space, `%2B` is `+`, and a value Alipay sent still percent-encoded
 *   (`passback_params`) keeps its inner escapes;
 * - nothing is trimmed; empty values are kept (the canonical string decides what to skip);
 * - a repeated field, a name that is not a plain field name (`a[b]`, `__proto__`) or a bad
 *   `%`-escape is `ERR_BODY_MALFORMED`; the result objects have no prototype.
 *
 * Prefer the raw body bytes: only they carry GBK notifications faithfully. An object of decoded
 * values is accepted for UTF-8 notifications only.
 *
 * @example
 * ```ts
 * import { parseNotifyBody } from 'alipay-refund-notify';
 * const parsed = parseNotifyBody(Buffer.from('charset=utf-8&subject=a+b&sign=xx'));
 * parsed.fields.subject; // 'a b'
 * parsed.charset;        // 'utf-8'
 * ```
 */
export function parseNotifyBody(body: NotifyBody, options: ParseNotifyBodyOptions = {}): ParsedNotifyBody {
  return scanNotifyBody(body, options).toParsed();
}
