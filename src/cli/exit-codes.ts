/**
 * The `alipay-notify` exit codes: a script can tell "your endpoint is wrong" (1) from "you called
 * me wrong" (2) and "nothing answered" (3).
 *
 * @example
 * ```sh
 * alipay-notify send http://127.0.0.1:3000/alipay/notify || echo "exit $?"
 * ```
 */
export const EXIT = Object.freeze({
  /** Did what was asked: the endpoint acknowledged, the body verified, the file was written. */
  OK: 0,
  /** Ran, but the answer is no: the endpoint did not answer exactly `success`, the body did not verify. */
  FAILED: 1,
  /** Bad arguments or unreadable input; nothing was sent. */
  USAGE: 2,
  /** The endpoint could not be reached (connection refused, timeout) on every attempt. */
  UNREACHABLE: 3,
} as const);

/**
 * A wrong command line or unreadable input: printed with the command's usage hint, exit 2.
 *
 * @example
 * ```ts
 * throw new UsageError('--speed must be a positive number');
 * ```
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
