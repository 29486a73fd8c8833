/**
 * Where the adapters remember which notifications (by `notify_id`) were handled, so that Alipay's
 * retries and concurrent copies run the merchant's handler once (https://opendocs.alipay.com/open/270/105902: `notify_id` is the
 * same on every retry). The in-memory store is the default; the Redis store shares state between
 * instances.
 */

/** The outcome of trying to claim a notification for processing. */
export type ClaimResult =
  /** Ours to process; pass `token` back to `complete` or `release`. */
  | { readonly status: 'claimed'; readonly token: string }
  /** Already handled successfully: acknowledge without calling the handler again. */
  | { readonly status: 'done' }
  /** Another delivery holds it right now (its lease has not expired). */
  | { readonly status: 'in_progress' };

/**
 * A duplicate-suppression store. Every transition must be atomic: two `claim`s of the same key
 * never both return `claimed` while a lease is live.
 *
 * @example
 * ```ts
 * const claim = await store.claim('2019081500222155624068450559358070', 30_000);
 * if (claim.status === 'claimed') {
 *   try { await handle(); await store.complete(key, claim.token, 26 * 3600_000); }
 *   catch (err) { await store.release(key, claim.token); throw err; }
 * }
 * ```
 */
export interface DuplicateStore {
  /** Claims `key` for `leaseMs`, unless it is done or claimed by a live lease. */
  claim(key: string, leaseMs: number): Promise<ClaimResult>;
  /**
   * Marks `key` done for `ttlMs`. The adapters pass their `maxNotifyAgeMs` + 5 minutes + 1 hour
   * (26 h 5 min by default), so that a notification is refused by its age before its mark can
   * expire; a store must keep the mark at least that long. Returns
   * false when `token` no longer held the claim (its lease expired and another delivery may have
   * run the handler too): the caller reports that overlap.
   */
  complete(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Gives the claim up after a failed handler, so that Alipay's retry runs it again. */
  release(key: string, token: string): Promise<void>;
  /** The current state of `key`, without changing it (for waiting on an in-flight copy). */
  peek(key: string): Promise<'done' | 'in_progress' | 'absent'>;
}
