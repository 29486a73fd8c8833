import { NotifyBodyError } from '../errors/index.js';
import { normalizeCharset } from './charset.js';
import { isPlainName } from './is-plain-name.js';
import { ScannedBody } from './scanned-body.js';

/**
 * Reads an object of already-decoded values (a body parser's output) with the rules of
 * `parseNotifyBody`: plain names, one string per field, UTF-8 only.
 */
export function scanObjectBody(
  input: Readonly<Record<string, unknown>>,
  maxBytes: number,
  maxFields: number,
): ScannedBody {
  const names: string[] = [];
  const fields = Object.create(null) as Record<string, string>;
  const src: Buffer[] = [];
  const to: number[] = [];
  let size = 0;
  let hasEmpty = false;
  let hasAmpersand = false;
  for (const name of Object.keys(input)) {
    if (!isPlainName(name))
      throw new NotifyBodyError('ERR_BODY_MALFORMED', 'field name is not a plain Alipay field name');
    const value = input[name];
    if (typeof value !== 'string') {
      // Arrays come from body parsers that met a field twice; objects from `a[b]=` syntax.
      throw new NotifyBodyError('ERR_BODY_MALFORMED', 'field value is not a single string', { field: name });
    }
    if (names.length >= maxFields) {
      throw new NotifyBodyError('ERR_BODY_TOO_LARGE', 'notification has too many fields', { limit: maxFields });
    }
    const bytes = Buffer.from(value, 'utf8');
    names.push(name);
    fields[name] = value;
    src.push(bytes);
    to.push(bytes.length);
    if (bytes.length === 0 && name !== 'sign') hasEmpty = true;
    if (value.includes('&')) hasAmpersand = true;
    size += name.length + bytes.length + 2;
  }
  if (size > maxBytes)
    throw new NotifyBodyError('ERR_BODY_TOO_LARGE', 'notification body exceeds the size limit', { limit: maxBytes });
  if (names.length === 0) throw new NotifyBodyError('ERR_BODY_MALFORMED', 'notification body is empty');
  const label = fields['charset'];
  const charset =
    label === undefined || label === '' ? 'utf-8' : normalizeCharset(Buffer.from(label, 'utf8').toString('latin1'));
  if (charset !== 'utf-8') {
    // Decoded strings no longer hold the GBK bytes Alipay signed; re-encoding them would be a guess.
    throw new NotifyBodyError(
      'ERR_CHARSET_UNSUPPORTED',
      'a non-UTF-8 notification must be passed as its raw body bytes',
      {
        charset,
      },
    );
  }
  return new ScannedBody(
    names,
    fields,
    charset,
    true,
    src,
    new Array<number>(names.length).fill(0),
    to,
    hasEmpty,
    hasAmpersand,
  );
}
