import { closeSync, constants, fchmodSync, lstatSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { UsageError } from './exit-codes.js';

/**
 * True when something, even a dangling symbolic link, is at `path`. `existsSync` follows links,
 * so it calls a link planted towards a file that does not exist yet "absent".
 *
 * @example
 * ```ts
 * if (pathTaken('alipay-test-private-key.pem')) throw new UsageError('already exists');
 * ```
 */
export function pathTaken(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    // Absent, or unreachable (a parent is not a directory): creating it will say which.
    return false;
  }
}

/**
 * Writes `content` to a file this call creates itself, ending with exactly `mode`: created with
 * `O_CREAT | O_EXCL | O_NOFOLLOW`, so a symbolic link planted at `path` is never followed and a
 * file someone else created in between is never written into (open(2), "O_EXCL":
 * https://man7.org/linux/man-pages/man2/open.2.html). With `replace`, what is at `path` (a file,
 * or a link, not its target) is unlinked first. `fchmod` sets `mode` whatever the umask.
 *
 * @example
 * ```ts
 * writeNewFile('alipay-test-private-key.pem', pem, 0o600, { replace: true });
 * ```
 */
export function writeNewFile(path: string, content: string, mode: number, options: { replace?: boolean } = {}): void {
  if (options.replace === true) {
    try {
      unlinkSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`cannot replace ${path}`);
    }
  }
  let fd: number;
  try {
    // O_NOFOLLOW is absent on Windows, where O_EXCL alone already refuses an existing link.
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), mode);
  } catch (err) {
    // EEXIST: created by someone else since we looked, or a link (O_EXCL never follows one).
    const exists = (err as NodeJS.ErrnoException).code === 'EEXIST';
    throw new UsageError(exists ? `${path} already exists (use --force to overwrite)` : `cannot write ${path}`);
  }
  try {
    fchmodSync(fd, mode);
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}
