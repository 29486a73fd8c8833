import { randomUUID } from 'node:crypto';
import { NotifyConfigError } from '../errors/index.js';
import type { ClaimResult, DuplicateStore } from './duplicate-store.js';
import { WriteOrder, type Linked } from './write-order.js';

/** Options of the in-memory duplicate store. */
export interface MemoryStoreOptions {
  /**
   * Most notifications remembered at once; the oldest are forgotten first. Default 100 000 (about
   * 20 MB), far more than one instance sees in Alipay's 25-hour retry window at normal volumes.
   */
  maxEntries?: number;
}

/** One remembered notification, linked into the write order. */
interface Entry extends Linked<Entry> {
  /** Our own copy of the key (see ownCopy). */
  readonly key: string;
  state: 'claimed' | 'done';
  /** The claim's token; undefined once done. */
  token: string | undefined;
  expires: number;
}

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
  if (!Number.isSafeInteger(maxEntries) || maxEntries <= 0)
    throw new NotifyConfigError('maxEntries', 'must be a positive integer');
  const entries = new Map<string, Entry>();
  // Every write moves its entry to the newest end, so the oldest is the least recently written:
  // the one to evict when full. An expired entry is dropped when read or once it is the oldest.
  const order = new WriteOrder<Entry>();

  const drop = (e: Entry): void => {
    order.remove(e);
    entries.delete(e.key);
  };
  const live = (key: string, now: number): Entry | undefined => {
    const e = entries.get(key);
    if (e !== undefined && e.expires <= now) {
      drop(e);
      return undefined;
    }
    return e;
  };
  const write = (key: string, state: Entry['state'], token: string | undefined, expires: number, now: number): void => {
    let e = entries.get(key);
    if (e === undefined) {
      e = { key: ownCopy(key), state, token, expires, older: undefined, newer: undefined };
      entries.set(e.key, e);
    } else {
      order.remove(e);
      e.state = state;
      e.token = token;
      e.expires = expires;
    }
    order.push(e);
    // Evict the oldest while over the bound, and drop expired ones met on the way, so that memory
    // stays bounded without a timer. Constant time per write: the oldest is always a live entry.
    for (let o = order.oldest; o !== undefined && (entries.size > maxEntries || o.expires <= now); o = order.oldest)
      drop(o);
  };

  return {
    async claim(key, leaseMs): Promise<ClaimResult> {
      const now = clock();
      const e = live(key, now);
      if (e?.state === 'done') return { status: 'done' };
      if (e?.state === 'claimed') return { status: 'in_progress' };
      const token = randomUUID();
      write(key, 'claimed', token, now + leaseMs, now);
      return { status: 'claimed', token };
    },
    async complete(key, token, ttlMs) {
      const now = clock();
      const e = live(key, now);
      const held = e?.state === 'claimed' && e.token === token;
      // The handler ran either way: remember it as done so that no later retry runs it again.
      write(key, 'done', undefined, now + ttlMs, now);
      return held;
    },
    async release(key, token) {
      const e = live(key, clock());
      if (e?.state === 'claimed' && e.token === token) drop(e);
    },
    async peek(key) {
      const e = live(key, clock());
      return e === undefined ? 'absent' : e.state === 'done' ? 'done' : 'in_progress';
    },
  };
}
