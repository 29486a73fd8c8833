import { NotifyConfigError } from '../../errors/index.js';

/**
 * The slice of an `ioredis` client (`Redis` or `Cluster`, v5+) the store uses:
 * `eval(script, numKeys, ...keysAndArgs)`. Declared here so that neither client is imported.
 */
export interface IoRedisLikeClient {
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  /** Only ioredis has it; used to tell the two clients apart. */
  defineCommand(...args: never[]): unknown;
}

/**
 * The slice of a node-redis client (`createClient()` or `createCluster()`, v4+) the store uses:
 * `eval(script, { keys, arguments })`.
 */
export interface NodeRedisLikeClient {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** node-redis v5+: a view of the client whose commands carry options (used for `timeout`). */
interface WithCommandOptions {
  withCommandOptions(options: { timeout: number }): NodeRedisLikeClient;
}

/** A Redis client the store accepts: an `ioredis` or a node-redis (`redis`) client. */
export type RedisLikeClient = IoRedisLikeClient | NodeRedisLikeClient;

/** Runs one Lua script on one key, whichever client it is given. */
export type EvalOnKey = (script: string, key: string, args: readonly string[]) => Promise<unknown>;

/**
 * Wraps a client in one call shape. ioredis is recognised by `defineCommand`, which node-redis
 * lacks; both spell `eval` differently (positional `numKeys` versus an options object).
 * `timeoutMs` is handed to node-redis (v5+) as its per-command `timeout`, which also drops a
 * command from its offline queue, so that a claim given up on is not sent once Redis is back.
 *
 * @example
 * ```ts
 * const evalOnKey = toEvalOnKey(new Redis(process.env.REDIS_URL), 2000);
 * await evalOnKey("return redis.call('GET', KEYS[1])", 'some:key', []);
 * ```
 */
export function toEvalOnKey(client: unknown, timeoutMs: number): EvalOnKey {
  const c = client as Partial<Record<'eval' | 'defineCommand', unknown>> | null | undefined;
  if (c === null || typeof c !== 'object' || typeof c.eval !== 'function') {
    throw new NotifyConfigError('client', 'expected an ioredis or node-redis (v4+) client with an eval method');
  }
  if (typeof c.defineCommand === 'function') {
    const io = client as IoRedisLikeClient;
    return (script, key, args) => io.eval(script, 1, key, ...args);
  }
  const nr =
    typeof (client as Partial<WithCommandOptions>).withCommandOptions === 'function'
      ? (client as WithCommandOptions).withCommandOptions({ timeout: timeoutMs })
      : (client as NodeRedisLikeClient);
  return (script, key, args) => nr.eval(script, { keys: [key], arguments: [...args] });
}
