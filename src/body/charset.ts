import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';
import { NotifyBodyError } from '../errors/index.js';
import type { NotifyCharset } from '../types.js';

export type { NotifyCharset } from '../types.js';

const CHARSETS: Readonly<Record<string, NotifyCharset>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, NotifyCharset>, {
    'utf-8': 'utf-8',
    utf8: 'utf-8',
    gbk: 'gbk',
    gb2312: 'gb2312',
    gb18030: 'gb18030',
  }),
);

/**
 * Maps a declared charset label (any case) to the charset we decode with.
 * Throws `ERR_CHARSET_UNSUPPORTED` for anything but UTF-8 and the GB family.
 *
 * @example
 * ```ts
 * normalizeCharset('UTF-8'); // 'utf-8'
 * normalizeCharset('GBK');   // 'gbk'
 * ```
 */
export function normalizeCharset(label: string): NotifyCharset {
  const charset = CHARSETS[label.toLowerCase()];
  if (charset === undefined) {
    // The label is attacker-chosen: carry only its start, so that an error stays small in a log.
    const charset = label.length > 32 ? `${label.slice(0, 32)}…` : label;
    throw new NotifyBodyError('ERR_CHARSET_UNSUPPORTED', 'notification charset is not supported', { charset });
  }
  return charset;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Decodes one field's bytes to a string, exactly once, in the notification's charset.
 * GBK and GB2312 are decoded as GB18030, their superset, so that no valid byte sequence is lost
 * (one family: GB18030 extends GBK, which extends GB2312). Invalid UTF-8 is `ERR_BODY_MALFORMED`.
 *
 * @example
 * ```ts
 * decodeFieldBytes(Buffer.from([0xb2, 0xe2, 0xca, 0xd4]), 'gbk', 'subject'); // '测试'
 * ```
 */
export function decodeFieldBytes(bytes: Uint8Array, charset: NotifyCharset, field: string): string {
  const buf = asBuffer(bytes);
  if (charset === 'utf-8') {
    if (!isUtf8(buf)) throw new NotifyBodyError('ERR_BODY_MALFORMED', 'field is not valid UTF-8', { field });
    return buf.toString('utf8');
  }
  return iconv.decode(buf, 'gb18030');
}
