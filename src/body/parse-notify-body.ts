import { AlipayNotifyError, NotifyBodyError } from '../errors/index.js';
import { decodeFieldBytes, normalizeCharset, type NotifyCharset } from './charset.js';
import { isPlainName } from './is-plain-name.js';
import { formDecode } from './percent-decode.js';

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

function checkName(name: string): void {
  if (!isPlainName(name)) throw new NotifyBodyError('ERR_BODY_MALFORMED', 'field name is not a plain Alipay field name');
}

function toBuffer(body: Uint8Array | string): Buffer {
  if (typeof body !== 'string') return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  // A raw body is ASCII (percent-encoded); a string with other characters was decoded by someone
  // as UTF-8 and is taken back to the UTF-8 bytes it came from.
  // eslint-disable-next-line no-control-regex
  return Buffer.from(body, /^[\x00-\x7f]*$/.test(body) ? 'latin1' : 'utf8');
}

function declaredCharset(bytes: Record<string, Uint8Array>): NotifyCharset {
  const label = bytes['charset'];
  if (label === undefined || label.length === 0) return 'utf-8';
  return normalizeCharset(Buffer.from(label.buffer, label.byteOffset, label.byteLength).toString('latin1'));
}

const NEEDS_DECODING = /[%+]/;
// `%`, `+` or a byte above 0x7f: anything that keeps a value from being its own string.
const SPECIAL = /[%+\x80-\xff]/;

// Every escape is %0X–%7X and no raw byte is above 0x7f: the value decodes to ASCII.
// eslint-disable-next-line no-control-regex
const ASCII_ESCAPES_ONLY = /^(?:[\x00-\x24\x26-\x7f]|%[0-7][0-9A-Fa-f])*$/;

// Cannot throw: the pattern above admits only complete escapes of single ASCII bytes.
function decodeAsciiValue(value: string): string {
  return decodeURIComponent(value.includes('+') ? value.replace(/\+/g, ' ') : value);
}

// The hot path (`npm run bench`: parsing was 40% of a verification). The body is viewed once as a latin1
// string (one byte, one char), so that splitting and the common case — an ASCII value with no
// escapes — use V8's native string operations; only values with escapes are decoded byte by byte.
function fromRaw(raw: Buffer, maxBytes: number, maxFields: number): ParsedNotifyBody {
  if (raw.length > maxBytes) {
    throw new NotifyBodyError('ERR_BODY_TOO_LARGE', 'notification body exceeds the size limit', { limit: maxBytes });
  }
  const text = raw.toString('latin1');
  const names: string[] = [];
  const plain: (string | undefined)[] = [];
  const bytes = Object.create(null) as Record<string, Uint8Array>;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) {
      let eq = text.indexOf('=', start);
      if (eq === -1 || eq > end) eq = end;
      let name = text.slice(start, eq);
      // A plain name (the norm) has no `%` or `+`; only a name that is not plain is decoded first.
      if (!isPlainName(name)) {
        const decoded = formDecode(raw, start, eq, '');
        name = Buffer.from(decoded.buffer, decoded.byteOffset, decoded.byteLength).toString('latin1');
        checkName(name);
      }
      if (name in bytes) throw new NotifyBodyError('ERR_BODY_MALFORMED', 'field appears twice', { field: name });
      if (names.length >= maxFields) {
        throw new NotifyBodyError('ERR_BODY_TOO_LARGE', 'notification has too many fields', { limit: maxFields });
      }
      const from = Math.min(eq + 1, end);
      const value = text.slice(from, end);
      names.push(name);
      if (!SPECIAL.test(value)) {
        // An ASCII value without escapes (the norm) is its own string in every supported charset.
        bytes[name] = raw.subarray(from, end);
        plain.push(value);
      } else if (NEEDS_DECODING.test(value)) {
        const ascii = ASCII_ESCAPES_ONLY.test(value) ? decodeAsciiValue(value) : undefined;
        // Escapes of ASCII bytes only (dates, e-mails, `sign`): native decoding, and the decoded
        // text is exactly its own bytes. Anything else is decoded byte by byte.
        bytes[name] = ascii === undefined ? formDecode(raw, from, end, name) : Buffer.from(ascii, 'latin1');
        plain.push(ascii);
      } else {
        // Raw bytes above 0x7f (a body someone pasted decoded): decoded in the charset below.
        bytes[name] = raw.subarray(from, end);
        plain.push(undefined);
      }
    }
    start = end + 1;
  }
  if (names.length === 0) throw new NotifyBodyError('ERR_BODY_MALFORMED', 'notification body is empty');
  const charset = declaredCharset(bytes);
  const fields = Object.create(null) as Record<string, string>;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    // Values without a plain string here hold a byte above 0x7f: ASCII ones were resolved above.
    fields[name] = plain[i] ?? decodeFieldBytes(bytes[name]!, charset, name);
  }
  return { names, bytes, fields, charset, fromObject: false };
}

function fromObject(input: Readonly<Record<string, unknown>>, maxBytes: number, maxFields: number): ParsedNotifyBody {
  const names: string[] = [];
  const bytes = Object.create(null) as Record<string, Uint8Array>;
  const fields = Object.create(null) as Record<string, string>;
  let size = 0;
  for (const name of Object.keys(input)) {
    checkName(name);
    const value = input[name];
    if (typeof value !== 'string') {
      // Arrays come from body parsers that met a field twice; objects from `a[b]=` syntax.
      throw new NotifyBodyError('ERR_BODY_MALFORMED', 'field value is not a single string', { field: name });
    }
    if (names.length >= maxFields) {
      throw new NotifyBodyError('ERR_BODY_TOO_LARGE', 'notification has too many fields', { limit: maxFields });
    }
    names.push(name);
    fields[name] = value;
    bytes[name] = Buffer.from(value, 'utf8');
    size += name.length + bytes[name].length + 2;
  }
  if (size > maxBytes) throw new NotifyBodyError('ERR_BODY_TOO_LARGE', 'notification body exceeds the size limit', { limit: maxBytes });
  if (names.length === 0) throw new NotifyBodyError('ERR_BODY_MALFORMED', 'notification body is empty');
  const charset = declaredCharset(bytes);
  if (charset !== 'utf-8') {
    // Decoded strings no longer hold the GBK bytes Alipay signed; re-encoding them would be a guess.
    throw new NotifyBodyError('ERR_CHARSET_UNSUPPORTED', 'a non-UTF-8 notification must be passed as its raw body bytes', {
      charset,
    });
  }
  return { names, bytes, fields, charset, fromObject: true };
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
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxFields = options.maxFields ?? DEFAULT_MAX_FIELDS;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    if (typeof body === 'string' && body.length > maxBytes) {
      throw new NotifyBodyError('ERR_BODY_TOO_LARGE', 'notification body exceeds the size limit', { limit: maxBytes });
    }
    return fromRaw(toBuffer(body), maxBytes, maxFields);
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new NotifyBodyError('ERR_BODY_MALFORMED', 'body must be a Buffer, a string or an object of strings');
  }
  try {
    return fromObject(body, maxBytes, maxFields);
  } catch (err) {
    // An object whose getters throw, or a Proxy whose keys repeat, is not a body a parser made.
    if (err instanceof AlipayNotifyError) throw err;
    throw new NotifyBodyError('ERR_BODY_MALFORMED', 'the body object could not be read', { cause: err });
  }
}
