/** One SQL statement and its parameters. */
export type Statement = readonly [sql: string, params: readonly unknown[]];

/** What a statement returned. */
export interface QueryOutcome {
  readonly rows: readonly Record<string, unknown>[];
  /** The rows inserted, updated or deleted. */
  readonly affected: number;
}

/** A connection taken from the merchant's pool, seen the same way for every driver. */
export interface InboxConnection<Tx> {
  /** What the handler gets as `ctx.tx`: the driver's own connection object. */
  readonly tx: Tx;
  /** Runs one statement; resolves with its rows (none for statements that return none) and the rows it changed. */
  query(sql: string, params: readonly unknown[]): Promise<QueryOutcome>;
  /** Gives the connection back to the pool. */
  release(): void;
  /** Closes the connection and drops it from the pool: the server rolls back what it had open. */
  destroy(): void;
}

/** Takes a connection from the merchant's pool. */
export type ConnectionSource<Tx> = () => Promise<InboxConnection<Tx>>;

/** The SQL of one database family: everything else is shared. */
export interface InboxDialect {
  readonly name: 'postgres' | 'mysql';
  /** The DDL, as text for the merchant's own migrations. */
  readonly migrationSql: string;
  /** What `migrate()` runs: the DDL under a lock, so that several instances may run it at once. */
  readonly migration: readonly Statement[];
  /** Opens the delivery's transaction, with lock waits bounded by `lockTimeoutMs`. */
  begin(lockTimeoutMs: number): Statement[];
  /** Run after COMMIT or ROLLBACK, before the connection goes back to the pool. */
  readonly afterTransaction: readonly Statement[];
  /** Inserts the row as `processing` unless it exists; waits while another copy's insert is uncommitted. */
  insertRow(notifyId: string, rawBody: Buffer): Statement;
  /** Locks the row and reads its `status`. */
  lockRow(notifyId: string): Statement;
  markDone(notifyId: string): Statement;
  /** Records a failed attempt, outside the delivery's (rolled back) transaction. */
  recordFailure(lockTimeoutMs: number, notifyId: string, rawBody: Buffer, code: string, message: string): Statement[];
  listFailed(limit: number): Statement;
  selectRow(notifyId: string): Statement;
  prune(olderThanMs: number): Statement;
  /** A lock wait that timed out, or a deadlock: another copy holds the row. */
  isLockConflict(error: unknown): boolean;
}

/** The longest error message kept in the inbox row. */
export const MAX_ERROR_MESSAGE = 2000;
