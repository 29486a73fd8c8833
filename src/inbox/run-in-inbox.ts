import { NotifyAdapterError } from '../errors/index.js';
import { replyFor } from '../adapters/reply-to-alipay.js';
import type { ConnectionSource, InboxConnection, InboxDialect, QueryOutcome, Statement } from './inbox-dialect.js';
import { runHandler } from '../adapters/run-handler.js';

/** What one run of the handler in the inbox came to. */
export type InboxOutcome =
  | { readonly kind: 'handled' }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'failed'; readonly error: NotifyAdapterError };

/** The database side of an inbox. */
export interface InboxDatabase<Tx> {
  readonly dialect: InboxDialect;
  readonly connect: ConnectionSource<Tx>;
}

/** What a run needs besides the database. */
export interface InboxRunOptions {
  readonly handlerTimeoutMs: number;
  /** Reports a problem found once the outcome is decided (the failed attempt was not recorded). */
  readonly report: (error: NotifyAdapterError, status: number | undefined) => void;
}

/**
 * Statements around the handler (BEGIN, the row, COMMIT) get this long beyond `handlerTimeoutMs`
 * before the connection is given up: a database that stops answering must still end in `fail`
 * while Alipay waits for the reply.
 */
const STATEMENT_MARGIN_MS = 2000;

/** Resolves or rejects as `promise` does, or rejects once `ms` passed. */
export function bounded<T>(promise: Promise<T>, ms: number): Promise<T> {
  promise.catch(() => {}); // settled later, after the timeout won: nobody is listening any more
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the database within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Takes a connection from the pool, or rejects once `ms` passed (and releases it if it comes later). */
export async function acquire<Tx>(connect: ConnectionSource<Tx>, ms: number): Promise<InboxConnection<Tx>> {
  const pending = Promise.resolve().then(connect); // a pool that throws instead of rejecting rejects here
  try {
    return await bounded(pending, ms);
  } catch (err) {
    pending.then(
      (late) => late.release(),
      () => {},
    );
    throw err;
  }
}

/** Runs statements in order; the last one's outcome. A statement past `ms` destroys the connection. */
export async function runAll<Tx>(
  conn: InboxConnection<Tx>,
  statements: readonly Statement[],
  ms: number,
): Promise<QueryOutcome> {
  let last: QueryOutcome = { rows: [], affected: 0 };
  for (const [sql, params] of statements) {
    try {
      last = await bounded(conn.query(sql, params), ms);
    } catch (err) {
      // A connection in an unknown state (half a transaction, a statement still running) never
      // goes back to the merchant's pool: closing it makes the server roll back what was open.
      conn.destroy();
      throw err;
    }
  }
  return last;
}

/** Ends the transaction and gives the connection back (or closes it if that fails). */
async function finish<Tx>(
  db: InboxDatabase<Tx>,
  conn: InboxConnection<Tx>,
  end: 'COMMIT' | 'ROLLBACK',
  ms: number,
): Promise<void> {
  await runAll(conn, [[end, []], ...db.dialect.afterTransaction], ms);
  conn.release();
}

function describe(error: NotifyAdapterError): string {
  const cause = error.cause;
  return cause instanceof Error && cause.message !== '' ? cause.message : error.message;
}

/** Records a failed attempt in a transaction of its own: it must outlive the rolled-back one. */
async function recordFailure<Tx>(
  db: InboxDatabase<Tx>,
  notifyId: string,
  rawBody: Buffer,
  error: NotifyAdapterError,
  o: InboxRunOptions,
): Promise<void> {
  const ms = o.handlerTimeoutMs + STATEMENT_MARGIN_MS;
  try {
    const conn = await acquire(db.connect, ms);
    await runAll(
      conn,
      db.dialect.recordFailure(o.handlerTimeoutMs, notifyId, rawBody, error.code, describe(error)),
      ms,
    );
    conn.release();
  } catch (cause) {
    o.report(
      new NotifyAdapterError('ERR_STORE_FAILED', 'the failed attempt could not be recorded in the inbox', {
        notifyId,
        cause,
      }),
      replyFor(error.code).status,
    );
  }
}

/**
 * Runs `task` for one verified notification in a transaction that also holds its inbox row:
 * the row is inserted (or, for a notification that failed before, locked), the handler runs with
 * the transaction's connection, and both commit together. A copy in flight waits on the row lock
 * (bounded by `handlerTimeoutMs`) and is a duplicate once the first committed. A failure rolls
 * everything back and is then recorded on its own. `handled` is returned only after COMMIT did.
 *
 * @example
 * ```ts
 * const outcome = await runInInbox(db, n.notifyId, rawBody, (signal, tx) => onRefund(n, { ...ctx, signal, tx }), runOptions);
 * ```
 */
export async function runInInbox<Tx>(
  db: InboxDatabase<Tx>,
  notifyId: string,
  rawBody: Buffer,
  task: (signal: AbortSignal, tx: Tx) => unknown,
  o: InboxRunOptions,
): Promise<InboxOutcome> {
  const { dialect } = db;
  const ms = o.handlerTimeoutMs + STATEMENT_MARGIN_MS;
  const failed = (
    code: 'ERR_STORE_FAILED' | 'ERR_DUPLICATE_IN_FLIGHT',
    message: string,
    cause: unknown,
  ): InboxOutcome => ({
    kind: 'failed',
    error: new NotifyAdapterError(code, message, { notifyId, cause }),
  });

  let conn: InboxConnection<Tx>;
  try {
    conn = await acquire(db.connect, ms);
  } catch (cause) {
    return failed('ERR_STORE_FAILED', 'the inbox database could not be reached', cause);
  }
  let status: unknown;
  try {
    await runAll(conn, [...dialect.begin(o.handlerTimeoutMs), dialect.insertRow(notifyId, rawBody)], ms);
    status = (await runAll(conn, [dialect.lockRow(notifyId)], ms)).rows[0]?.['status'];
  } catch (cause) {
    if (dialect.isLockConflict(cause))
      return failed('ERR_DUPLICATE_IN_FLIGHT', 'another copy of this notification is still being handled', cause);
    return failed('ERR_STORE_FAILED', 'the inbox row could not be written', cause);
  }
  if (status === 'done') {
    await finish(db, conn, 'ROLLBACK', ms).catch(() => {}); // nothing was written: a failed rollback loses nothing
    return { kind: 'duplicate' };
  }
  if (status !== 'processing' && status !== 'failed') {
    conn.destroy();
    // Deleted between the INSERT and the lock, or a status written by hand: not ours to run.
    return failed('ERR_STORE_FAILED', 'the inbox row is missing or has an unknown status', undefined);
  }

  // The inbox's handlers take the signal itself (NotifyInbox.deliver); the database round trips
  // dwarf what making it costs.
  const r = await runHandler((signal) => task(signal(), conn.tx), o.handlerTimeoutMs, notifyId);
  if (r.ok) {
    try {
      await runAll(conn, [dialect.markDone(notifyId)], ms);
      await finish(db, conn, 'COMMIT', ms);
      return { kind: 'handled' };
    } catch (cause) {
      // Whether COMMIT took effect is unknown: answer fail. If it did, the row says done and
      // Alipay's retry is acknowledged as a duplicate; if not, the retry runs the handler again.
      const error = new NotifyAdapterError(
        'ERR_STORE_FAILED',
        'the handler finished but its transaction did not commit',
        { notifyId, cause },
      );
      await recordFailure(db, notifyId, rawBody, error, o);
      return { kind: 'failed', error };
    }
  }
  // A handler past its timeout may still be sending queries on this connection: close it, so
  // that none of them can run outside the transaction, and the server rolls the transaction back.
  if (r.late !== undefined) conn.destroy();
  else await finish(db, conn, 'ROLLBACK', ms).catch(() => {}); // runAll closed it: the server rolls back
  await recordFailure(db, notifyId, rawBody, r.error, o);
  return { kind: 'failed', error: r.error };
}
