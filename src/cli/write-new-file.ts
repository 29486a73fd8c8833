import { closeSync, constants, fchmodSync, lstatSync, openSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
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
    // O_NOFOLLOW is undefined on Windows (`| undefined` adds nothing), where O_EXCL alone already
    // refuses an existing link.
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, mode);
  } catch (err) {
    // EEXIST here: created by someone else since we looked.
    throw new UsageError(`cannot create ${path} (${(err as NodeJS.ErrnoException).code})`);
  }
  try {
    fchmodSync(fd, mode);
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

/**
 * `writeFileSync` for an output the user named (`--out`, `--save-body`): a path that cannot be
 * written is a usage error (exit 2), not a crash.
 *
 * @example
 * ```ts
 * writeOutput(values['save-body'], body);
 * ```
 */
export function writeOutput(path: string, content: string | Buffer): void {
  try {
    writeFileSync(path, content);
  } catch (err) {
    throw new UsageError(`cannot write ${path} (${(err as NodeJS.ErrnoException).code})`);
  }
}
