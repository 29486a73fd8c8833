/**
 * A Redis-backed {@link DuplicateStore}: several instances of a service share which Alipay
 * notifications (by `notify_id`) are being handled or were handled, so that a notification is
 * handled once even when copies reach different instances at the same moment.
 * Import from `alipay-refund-notify/redis`.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createRedisStore } from 'alipay-refund-notify/redis';
 * import { createExpressHandler } from 'alipay-refund-notify/express';
 *
 * const store = createRedisStore({ client: new Redis(process.env.REDIS_URL!), prefix: 'shop:alipay:' });
 * app.post('/alipay/notify', createExpressHandler({ alipayPublicKey, appId, store, onRefund }));
 * ```
 * @packageDocumentation
 */
import { randomUUID } from 'node:crypto';
import { NotifyConfigError } from '../errors/index.js';
import type { ClaimResult, DuplicateStore } from './duplicate-store.js';
import { CLAIM_SCRIPT, COMPLETE_SCRIPT, PEEK_SCRIPT, RELEASE_SCRIPT } from './redis/scripts.js';
import { toEvalOnKey, type RedisLikeClient } from './redis/redis-eval.js';
import { withTimeout } from './redis/with-timeout.js';

export type { IoRedisLikeClient, NodeRedisLikeClient, RedisLikeClient } from './redis/redis-eval.js';
export type { ClaimResult, DuplicateStore } from './duplicate-store.js';
export { RedisStoreTimeoutError } from './redis/with-timeout.js';

/** The default key prefix: every key the store writes is `prefix + notify_id`. */
export const DEFAULT_REDIS_PREFIX = 'alipay-refund-notify:';

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /**
   * A connected client you already have: `new Redis(...)` / `new Cluster(...)` from `ioredis`
   * (v5+), or `createClient(...)` / `createCluster(...)` from `redis` (v4+), after `connect()`.
   * The store never connects, quits or configures it. An ioredis `keyPrefix` is applied as usual,
   * before `prefix`.
   */
  client: RedisLikeClient;
  /**
   * Prepended to every key; default `'alipay-refund-notify:'`. Instances of one service must use
   * the same prefix; give different services sharing one Redis different prefixes if they must
   * not share state. The store only ever reads and writes `prefix + notify_id` (no `KEYS`/`SCAN`).
   */
  prefix?: string;
  /**
   * How long one Redis command may take before the store gives up, in ms; default 2000. When Redis
   * is down, clients queue commands while they reconnect; without a bound the adapter could not
   * answer `fail` (so that Alipay retries, https://opendocs.alipay.com/open/270/105902) before Alipay's own timeout.
   */
  commandTimeoutMs?: number;
  /**
   * Caps the lease of a claim, in ms. Default: no cap, so a claim lasts what the adapter asks for
   * (its `handlerTimeoutMs` + 60 s). The lease is how long a notification stays blocked when the
   * instance handling it dies; Alipay's next retry comes minutes later (https://opendocs.alipay.com/open/270/105902), so the
   * default costs nothing. A cap below the handler's real run time lets a retry run the handler a
   * second time while the first still runs: the late `complete` then returns false and the adapter
   * reports `ERR_DUPLICATE_OVERLAP` to `onError`.
   */
  maxLeaseMs?: number;
}

/**
 * Creates a {@link DuplicateStore} on Redis, to pass as the `store` option of any adapter.
 *
 * Every transition is one Lua script on one key, so it is atomic: of many concurrent `claim`s of
 * one `notify_id`, exactly one gets `claimed` while its lease lives. A claim carries a random token
 * and a lease (`PX`, on Redis's clock): if the instance dies mid-handler, the lease expires and
 * Alipay's next retry is handled elsewhere. `complete` marks the notification done for `ttlMs`
 * and returns false when the token no longer held the claim (the lease had expired, so another
 * delivery may have run the handler too); `release` only removes the caller's own claim.
 *
 * Errors from Redis (down, timed out) reject the store's promises: a notification that cannot be
 * claimed is answered `fail`, never `success`, and Alipay retries (https://opendocs.alipay.com/open/270/105902).
 *
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { createRedisStore } from 'alipay-refund-notify/redis';
 *
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const store = createRedisStore({ client, prefix: 'shop:alipay:' });
 * ```
 */
export function createRedisStore(options: RedisStoreOptions): DuplicateStore {
  if (options === null || typeof options !== 'object')
    throw new NotifyConfigError('options', 'expected { client, prefix? }');
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  if (typeof prefix !== 'string') throw new NotifyConfigError('prefix', 'expected a string');
  const timeoutMs = options.commandTimeoutMs ?? 2000;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0)
    throw new NotifyConfigError('commandTimeoutMs', 'expected a positive integer number of milliseconds');
  const maxLeaseMs = options.maxLeaseMs;
  if (maxLeaseMs !== undefined && (!Number.isSafeInteger(maxLeaseMs) || maxLeaseMs <= 0)) {
    throw new NotifyConfigError('maxLeaseMs', 'expected a positive integer number of milliseconds');
  }
  const evalOnKey = toEvalOnKey(options.client, timeoutMs);

  const run = (script: string, key: string, args: readonly string[]): Promise<unknown> =>
    withTimeout(() => evalOnKey(script, prefix + key, args), timeoutMs);

  return {
    async claim(key: string, leaseMs: number): Promise<ClaimResult> {
      const token = randomUUID();
      const lease = Math.min(toPx(leaseMs, 'leaseMs'), maxLeaseMs ?? Number.POSITIVE_INFINITY);
      const reply = await run(CLAIM_SCRIPT, key, [token, String(lease)]);
      if (reply === 'claimed') return { status: 'claimed', token };
      if (reply === 'done') return { status: 'done' };
      return { status: 'in_progress' };
    },
    async complete(key: string, token: string, ttlMs: number): Promise<boolean> {
      return Number(await run(COMPLETE_SCRIPT, key, [token, String(toPx(ttlMs, 'ttlMs'))])) === 1;
    },
    async release(key: string, token: string): Promise<void> {
      await run(RELEASE_SCRIPT, key, [token]);
    },
    async peek(key: string): Promise<'done' | 'in_progress' | 'absent'> {
      const reply = await run(PEEK_SCRIPT, key, []);
      return reply === 'done' || reply === 'in_progress' ? reply : 'absent';
    },
  };
}

/** `SET … PX` takes a positive integer; a lease or TTL that is not a finite number is a bug. */
function toPx(ms: number, name: string): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0)
    throw new NotifyConfigError(name, 'expected a positive number of milliseconds');
  return Math.ceil(ms);
}
