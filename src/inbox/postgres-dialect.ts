import { MAX_ERROR_MESSAGE, type InboxDialect, type Statement } from './inbox-dialect.js';
import { lockKey, type InboxTableName } from './inbox-table-name.js';

// The advisory lock's first key: any constant that is ours ("arn").
const LOCK_CLASS = 0x61726e;

/**
 * The PostgreSQL SQL of the inbox (PostgreSQL 12 and later).
 *
 * @example
 * ```ts
 * const dialect = postgresDialect(parseTableName('alipay_notify_inbox'));
 * ```
 */
export function postgresDialect(name: InboxTableName): InboxDialect {
  const q = (id: string): string => `"${id}"`;
  const t = name.schema === undefined ? q(name.table) : `${q(name.schema)}.${q(name.table)}`;
  const ddl = [
    `CREATE TABLE IF NOT EXISTS ${t} (
  notify_id text PRIMARY KEY,
  status text NOT NULL CHECK (status IN ('processing', 'done', 'failed')),
  received_at timestamptz NOT NULL DEFAULT now(),
  done_at timestamptz,
  attempts integer NOT NULL DEFAULT 0,
  raw_body bytea NOT NULL,
  last_error_code text,
  last_error_message text,
  first_failed_at timestamptz,
  last_failed_at timestamptz
)`,
    `CREATE INDEX IF NOT EXISTS ${q(`${name.table}_failed_idx`)} ON ${t} (first_failed_at) WHERE status = 'failed'`,
    `CREATE INDEX IF NOT EXISTS ${q(`${name.table}_done_idx`)} ON ${t} (done_at) WHERE status = 'done'`,
  ];
  const lockTimeout = (ms: number): Statement => [
    "SELECT set_config('lock_timeout', $1, true)",
    [`${Math.ceil(ms)}ms`],
  ];
  return {
    name: 'postgres',
    migrationSql: `${ddl.join(';\n\n')};\n`,
    // CREATE ... IF NOT EXISTS is not safe against itself run concurrently (two sessions may both
    // find the table absent); an advisory lock held until COMMIT serialises instances
    // (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS).
    migration: [
      ['BEGIN', []],
      ['SELECT pg_advisory_xact_lock($1::int4, $2::int4)', [LOCK_CLASS, lockKey(name)]],
      ...ddl.map((sql): Statement => [sql, []]),
      ['COMMIT', []],
    ],
    // lock_timeout bounds the wait for another copy's row lock; set_config(..., true) is SET LOCAL:
    // it ends with the transaction (https://www.postgresql.org/docs/current/runtime-config-client.html).
    begin: (ms) => [['BEGIN', []], lockTimeout(ms)],
    afterTransaction: [],
    insertRow: (id, body) => [
      `INSERT INTO ${t} (notify_id, status, raw_body) VALUES ($1, 'processing', $2) ON CONFLICT (notify_id) DO NOTHING`,
      [id, body],
    ],
    lockRow: (id) => [`SELECT status FROM ${t} WHERE notify_id = $1 FOR UPDATE`, [id]],
    markDone: (id) => [
      `UPDATE ${t} SET status = 'done', done_at = now(), attempts = attempts + 1 WHERE notify_id = $1`,
      [id],
    ],
    recordFailure: (ms, id, body, code, message) => [
      ['BEGIN', []],
      lockTimeout(ms),
      [
        `INSERT INTO ${t} AS i (notify_id, status, attempts, raw_body, last_error_code, last_error_message, first_failed_at, last_failed_at)
VALUES ($1, 'failed', 1, $2, $3, $4, now(), now())
ON CONFLICT (notify_id) DO UPDATE SET status = 'failed', attempts = i.attempts + 1,
  last_error_code = EXCLUDED.last_error_code, last_error_message = EXCLUDED.last_error_message,
  first_failed_at = COALESCE(i.first_failed_at, EXCLUDED.first_failed_at), last_failed_at = EXCLUDED.last_failed_at
WHERE i.status <> 'done'`,
        [id, body, code, message.slice(0, MAX_ERROR_MESSAGE)],
      ],
      ['COMMIT', []],
    ],
    listFailed: (limit) => [
      `SELECT notify_id, raw_body, attempts, last_error_code, last_error_message,
  (extract(epoch FROM first_failed_at) * 1000)::float8 AS first_failed_ms, (extract(epoch FROM last_failed_at) * 1000)::float8 AS last_failed_ms
FROM ${t} WHERE status = 'failed' ORDER BY first_failed_at, notify_id LIMIT $1`,
      [limit],
    ],
    selectRow: (id) => [`SELECT status, raw_body FROM ${t} WHERE notify_id = $1`, [id]],
    prune: (ms) => [
      `DELETE FROM ${t} WHERE status = 'done' AND done_at < now() - $1::float8 * interval '1 millisecond'`,
      [ms],
    ],
    // 55P03 lock_not_available (lock_timeout), 40P01 deadlock_detected
    // (https://www.postgresql.org/docs/current/errcodes-appendix.html).
    isLockConflict: (error) => {
      const { code } = Object(error) as { code?: unknown };
      return code === '55P03' || code === '40P01';
    },
  };
}
