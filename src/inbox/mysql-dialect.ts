import { MAX_ERROR_MESSAGE, type InboxDialect, type Statement } from './inbox-dialect.js';
import { lockKey, type InboxTableName } from './inbox-table-name.js';

/**
 * The MySQL / MariaDB (InnoDB) SQL of the inbox. Times are `DATETIME(3)` in UTC, read back as
 * epoch milliseconds, so that neither the server's nor the driver's time zone matters.
 *
 * @example
 * ```ts
 * const dialect = mysqlDialect(parseTableName('alipay_notify_inbox'));
 * ```
 */
export function mysqlDialect(name: InboxTableName): InboxDialect {
  const q = (id: string): string => `\`${id}\``;
  const t = name.schema === undefined ? q(name.table) : `${q(name.schema)}.${q(name.table)}`;
  const ddl = `CREATE TABLE IF NOT EXISTS ${t} (
  notify_id VARCHAR(191) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL,
  status VARCHAR(16) NOT NULL,
  received_at DATETIME(3) NOT NULL,
  done_at DATETIME(3) NULL,
  attempts INT NOT NULL DEFAULT 0,
  raw_body MEDIUMBLOB NOT NULL,
  last_error_code VARCHAR(64) NULL,
  last_error_message TEXT NULL,
  first_failed_at DATETIME(3) NULL,
  last_failed_at DATETIME(3) NULL,
  PRIMARY KEY (notify_id),
  KEY ${q(`${name.table}_failed_idx`)} (status, first_failed_at),
  KEY ${q(`${name.table}_done_idx`)} (status, done_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;
  // innodb_lock_wait_timeout bounds the wait for another copy's row lock; it is in whole seconds
  // and per session (https://dev.mysql.com/doc/refman/8.0/en/innodb-parameters.html#sysvar_innodb_lock_wait_timeout),
  // so the session's own value is kept in a user variable and put back before the connection
  // returns to the pool.
  const boundLockWaits = (ms: number): Statement => [
    'SET @alipay_notify_lock_wait = @@SESSION.innodb_lock_wait_timeout, SESSION innodb_lock_wait_timeout = ?',
    [Math.max(1, Math.ceil(ms / 1000))],
  ];
  const restore: Statement = ['SET SESSION innodb_lock_wait_timeout = @alipay_notify_lock_wait', []];
  const lockName = `alipay-notify-inbox:${lockKey(name)}`;
  const epochMs = (column: string): string => `TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', ${column}) DIV 1000`;
  // In ON DUPLICATE KEY UPDATE, assignments run left to right and later ones see earlier ones
  // (https://dev.mysql.com/doc/refman/8.0/en/insert-on-duplicate.html), so `status` comes last
  // and every other column reads the old status.
  const unlessDone = (column: string, value: string): string => `${column} = IF(status = 'done', ${column}, ${value})`;
  return {
    name: 'mysql',
    migrationSql: `${ddl};\n`,
    // GET_LOCK serialises instances migrating at once (https://dev.mysql.com/doc/refman/8.0/en/locking-functions.html);
    // the lock ends with the session if anything fails.
    migration: [
      ['SELECT GET_LOCK(?, 60)', [lockName]],
      [ddl, []],
      ['SELECT RELEASE_LOCK(?)', [lockName]],
    ],
    begin: (ms) => [boundLockWaits(ms), ['START TRANSACTION', []]],
    afterTransaction: [restore],
    insertRow: (id, body) => [
      `INSERT INTO ${t} (notify_id, status, received_at, raw_body) VALUES (?, 'processing', UTC_TIMESTAMP(3), ?) ON DUPLICATE KEY UPDATE notify_id = notify_id`,
      [id, body],
    ],
    lockRow: (id) => [`SELECT status FROM ${t} WHERE notify_id = ? FOR UPDATE`, [id]],
    markDone: (id) => [
      `UPDATE ${t} SET status = 'done', done_at = UTC_TIMESTAMP(3), attempts = attempts + 1 WHERE notify_id = ?`,
      [id],
    ],
    recordFailure: (ms, id, body, code, message) => [
      boundLockWaits(ms),
      [
        `INSERT INTO ${t} (notify_id, status, received_at, attempts, raw_body, last_error_code, last_error_message, first_failed_at, last_failed_at)
VALUES (?, 'failed', UTC_TIMESTAMP(3), 1, ?, ?, ?, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))
ON DUPLICATE KEY UPDATE ${[
          unlessDone('attempts', 'attempts + 1'),
          unlessDone('last_error_code', 'VALUES(last_error_code)'),
          unlessDone('last_error_message', 'VALUES(last_error_message)'),
          unlessDone('first_failed_at', 'COALESCE(first_failed_at, VALUES(first_failed_at))'),
          unlessDone('last_failed_at', 'VALUES(last_failed_at)'),
          unlessDone('status', "'failed'"),
        ].join(', ')}`,
        [id, body, code, message.slice(0, MAX_ERROR_MESSAGE)],
      ],
      restore,
    ],
    listFailed: (limit) => [
      `SELECT notify_id, raw_body, attempts, last_error_code, last_error_message,
  ${epochMs('first_failed_at')} AS first_failed_ms, ${epochMs('last_failed_at')} AS last_failed_ms
FROM ${t} WHERE status = 'failed' ORDER BY first_failed_at, notify_id LIMIT ?`,
      [limit],
    ],
    selectRow: (id) => [`SELECT status, raw_body FROM ${t} WHERE notify_id = ?`, [id]],
    prune: (ms) => [
      `DELETE FROM ${t} WHERE status = 'done' AND done_at < UTC_TIMESTAMP(3) - INTERVAL ? MICROSECOND`,
      [Math.round(ms) * 1000],
    ],
    // ER_LOCK_WAIT_TIMEOUT 1205, ER_LOCK_DEADLOCK 1213
    // (https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html).
    isLockConflict: (error) => {
      const { errno } = Object(error) as { errno?: unknown };
      return errno === 1205 || errno === 1213;
    },
  };
}
