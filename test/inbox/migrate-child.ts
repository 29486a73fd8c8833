// Runs `inbox.migrate()` once in a process of its own (for the "two processes at once" test).
// env: DIALECT, DB_URL, INBOX_TABLE. Prints `migrated` on success.
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createMysqlInbox } from '../../src/inbox/mysql.js';
import { createPostgresInbox } from '../../src/inbox/postgres.js';

const url = process.env['DB_URL']!;
const tableName = process.env['INBOX_TABLE']!;
if (process.env['DIALECT'] === 'postgres') {
  const pool = new pg.Pool({ connectionString: url });
  await createPostgresInbox({ pool, tableName }).migrate();
  await pool.end();
} else {
  const pool = mysql.createPool(url);
  await createMysqlInbox({ pool, tableName }).migrate();
  await pool.end();
}
console.log('migrated');
