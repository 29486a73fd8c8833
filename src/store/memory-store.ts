import { randomUUID } from 'node:crypto';
import { NotifyConfigError } from '../errors.js';
import type { ClaimResult, DuplicateStore } from './duplicate-store.js';

/** Options of the in-memory duplicate store. */
export interface MemoryStoreOptions {
  /**
   * Most notifications remembered at once; the oldest are forgotten first. Default 100 000 (about
   * 20 MB), far more than one instance sees in Alipay's 25-hour retry window at normal volumes.
   */
  maxEntries?: number;
}

type Entry =
  | { readonly state: 'claimed'; readonly token: string; readonly expires: number }
  | { readonly state: 'done'; readonly expires: number };

const DEFAULT_MAX_ENTRIES = 100_000;

/**
 * A copy of `key` that shares no memory with the string it came from. A `notify_id` read from a
 * body is a slice of the body's string, and V8 keeps the whole parent alive for as long as a slice
 * lives (https://bugs.chromium.org/p/v8/issues/detail?id=2869), so each remembered key would hold the
 * ~1.3 KB body for a day. UTF-16 round-trips every JS string unchanged, lone surrogates included.
 */
function ownCopy(key: string): string {
  return Buffer.from(key, 'utf16le').toString('utf16le');
}

/**
 * The adapters' default duplicate store: one process's memory, bounded, every entry with its own
 * expiry (a claim's lease, or the done-TTL the adapter passes, which outlasts the adapter's
 * freshness window, `maxNotifyAgeMs`). It cannot see other instances: behind a load balancer use the Redis store.
 *
 * @example
 * ```ts
 * import { createMemoryStore } from 'alipay-refund-notify';
 * import { createExpressHandler } from 'alipay-refund-notify/express';
 * app.post('/alipay/notify', createExpressHandler({ ...options, store: createMemoryStore({ maxEntries: 10_000 }) }));
 * ```
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): DuplicateStore {
  return createClockedMemoryStore(options, Date.now);
}

/**
 * {@link createMemoryStore} reading the time from `clock` (ms since the epoch): the tests and the
 * bench move time forward to expire entries instead of waiting for it.
 *
 * @internal
 * @example
 * ```ts
 * let t = 0;
 * const store = createClockedMemoryStore({ maxEntries: 10 }, () => t);
 * ```
 */
export function createClockedMemoryStore(options: MemoryStoreOptions, clock: () => number): DuplicateStore {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (!Number.isSafeInteger(maxEntries) || maxEntries <= 0) throw new NotifyConfigError('maxEntries', 'must be a positive integer');
  // Map order is insertion order: every write re-inserts its key, so the first entries are the
  // least recently written, and the ones to evict when full.
  const entries = new Map<string, Entry>();

  const live = (key: string, now: number): Entry | undefined => {
    const e = entries.get(key);
    if (e !== undefined && e.expires <= now) {
      entries.delete(key);
      return undefined;
    }
    return e;
  };
  const write = (key: string, entry: Entry, now: number): void => {
    entries.delete(key);
    entries.set(ownCopy(key), entry);
    // Evict from the front while over the bound, and drop expired entries met on the way, so that
    // memory stays bounded without a timer.
    for (const [k, e] of entries) {
      if (entries.size <= maxEntries && e.expires > now) break;
      entries.delete(k);
    }
  };

  return {
    async claim(key, leaseMs): Promise<ClaimResult> {
      const now = clock();
      const e = live(key, now);
      if (e?.state === 'done') return { status: 'done' };
      if (e?.state === 'claimed') return { status: 'in_progress' };
      const token = randomUUID();
      write(key, { state: 'claimed', token, expires: now + leaseMs }, now);
      return { status: 'claimed', token };
    },
    async complete(key, token, ttlMs) {
      const now = clock();
      const e = live(key, now);
      const held = e?.state === 'claimed' && e.token === token;
      // The handler ran either way: remember it as done so that no later retry runs it again.
      write(key, { state: 'done', expires: now + ttlMs }, now);
      return held;
    },
    async release(key, token) {
      const e = live(key, clock());
      if (e?.state === 'claimed' && e.token === token) entries.delete(key);
    },
    async peek(key) {
      const e = live(key, clock());
      return e === undefined ? 'absent' : e.state === 'done' ? 'done' : 'in_progress';
    },
  };
}
