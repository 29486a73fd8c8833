import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { NotifyBodyError } from '../errors/index.js';
import { UsageError } from './exit-codes.js';

const tooLarge = (limit: number): NotifyBodyError =>
  new NotifyBodyError('ERR_BODY_TOO_LARGE', 'notification body exceeds the size limit', { limit });

/** Reads at most `limit + 1` bytes of an open file: enough to tell "over the limit" apart. */
function readBounded(fd: number, limit: number): Buffer {
  // A regular file says its size up front; a FIFO or a device says 0 and is read up to the bound.
  const stat = fstatSync(fd);
  if (stat.isFile() && stat.size > limit) throw tooLarge(limit);
  const buffer = Buffer.alloc(limit + 1);
  let length = 0;
  while (length < buffer.length) {
    const n = readSync(fd, buffer, length, buffer.length - length, null);
    if (n === 0) break;
    length += n;
  }
  if (length > limit) throw tooLarge(limit);
  return buffer.subarray(0, length);
}

function readFile(path: string, limit: number | undefined): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    throw new UsageError(`cannot read ${path}`);
  }
  try {
    return limit === undefined ? readFileSync(fd) : readBounded(fd, limit);
  } catch (err) {
    if (err instanceof NotifyBodyError) throw err;
    throw new UsageError(`cannot read ${path}`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a file, or stdin when `path` is `-` or absent, as raw bytes (a captured notification body
 * must reach the verifier byte for byte). With `limit`, nothing past `limit + 1` bytes is read, from
 * a file or from stdin: a larger input is refused with `ERR_BODY_TOO_LARGE`, the verifier's own
 * error for a body over `maxBodyBytes`, before it fills memory.
 *
 * @example
 * ```ts
 * const body = await readInput(positionals[0], { limit: 65536 });
 * ```
 */
export async function readInput(path: string | undefined, options: { limit?: number } = {}): Promise<Buffer> {
  const { limit } = options;
  if (path !== undefined && path !== '-') return readFile(path, limit);
  if (process.stdin.isTTY) throw new UsageError('give a file, or pipe the input into stdin');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    // Leaving the loop destroys stdin: the writer gets EPIPE instead of us buffering the rest.
    if (limit !== undefined && size > limit) throw tooLarge(limit);
  }
  return Buffer.concat(chunks);
}

/**
 * A key or certificate given on the command line: a file path when such a file exists, else the
 * value itself (bare base64 or PEM), so `--public-key "$ALIPAY_PUBLIC_KEY"` works too.
 *
 * @example
 * ```ts
 * const key = readKeyArgument(values['public-key'], '--public-key');
 * ```
 */
export function readKeyArgument(value: string, option: string): string {
  try {
    return readFileSync(value, 'utf8');
  } catch {
    if (/^-----BEGIN /.test(value.trim()) || /^[A-Za-z0-9+/=\s]{64,}$/.test(value)) return value;
    throw new UsageError(`${option}: no such file, and not a key either`);
  }
}
