import { RedisStoreTimeoutError } from '../../errors/index.js';

export { RedisStoreTimeoutError };

/**
 * Runs `task`, rejecting with {@link RedisStoreTimeoutError} if it has not settled after
 * `timeoutMs`. Clients queue commands while reconnecting, so without this a request could hang
 * until Alipay gives up instead of being answered `fail` (https://opendocs.alipay.com/open/270/105902).
 *
 * @example
 * ```ts
 * const reply = await withTimeout(() => client.get('k'), 2000);
 * ```
 */
export function withTimeout<T>(task: () => Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new RedisStoreTimeoutError(timeoutMs)), timeoutMs);
    // A pending store command must not keep a shutting-down process alive.
    timer.unref();
    let pending: Promise<T>;
    try {
      pending = task();
    } catch (err) {
      clearTimeout(timer);
      reject(err);
      return;
    }
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
