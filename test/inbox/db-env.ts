// Shared helpers of the inbox tests: the two database servers .ci/run starts (PostgreSQL and
// MariaDB, by URL), pools of the real drivers, a table of their own for every test, and private
// servers for the tests that stop the database.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createMysqlInbox } from '../../src/inbox/mysql.js';
import { createPostgresInbox } from '../../src/inbox/postgres.js';
import type { NotifyInbox } from '../../src/adapters/notify-inbox.js';
import { freePort } from '../support/free-port.js';

export type Dialect = 'postgres' | 'mysql';
export const DIALECTS: readonly Dialect[] = ['postgres', 'mysql'];

export const DB_URL: Record<Dialect, string | undefined> = {
  postgres: process.env['ALIPAY_NOTIFY_TEST_PG_URL'],
  mysql: process.env['ALIPAY_NOTIFY_TEST_MYSQL_URL'],
};
/** `skip` option of every test that needs the shared server of `dialect`. */
export const SKIP_NO_URL: Record<Dialect, string | false> = {
  postgres: DB_URL.postgres ? false : 'ALIPAY_NOTIFY_TEST_PG_URL not set: PostgreSQL inbox tests skipped',
  mysql: DB_URL.mysql ? false : 'ALIPAY_NOTIFY_TEST_MYSQL_URL not set: MySQL inbox tests skipped',
};

const pgBin = ((): string | undefined => {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : join(base, versions[0], 'bin');
})();
const hasMariadb = spawnSync('mariadbd', ['--version'], { stdio: 'ignore' }).status === 0;
const isRoot = userInfo().uid === 0;
/** `skip` option of the tests that run a database server of their own (to stop it). */
export const SKIP_NO_SERVER: Record<Dialect, string | false> = {
  postgres: pgBin ? false : 'PostgreSQL binaries (Debian postgresql) not installed: tests that stop PostgreSQL skipped',
  mysql: hasMariadb ? false : 'MariaDB (Debian mariadb-server) not installed: tests that stop MariaDB skipped',
};

/** A pool of the real driver, and what the tests do with it besides the inbox. */
export interface TestDb {
  readonly dialect: Dialect;
  readonly inbox: NotifyInbox<unknown>;
  /** Runs SQL outside any inbox transaction (`$1` / `?` placeholders as the dialect wants). */
  sql(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** A business table of the test's own: `(notify_id, out_biz_no)`, no unique key, so a second run would show. */
  readonly logTable: string;
  readonly inboxTable: string;
  /** Rows of the business table for one refund. */
  count(outBizNo: string): Promise<number>;
  close(): Promise<void>;
}

/** `$1`-style placeholders for PostgreSQL, `?` for MySQL. */
export function placeholders(dialect: Dialect, sql: string): string {
  return dialect === 'mysql' ? sql.replace(/\$\d+/g, '?') : sql;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** A pool (with a handler for the errors an idle client raises when the server goes away). */
export function openPool(dialect: Dialect, url: string): pg.Pool | mysql.Pool {
  if (dialect === 'postgres') {
    const pool = new pg.Pool({ connectionString: url, max: 20 });
    pool.on('error', () => {}); // an idle client lost its server: the tests stop servers on purpose
    return pool;
  }
  return mysql.createPool({ uri: url, connectionLimit: 20 });
}

export async function openDb(
  dialect: Dialect,
  url = DB_URL[dialect]!,
  options: { migrate?: boolean } = {},
): Promise<TestDb> {
  const pool = openPool(dialect, url);
  const inboxTable = uniqueName('inbox');
  const logTable = uniqueName('refund_log');
  const inbox =
    dialect === 'postgres'
      ? createPostgresInbox({ pool: pool as pg.Pool, tableName: inboxTable })
      : createMysqlInbox({ pool: pool as mysql.Pool, tableName: inboxTable });
  const sql = async (text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> => {
    if (dialect === 'postgres') return (await (pool as pg.Pool).query(text, params)).rows;
    const [rows] = await (pool as mysql.Pool).query(placeholders(dialect, text), params);
    return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
  };
  if (options.migrate !== false) {
    await inbox.migrate();
    await sql(`CREATE TABLE ${logTable} (notify_id VARCHAR(191) NOT NULL, out_biz_no VARCHAR(64) NOT NULL)`);
  }
  return {
    dialect,
    inbox,
    sql,
    logTable,
    inboxTable,
    count: async (outBizNo) =>
      Number((await sql(`SELECT COUNT(*) AS n FROM ${logTable} WHERE out_biz_no = $1`, [outBizNo]))[0]!['n']),
    close: () => pool.end(),
  };
}

/** Polls `check` until it returns true; no timing is asserted. */
export async function until(check: () => Promise<boolean>, what: string, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export { freePort } from '../support/free-port.js';

/** A database server of the test's own (never the shared one), which the test may stop and start again. */
export interface OwnServer {
  readonly url: string;
  start(): Promise<void>;
  /** SIGKILL: the server vanishes without a goodbye, as in a crash. */
  kill(): Promise<void>;
  /** Stops it for good and removes its directory. */
  dispose(): Promise<void>;
}

// PostgreSQL refuses to run as root: as root, the servers run as the users their Debian packages made.
const asUser = (user: string, command: string, args: string[]): [string, string[]] =>
  isRoot ? ['runuser', ['-u', user, '--', command, ...args]] : [command, args];

function run(command: string, args: string[]): void {
  const r = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr?.toString()}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function ownServer(dialect: Dialect): Promise<OwnServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `alipay-notify-${dialect}-`));
  const user = dialect === 'postgres' ? 'postgres' : 'mysql';
  if (isRoot) chownSync(dir, Number(spawnSync('id', ['-u', user]).stdout.toString().trim()), -1);
  const data = join(dir, 'data');
  let child: ChildProcess | undefined;
  let url: string;
  let shopUrl: string | undefined;
  let argv: [string, string[]];
  const pidFile = dialect === 'postgres' ? join(data, 'postmaster.pid') : join(dir, 'mariadb.pid');
  if (dialect === 'postgres') {
    run(...asUser(user, join(pgBin!, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync']));
    argv = asUser(user, join(pgBin!, 'postgres'), [
      '-D',
      data,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-k',
      dir,
      '-c',
      'fsync=off',
    ]);
    url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  } else {
    run(
      ...asUser(user, 'mariadb-install-db', [
        '--no-defaults',
        `--datadir=${data}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
      ]),
    );
    argv = asUser(user, 'mariadbd', [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${join(dir, 'sock')}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-name-resolve',
      '--skip-grant-tables',
      `--log-error=${join(dir, 'log')}`,
      `--pid-file=${pidFile}`,
      '--innodb-flush-log-at-trx-commit=0',
    ]);
    url = `mysql://root@127.0.0.1:${port}/mysql`;
    shopUrl = `mysql://root@127.0.0.1:${port}/shop`;
  }
  const ping = async (): Promise<boolean> => {
    const pool = openPool(dialect, url);
    try {
      if (dialect === 'postgres') await (pool as pg.Pool).query('SELECT 1');
      else await (pool as mysql.Pool).query('SELECT 1');
      return true;
    } finally {
      await pool.end();
    }
  };
  let created = false;
  const own: OwnServer = {
    url: shopUrl ?? url,
    async start() {
      child = spawn(argv[0], argv[1], { stdio: 'ignore' });
      await until(ping, `own ${dialect} server on port ${port}`, 60_000);
      if (dialect === 'mysql' && !created) {
        const pool = openPool(dialect, url) as mysql.Pool;
        await pool.query('CREATE DATABASE shop');
        await pool.end();
        created = true;
      }
    },
    async kill() {
      const c = child;
      child = undefined;
      if (!c) return;
      // The server itself, by the pid it wrote (under runuser, the child is runuser, not the server).
      const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
      process.kill(pid, 'SIGKILL');
      await until(async () => !alive(pid), `${dialect} server ${pid} to die`);
      if (c.exitCode === null && c.signalCode === null) await new Promise((resolve) => c.once('exit', resolve));
    },
    async dispose() {
      await own.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return own;
}
