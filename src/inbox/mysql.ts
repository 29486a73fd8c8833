/**
 * The transactional inbox on MySQL 8 or MariaDB 10.6+ (InnoDB), with the `mysql2` driver's
 * promise API: your refund handler's writes and the record that the notification was handled
 * commit in one transaction. Import from `alipay-refund-notify/mysql`; `mysql2` itself is never
 * imported.
 *
 * @example
 * ```ts
 * import mysql from 'mysql2/promise';
 * import { createMysqlInbox } from 'alipay-refund-notify/mysql';
 * const inbox = createMysqlInbox({ pool: mysql.createPool(process.env.DATABASE_URL!) });
 * await inbox.migrate();
 * ```
 * @packageDocumentation
 */
import { NotifyConfigError } from '../errors/index.js';
import { createInbox } from './create-inbox.js';
import type { QueryOutcome } from './inbox-dialect.js';
import { DEFAULT_INBOX_TABLE, parseTableName } from './inbox-table-name.js';
import { mysqlDialect } from './mysql-dialect.js';
import type { NotifyInbox } from '../adapters/notify-inbox.js';

export { DEFAULT_INBOX_RETENTION_MS } from './create-inbox.js';
export { DEFAULT_INBOX_TABLE } from './inbox-table-name.js';
export { isNotifyInbox } from '../adapters/notify-inbox.js';
export type { FailedNotification, InboxDeliveryOptions, NotifyInbox, ReplayResult } from '../adapters/notify-inbox.js';
export type { AlipayReply } from '../adapters/reply-to-alipay.js';

/** What the inbox uses of a `mysql2/promise` `PoolConnection`. */
export interface MysqlConnectionLike {
  query(sql: string, values?: unknown): Promise<[unknown, unknown]>;
  /** Gives the connection back to the pool. */
  release(): void;
  /** Closes the connection (and drops it from the pool). */
  destroy(): void;
}

/** What the inbox uses of a `mysql2/promise` pool: `getConnection()`. */
export interface MysqlPoolLike {
  getConnection(): Promise<MysqlConnectionLike>;
}

/** The connection type a pool hands out: `PoolConnection` for a `mysql2/promise` pool. */
export type MysqlConnectionOf<P> = P extends { getConnection(): Promise<infer C> } ? C : never;

/** Options of {@link createMysqlInbox}. */
export interface MysqlInboxOptions<P extends MysqlPoolLike = MysqlPoolLike> {
  /** Your `mysql2/promise` pool (`mysql.createPool(...)`); the inbox takes a connection per notification and gives it back. */
  pool: P;
  /** The inbox table, optionally `database.table`; default `alipay_notify_inbox`. */
  tableName?: string;
}

/** An inbox on MySQL / MariaDB: `ctx.tx` is the pool's connection (a `mysql2/promise` `PoolConnection`). */
export type MysqlInbox<P extends MysqlPoolLike = MysqlPoolLike> = NotifyInbox<MysqlConnectionOf<P>>;

/**
 * Creates the MySQL / MariaDB inbox, to pass as the `store` of any adapter. For each verified
 * notification the adapter takes a connection from `pool`, starts a transaction, inserts the
 * inbox row keyed by `notify_id`, runs your handler with that connection as `ctx.tx`, and commits;
 * `success` is answered only after COMMIT returned. Tables must be InnoDB (MyISAM has no
 * transactions). Call `await inbox.migrate()` once at start-up, or run {@link mysqlInboxSql} with
 * your own migrations.
 *
 * @example
 * ```ts
 * import mysql from 'mysql2/promise';
 * import { createExpressHandler } from 'alipay-refund-notify/express';
 * import { createMysqlInbox } from 'alipay-refund-notify/mysql';
 *
 * const inbox = createMysqlInbox({ pool: mysql.createPool(process.env.DATABASE_URL!) });
 * await inbox.migrate();
 * app.post('/alipay/notify', createExpressHandler({
 *   alipayPublicKey, appId, store: inbox, onNotification: 'acknowledge',
 *   onRefund: async (refund, ctx) => {
 *     await ctx.tx.query('INSERT INTO refunds (notify_id, amount) VALUES (?, ?)', [refund.notifyId, refund.refundAmount]);
 *   },
 * }));
 * ```
 */
export function createMysqlInbox<P extends MysqlPoolLike>(options: MysqlInboxOptions<P>): MysqlInbox<P> {
  const tableName = options?.tableName ?? DEFAULT_INBOX_TABLE;
  const dialect = mysqlDialect(parseTableName(tableName));
  const pool = options?.pool;
  if (typeof pool !== 'object' || pool === null || typeof pool.getConnection !== 'function') {
    throw new NotifyConfigError('pool', 'must be a mysql2/promise pool (mysql.createPool(...))');
  }
  return createInbox(dialect, tableName, async () => {
    const conn = (await pool.getConnection()) as MysqlConnectionOf<P> & MysqlConnectionLike;
    return {
      tx: conn,
      async query(sql, params): Promise<QueryOutcome> {
        const [result] = await conn.query(sql, [...params]);
        if (Array.isArray(result)) return { rows: result as Record<string, unknown>[], affected: 0 };
        return { rows: [], affected: Number((result as { affectedRows: number }).affectedRows) };
      },
      release: () => conn.release(),
      destroy: () => conn.destroy(),
    };
  });
}

/**
 * The SQL that `migrate()` runs (without its lock), for your own migration tool.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('migrations/0042_alipay_notify_inbox.sql', mysqlInboxSql());
 * ```
 */
export function mysqlInboxSql(tableName: string = DEFAULT_INBOX_TABLE): string {
  return mysqlDialect(parseTableName(tableName)).migrationSql;
}
