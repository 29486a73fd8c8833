/**
 * A reference reading of a notification body, written for clarity, not speed: the rules the
 * optimised verifier (src/body/scan-raw-body.ts, src/canonical/assemble-sign-content.ts,
 * decodeSignatureBytes) must follow, spelled out one after the other. The differential test runs
 * both on the same bodies and wants the same result or the same error code.
 */
import iconv from 'iconv-lite';

/** What a reference step refused, as the library's error code (and the field it names, if any). */
export class ReferenceRefusal extends Error {
  constructor(
    readonly code: string,
    readonly field?: string,
  ) {
    super(code);
  }
}

/** A body read by the reference rules. */
export interface ReferenceBody {
  readonly names: string[];
  readonly bytes: Map<string, Buffer>;
  readonly fields: Map<string, string>;
  readonly charset: string;
}

const CHARSETS = new Map([
  ['utf-8', 'utf-8'],
  ['utf8', 'utf-8'],
  ['gbk', 'gbk'],
  ['gb2312', 'gb2312'],
  ['gb18030', 'gb18030'],
]);

/** Rule: a name is `[A-Za-z0-9_]` then `[A-Za-z0-9_.-]*`, 1–64 characters, not `__…`, `constructor` or `prototype`. */
export function referencePlainName(name: string): boolean {
  return (
    /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/.test(name) &&
    !name.startsWith('__') &&
    name !== 'constructor' &&
    name !== 'prototype'
  );
}

/** Rule: `+` is a space, `%XX` one byte (either case), anything else itself; a bad `%` is refused. */
function formDecode(segment: string, field: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '+') out.push(0x20);
    else if (c === '%') {
      const hex = segment.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new ReferenceRefusal('ERR_BODY_MALFORMED', field);
      out.push(parseInt(hex, 16));
      i += 2;
    } else out.push(c.charCodeAt(0));
  }
  return Buffer.from(out);
}

/** Rule: the text of a value is its bytes decoded in the charset (GB family as GB18030); bad UTF-8 is refused. */
function decodeText(bytes: Buffer, charset: string, field: string): string {
  if (charset !== 'utf-8') return iconv.decode(bytes, 'gb18030');
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new ReferenceRefusal('ERR_BODY_MALFORMED', field);
  }
}

function charsetOf(label: Buffer | undefined): string {
  if (label === undefined || label.length === 0) return 'utf-8';
  const charset = CHARSETS.get(label.toString('latin1').toLowerCase());
  if (charset === undefined) throw new ReferenceRefusal('ERR_CHARSET_UNSUPPORTED');
  return charset;
}

/**
 * Reads a raw body (bytes, or a string: ASCII as latin1, anything else as UTF-8) by the rules:
 * size limit; split on `&`, empty segments skipped; the name runs to the first `=`; a name plain
 * as it arrived is taken as is, any other is form-decoded and must then be plain; a repeated name
 * is refused; more than `maxFields` fields are refused; each value is form-decoded once; no field
 * at all is refused; then the charset, then each value's text in that charset.
 */
export function referenceRead(input: Uint8Array | string, maxBodyBytes = 65536, maxFields = 200): ReferenceBody {
  if (typeof input === 'string' && input.length > maxBodyBytes) throw new ReferenceRefusal('ERR_BODY_TOO_LARGE');
  // eslint-disable-next-line no-control-regex
  const ascii = typeof input === 'string' && /^[\x00-\x7f]*$/.test(input);
  const raw = typeof input === 'string' ? Buffer.from(input, ascii ? 'latin1' : 'utf8') : Buffer.from(input);
  if (raw.length > maxBodyBytes) throw new ReferenceRefusal('ERR_BODY_TOO_LARGE');
  const names: string[] = [];
  const bytes = new Map<string, Buffer>();
  for (const segment of raw.toString('latin1').split('&')) {
    if (segment === '') continue;
    const eq = segment.indexOf('=');
    const rawName = eq === -1 ? segment : segment.slice(0, eq);
    const rawValue = eq === -1 ? '' : segment.slice(eq + 1);
    let name = rawName;
    if (!referencePlainName(rawName)) {
      name = formDecode(rawName, '').toString('latin1');
      if (!referencePlainName(name)) throw new ReferenceRefusal('ERR_BODY_MALFORMED');
    }
    if (bytes.has(name)) throw new ReferenceRefusal('ERR_BODY_MALFORMED', name);
    if (names.length >= maxFields) throw new ReferenceRefusal('ERR_BODY_TOO_LARGE');
    names.push(name);
    bytes.set(name, formDecode(rawValue, name));
  }
  if (names.length === 0) throw new ReferenceRefusal('ERR_BODY_MALFORMED');
  const charset = charsetOf(bytes.get('charset'));
  const fields = new Map<string, string>();
  for (const name of names) fields.set(name, decodeText(bytes.get(name)!, charset, name));
  return { names, bytes, fields, charset };
}

/** A signed-string rule, as in src/canonical/build-sign-content.ts. */
export interface ReferenceRule {
  keepSignType?: boolean;
  keepEmpty?: boolean;
}

/** Rule: whether `rule` signs field `name`. */
export function referenceSigned(body: ReferenceBody, name: string, rule: ReferenceRule): boolean {
  if (name === 'sign' || (name === 'sign_type' && rule.keepSignType !== true)) return false;
  return rule.keepEmpty === true || body.bytes.get(name)!.length > 0;
}

/** Rule: the signed fields sorted by name, `name=value` joined with `&`, values as decoded bytes. */
export function referenceSignContent(body: ReferenceBody, rule: ReferenceRule = {}): Buffer {
  const names = body.names.filter((n) => referenceSigned(body, n, rule)).sort();
  const parts: Buffer[] = [];
  names.forEach((n, i) => parts.push(Buffer.from(`${i > 0 ? '&' : ''}${n}=`, 'latin1'), body.bytes.get(n)!));
  return Buffer.concat(parts);
}

/** Rule: only canonical padded base64 decodes (re-encoding gives the same text); anything else is no signature. */
export function referenceSignature(sign: string): Buffer {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(sign)) return Buffer.alloc(0);
  const bytes = Buffer.from(sign, 'base64');
  return bytes.toString('base64') === sign ? bytes : Buffer.alloc(0);
}

/**
 * Rule: a signed value holding `&Y=` where Y is a plain name other than `sign` that sorts after
 * the field's own name gives the signed string a second reading.
 */
export function referenceSecondReading(
  body: ReferenceBody,
  rule: ReferenceRule,
): { field: string; as: string } | undefined {
  for (const field of body.names) {
    if (!referenceSigned(body, field, rule)) continue;
    const value = body.bytes.get(field)!.toString('latin1');
    for (const piece of value.split('&').slice(1)) {
      const eq = piece.indexOf('=');
      const as = eq === -1 ? undefined : piece.slice(0, eq);
      if (as !== undefined && as.length <= 64 && referencePlainName(as) && as !== 'sign' && as > field)
        return { field, as };
    }
  }
  return undefined;
}
