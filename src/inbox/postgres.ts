/**
 * The transactional inbox on PostgreSQL, with the `pg` driver (node-postgres 8): your refund
 * handler's writes and the record that the notification was handled commit in one transaction.
 * Import from `alipay-refund-notify/postgres`; `pg` itself is never imported.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { createPostgresInbox } from 'alipay-refund-notify/postgres';
 * const inbox = createPostgresInbox({ pool: new pg.Pool({ connectionString: process.env.DATABASE_URL }) });
 * await inbox.migrate();
 * ```
 * @packageDocumentation
 */
import { NotifyConfigError } from '../errors/index.js';
import { createInbox } from './create-inbox.js';
import type { QueryOutcome } from './inbox-dialect.js';
import { DEFAULT_INBOX_TABLE, parseTableName } from './inbox-table-name.js';
import type { NotifyInbox } from '../adapters/notify-inbox.js';
import { postgresDialect } from './postgres-dialect.js';

export { DEFAULT_INBOX_RETENTION_MS } from './create-inbox.js';
export { DEFAULT_INBOX_TABLE } from './inbox-table-name.js';
export { isNotifyInbox } from '../adapters/notify-inbox.js';
export type { FailedNotification, InboxDeliveryOptions, NotifyInbox, ReplayResult } from '../adapters/notify-inbox.js';
export type { AlipayReply } from '../adapters/reply-to-alipay.js';

/** What the inbox uses of a `pg` `PoolClient`. */
export interface PgClientLike {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount?: number | null }>;
  /** `release(true)` closes the connection instead of returning it to the pool. */
  release(destroy?: boolean | Error): void;
  /** The client's EventEmitter methods (a `pg` client has them), for its `error` event while the inbox holds it. */
  on?(event: 'error', listener: (err: Error) => void): unknown;
  removeListener?(event: 'error', listener: (err: Error) => void): unknown;
}

/** What the inbox uses of a `pg` `Pool`: `connect()`, which resolves with a client. */
export interface PgPoolLike {
  connect(): Promise<PgClientLike>;
}

/**
 * The client type a pool hands out: `PoolClient` for a `pg` `Pool` (whose `connect` has a
 * callback overload as well), or what `connect()` resolves with for a look-alike.
 */
export type PgClientOf<P> = P extends { connect(): Promise<infer C>; connect(callback: never): void }
  ? C
  : P extends { connect(): Promise<infer C> }
    ? C
    : never;

/** Options of {@link createPostgresInbox}. */
export interface PostgresInboxOptions<P extends PgPoolLike = PgPoolLike> {
  /** Your `pg` `Pool` (`new pg.Pool(...)`); the inbox takes a client per notification and gives it back. */
  pool: P;
  /** The inbox table, optionally `schema.table`; default `alipay_notify_inbox`. */
  tableName?: string;
}

/** An inbox on PostgreSQL: `ctx.tx` is the pool's client (a `pg` `PoolClient`). */
export type PostgresInbox<P extends PgPoolLike = PgPoolLike> = NotifyInbox<PgClientOf<P>>;

/**
 * Creates the PostgreSQL inbox, to pass as the `store` of any adapter. For each verified
 * notification the adapter takes a client from `pool`, opens a transaction, inserts the inbox row
 * keyed by `notify_id`, runs your handler with that client as `ctx.tx`, and commits; `success` is
 * answered only after COMMIT returned. Call `await inbox.migrate()` once at start-up, or run
 * {@link postgresInboxSql} with your own migrations.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import { createExpressHandler } from 'alipay-refund-notify/express';
 * import { createPostgresInbox } from 'alipay-refund-notify/postgres';
 *
 * const inbox = createPostgresInbox({ pool: new pg.Pool({ connectionString: process.env.DATABASE_URL }) });
 * await inbox.migrate();
 * app.post('/alipay/notify', createExpressHandler({
 *   alipayPublicKey, appId, store: inbox, onNotification: 'acknowledge',
 *   onRefund: async (refund, ctx) => {
 *     await ctx.tx.query('INSERT INTO refunds (notify_id, amount) VALUES ($1, $2)', [refund.notifyId, refund.refundAmount]);
 *   },
 * }));
 * ```
 */
export function createPostgresInbox<P extends PgPoolLike>(options: PostgresInboxOptions<P>): PostgresInbox<P> {
  const tableName = options?.tableName ?? DEFAULT_INBOX_TABLE;
  const dialect = postgresDialect(parseTableName(tableName));
  const pool = checkPool(options?.pool);
  return createInbox(dialect, tableName, async () => {
    const client = (await pool.connect()) as PgClientOf<P> & PgClientLike;
    // A checked-out client whose server goes away emits `error`, which would crash the process
    // with no listener (https://node-postgres.com/apis/pool#releasing-clients): the next query
    // (COMMIT) fails and says so instead. The pool listens again once the client is back.
    const ignore = (): void => {};
    client.on?.('error', ignore);
    return {
      tx: client,
      async query(sql, params): Promise<QueryOutcome> {
        const result = await client.query(sql, [...params]);
        return { rows: result.rows as Record<string, unknown>[], affected: result.rowCount ?? 0 };
      },
      release: () => {
        client.removeListener?.('error', ignore);
        client.release();
      },
      destroy: () => client.release(true),
    };
  });
}

function checkPool(pool: unknown): PgPoolLike {
  if (typeof pool !== 'object' || pool === null || typeof (pool as PgPoolLike).connect !== 'function') {
    throw new NotifyConfigError('pool', 'must be a pg Pool (new pg.Pool(...))');
  }
  return pool as PgPoolLike;
}

/**
 * The SQL that `migrate()` runs (without its lock), for your own migration tool.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('migrations/0042_alipay_notify_inbox.sql', postgresInboxSql());
 * ```
 */
export function postgresInboxSql(tableName: string = DEFAULT_INBOX_TABLE): string {
  return postgresDialect(parseTableName(tableName)).migrationSql;
}
