import type { NotifyAdapterOptions } from './adapter-options.js';
import type { AlipayReply } from './reply-to-alipay.js';
import type { AlipayNotifyError } from '../errors/index.js';
import type { NotifyAdapterError } from '../errors/index.js';

/** Marks an object as an inbox, so that the adapters tell it from a `DuplicateStore`. */
export const NOTIFY_INBOX = Symbol.for('alipay-refund-notify.inbox');

/** What a delivery needs from the adapter that received it. */
export interface InboxDeliveryOptions {
  /** The adapter's `handlerTimeoutMs`: bounds the handler and the wait for a copy's row lock. */
  readonly handlerTimeoutMs: number;
  /** Reports an error and returns the `fail` reply for it. */
  readonly fail: (error: NotifyAdapterError) => AlipayReply;
  /** Reports a problem found when the answer is already decided (`status`) or sent (undefined). */
  readonly report: (error: NotifyAdapterError, status: number | undefined) => void;
}

/** A verified notification whose handler failed, as `inbox.failed()` lists it. */
export interface FailedNotification {
  /** The notification's `notify_id`. */
  readonly notifyId: string;
  /** The exact bytes that arrived (what `replay` verifies again). */
  readonly rawBody: Buffer;
  /** How many times the handler ran for it (deliveries and replays). */
  readonly attempts: number;
  /** When the first attempt failed. */
  readonly firstFailedAt: Date;
  /** When the last attempt failed. */
  readonly lastFailedAt: Date;
  /** The last failure's code: `ERR_HANDLER_FAILED`, `ERR_HANDLER_TIMEOUT` or `ERR_STORE_FAILED`. */
  readonly code: string;
  /** The last failure's message: your handler's error message when it threw (at most 2000 characters). */
  readonly message: string;
}

/** What `inbox.replay()` did. */
export type ReplayResult =
  /** The handler ran and its transaction committed: the notification left the failed list. */
  | { readonly status: 'handled' }
  /** It was already handled (by a delivery or another replay): the handler did not run. */
  | { readonly status: 'duplicate' }
  /** No row for this `notify_id`: it never verified here, or it was pruned. */
  | { readonly status: 'not_found' }
  /** It failed again (or no longer verifies): still listed, with one attempt more if the handler ran. */
  | { readonly status: 'failed'; readonly error: AlipayNotifyError };

/**
 * A transactional inbox in your own database, to pass as the `store` option of any adapter: the
 * `notify_id` is recorded and your handler's writes made through `ctx.tx` commit in one
 * transaction. `Tx` is the transaction handle your handler gets as `ctx.tx` (a `pg` `PoolClient`,
 * a `mysql2` `PoolConnection`). Made by `createPostgresInbox` (`alipay-refund-notify/postgres`)
 * or `createMysqlInbox` (`alipay-refund-notify/mysql`).
 *
 * @example
 * ```ts
 * const inbox = createPostgresInbox({ pool });
 * await inbox.migrate();
 * app.post('/alipay/notify', createExpressHandler({ ...options, store: inbox, onRefund: async (refund, ctx) => {
 *   await ctx.tx.query('INSERT INTO refunds (out_biz_no) VALUES ($1)', [refund.outBizNo]);
 * } }));
 * ```
 */
export interface NotifyInbox<Tx> {
  /** Tells the adapters that this is an inbox. */
  readonly [NOTIFY_INBOX]: true;
  /** `'postgres'` or `'mysql'`. */
  readonly dialect: 'postgres' | 'mysql';
  /** The inbox table's name, as configured. */
  readonly tableName: string;
  /** The SQL that `migrate()` runs, for your own migration tool. */
  readonly migrationSql: string;
  /** Creates the table and its indexes if absent; safe to run from several instances at once. */
  migrate(): Promise<void>;
  /** The verified notifications whose handler failed and that no later run has handled, oldest failure first. */
  failed(options?: { limit?: number }): Promise<FailedNotification[]>;
  /**
   * Verifies the stored body again (ignoring `maxNotifyAgeMs`: the body was stored here, after it
   * verified fresh) and runs the handler in a transaction exactly as a delivery would. `options`
   * are the adapter's; there is no HTTP request in a replay, so `ctx.request` is undefined.
   */
  replay<R>(notifyId: string, options: NotifyAdapterOptions<R, Tx>): Promise<ReplayResult>;
  /**
   * Deletes handled rows older than `olderThanMs` (default 26 hours, beyond Alipay's retries and
   * the adapters' 25-hour freshness window); never a failed one. Resolves with the number deleted.
   */
  prune(options?: { olderThanMs?: number }): Promise<number>;
  /**
   * Used by the adapters: runs `task` for one verified notification in a transaction, with the
   * inbox row. Never rejects.
   */
  deliver(
    notifyId: string,
    rawBody: Buffer,
    task: (signal: AbortSignal, tx: Tx) => unknown,
    options: InboxDeliveryOptions,
  ): Promise<AlipayReply>;
}

/**
 * Whether `store` is an inbox (made by `createPostgresInbox` or `createMysqlInbox`).
 *
 * @example
 * ```ts
 * if (isNotifyInbox(options.store)) await options.store.migrate();
 * ```
 */
export function isNotifyInbox(store: unknown): store is NotifyInbox<unknown> {
  return typeof store === 'object' && store !== null && (store as Record<symbol, unknown>)[NOTIFY_INBOX] === true;
}
