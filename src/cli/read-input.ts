import { readFileSync } from 'node:fs';
import { UsageError } from './exit-codes.js';

/**
 * Reads a whole file, or stdin when `path` is `-` or absent, as raw bytes (a captured notification
 * body must reach the verifier byte for byte).
 *
 * @example
 * ```ts
 * const body = await readInput(positionals[0]);
 * ```
 */
export async function readInput(path: string | undefined): Promise<Buffer> {
  if (path !== undefined && path !== '-') {
    try {
      return readFileSync(path);
    } catch {
      throw new UsageError(`cannot read ${path}`);
    }
  }
  if (process.stdin.isTTY) throw new UsageError('give a file, or pipe the input into stdin');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
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
