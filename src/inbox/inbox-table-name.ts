import { NotifyConfigError } from '../errors/index.js';

/** The inbox table's default name. */
export const DEFAULT_INBOX_TABLE = 'alipay_notify_inbox';

// Letters, digits and underscores, not starting with a digit, optionally `schema.table`; at most
// 48 characters a part, so that the derived index names stay under PostgreSQL's 63-byte limit
// (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS) and
// MySQL's 64 (https://dev.mysql.com/doc/refman/8.0/en/identifier-length.html).
const PART = /^[A-Za-z_][A-Za-z0-9_]{0,47}$/;

/** The table name split into its parts, checked: it is written into SQL, never a parameter. */
export interface InboxTableName {
  readonly schema: string | undefined;
  readonly table: string;
}

/**
 * Checks a configured table name (`ERR_CONFIG` unless it is a plain identifier or `schema.table`).
 *
 * @example
 * ```ts
 * parseTableName('billing.alipay_inbox'); // { schema: 'billing', table: 'alipay_inbox' }
 * ```
 */
export function parseTableName(name: unknown): InboxTableName {
  const parts = typeof name === 'string' ? name.split('.') : [];
  if (parts.length < 1 || parts.length > 2 || !parts.every((p) => PART.test(p))) {
    throw new NotifyConfigError(
      'tableName',
      'must be an identifier (letters, digits, _; at most 48 characters) or schema.table',
    );
  }
  return parts.length === 2 ? { schema: parts[0], table: parts[1]! } : { schema: undefined, table: parts[0]! };
}

/**
 * A small stable hash of the table name (FNV-1a, 32 bits, signed): the key of the lock that
 * `migrate()` takes, so that instances migrating the same table wait for each other.
 *
 * @example
 * ```ts
 * lockKey(parseTableName('alipay_notify_inbox')); // the same number in every process
 * ```
 */
export function lockKey(name: InboxTableName): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(`${name.schema ?? ''}.${name.table}`, 'utf8')) h = Math.imul(h ^ byte, 0x01000193);
  return h | 0;
}
