import type { NotifyAdapterOptions, NotifyContext } from '../adapters/adapter-options.js';
import { NotifyAdapterError } from '../errors/index.js';
import { SUCCESS_REPLY } from '../adapters/reply-to-alipay.js';
import { AlipayNotifyError, NotifyConfigError } from '../errors/index.js';
import type { AlipayNotification } from '../types.js';
import { createNotifyVerifier, isRefundNotification } from '../verifier/create-notify-verifier.js';
import type { ConnectionSource, InboxDialect, QueryOutcome, Statement } from './inbox-dialect.js';
import {
  NOTIFY_INBOX,
  type FailedNotification,
  type NotifyInbox,
  type ReplayResult,
} from '../adapters/notify-inbox.js';
import { acquire, runAll, runInInbox, type InboxDatabase } from './run-in-inbox.js';

/** How long handled rows are kept by default: Alipay's retries and the 25-hour freshness window, and an hour more. */
export const DEFAULT_INBOX_RETENTION_MS = 26 * 3600_000;
const DEFAULT_HANDLER_TIMEOUT_MS = 10_000;
const ADMIN_TIMEOUT_MS = 60_000;

function positiveInteger(value: unknown, fallback: number, option: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = value ?? fallback;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0 || n > max)
    throw new NotifyConfigError(option, `must be a positive integer (at most ${max})`);
  return n;
}

/** pg and mysql2 read a bytea / BLOB as a Buffer; other pg-like clients (PGlite) as a Uint8Array. */
function toBuffer(value: unknown): Buffer {
  return Buffer.from(value as Uint8Array);
}

/** Runs statements on a connection of its own, for the inbox's administration calls. */
async function withConnection<Tx, T>(
  db: InboxDatabase<Tx>,
  what: string,
  statements: readonly Statement[],
  use: (outcome: QueryOutcome) => T,
): Promise<T> {
  try {
    const conn = await acquire(db.connect, ADMIN_TIMEOUT_MS);
    const result = use(await runAll(conn, statements, ADMIN_TIMEOUT_MS));
    conn.release();
    return result;
  } catch (cause) {
    throw new NotifyAdapterError('ERR_STORE_FAILED', `the inbox database failed: ${what}`, { cause });
  }
}

/**
 * Builds an inbox on a dialect's SQL and a pool's connections; `createPostgresInbox` and
 * `createMysqlInbox` are this with their driver's pieces.
 *
 * @example
 * ```ts
 * const inbox = createInbox(postgresDialect(parseTableName('alipay_notify_inbox')), 'alipay_notify_inbox', connectFromPool);
 * ```
 */
export function createInbox<Tx>(
  dialect: InboxDialect,
  tableName: string,
  connect: ConnectionSource<Tx>,
): NotifyInbox<Tx> {
  const db: InboxDatabase<Tx> = { dialect, connect };

  async function replay<R>(notifyId: string, options: NotifyAdapterOptions<R, Tx>): Promise<ReplayResult> {
    if (options === null || typeof options !== 'object')
      throw new NotifyConfigError('options', 'must be the adapter options');
    const { onRefund, onNotification } = options;
    if (typeof onRefund !== 'function')
      throw new NotifyConfigError('onRefund', 'required: a function that records the refund');
    const handlerTimeoutMs = positiveInteger(
      options.handlerTimeoutMs,
      DEFAULT_HANDLER_TIMEOUT_MS,
      'handlerTimeoutMs',
      2 ** 31 - 1,
    );
    // The body verified fresh when it arrived and was stored here, so its age no longer matters:
    // a fix deployed days later still processes it.
    const verifier = createNotifyVerifier({ ...options, maxNotifyAgeMs: undefined });

    const rows = await withConnection(db, 'reading the row to replay', [dialect.selectRow(notifyId)], (o) => o.rows);
    const row = rows[0];
    if (row === undefined) return { status: 'not_found' };
    if (row['status'] === 'done') return { status: 'duplicate' };
    const rawBody = toBuffer(row['raw_body']);
    let n: AlipayNotification;
    try {
      n = verifier.verify(rawBody);
    } catch (err) {
      return {
        status: 'failed',
        error:
          err instanceof AlipayNotifyError
            ? err
            : new AlipayNotifyError('ERR_BODY_MALFORMED', 'the stored body could not be read', { cause: err }),
      };
    }
    // No HTTP request in a replay: `request` is undefined whatever the adapter's type (documented on replay).
    const context = (signal: AbortSignal, tx: Tx): NotifyContext<R, Tx> => ({
      notifyId: n.notifyId,
      rawBody,
      signal,
      request: undefined as R,
      tx,
    });
    let task: (signal: AbortSignal, tx: Tx) => unknown;
    if (isRefundNotification(n)) task = (signal, tx) => onRefund(n, context(signal, tx));
    else if (typeof onNotification === 'function') task = (signal, tx) => onNotification(n, context(signal, tx));
    else if (onNotification === 'acknowledge') task = () => undefined;
    else
      return {
        status: 'failed',
        error: new NotifyAdapterError('ERR_UNHANDLED_NOTIFICATION', `no handler for ${n.kind} notifications`, {
          notifyId: n.notifyId,
        }),
      };

    const outcome = await runInInbox(db, n.notifyId, rawBody, task, { handlerTimeoutMs, report: () => {} });
    if (outcome.kind === 'failed') return { status: 'failed', error: outcome.error };
    return { status: outcome.kind };
  }

  return {
    [NOTIFY_INBOX]: true,
    dialect: dialect.name,
    tableName,
    migrationSql: dialect.migrationSql,
    async migrate() {
      await withConnection(db, 'creating the inbox table', dialect.migration, () => undefined);
    },
    async failed(options = {}): Promise<FailedNotification[]> {
      const limit = positiveInteger(options.limit, 100, 'limit', 10_000);
      const rows = await withConnection(db, 'listing failed notifications', [dialect.listFailed(limit)], (o) => o.rows);
      return rows.map((r) => ({
        notifyId: String(r['notify_id']),
        rawBody: toBuffer(r['raw_body']),
        attempts: Number(r['attempts']),
        firstFailedAt: new Date(Number(r['first_failed_ms'])),
        lastFailedAt: new Date(Number(r['last_failed_ms'])),
        code: String(r['last_error_code']),
        message: String(r['last_error_message']),
      }));
    },
    replay,
    async prune(options = {}) {
      const olderThanMs = positiveInteger(options.olderThanMs, DEFAULT_INBOX_RETENTION_MS, 'olderThanMs');
      return withConnection(db, 'pruning handled rows', [dialect.prune(olderThanMs)], (o) => o.affected);
    },
    async deliver(notifyId, rawBody, task, options) {
      const outcome = await runInInbox(db, notifyId, rawBody, task, options);
      return outcome.kind === 'failed' ? options.fail(outcome.error) : SUCCESS_REPLY;
    },
  };
}
