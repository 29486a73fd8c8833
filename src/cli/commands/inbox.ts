import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { NotifyAdapterOptions } from '../../adapters/adapter-options.js';
import { createMysqlInbox, type MysqlPoolLike } from '../../inbox/mysql.js';
import type { NotifyInbox } from '../../adapters/notify-inbox.js';
import { createPostgresInbox, type PgPoolLike } from '../../inbox/postgres.js';
import type { Command } from '../command.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { joinOptionValues } from '../join-option-values.js';
import { jsonForTerminal, printLines } from '../terminal-text.js';

const usage = `Usage: alipay-notify inbox <failed | replay <notify_id>> [options]

The inbox (createPostgresInbox / createMysqlInbox) keeps the verified notifications whose handler
failed. List them, or replay one: its stored body is verified again and your handler runs in a
transaction, exactly as a delivery would. The driver (pg or mysql2) is loaded from your project.

Options:
  --database-url <url>   postgres://… or mysql://… (default: $DATABASE_URL)
  --table <name>         the inbox table (default alipay_notify_inbox)
  --limit <n>            failed: at most n notifications (default 100)
  --options <module>     replay: a module whose default export is your adapter options
                         (alipayPublicKey, appId, onRefund, onNotification, …) or a function returning them
  --json                 print JSON
  -h, --help             this help

Examples:
  alipay-notify inbox failed --database-url postgres://shop@127.0.0.1/shop
  alipay-notify inbox replay 2019081500222155624068450559358070 --options ./alipay-options.mjs

Exit codes: 0 listed / handled (or already handled), 1 the replay failed or found nothing,
2 bad arguments, 3 the database could not be reached.`;

type Driver = { inbox: NotifyInbox<unknown>; close(): Promise<void> };

/** Opens the pool with the project's own driver, resolved from the working directory. */
function openInbox(url: string, tableName: string | undefined): Driver {
  const load = createRequire(join(process.cwd(), 'package.json'));
  const scheme = URL.canParse(url) ? new URL(url).protocol : '';
  const table = tableName === undefined ? {} : { tableName };
  if (scheme === 'postgres:' || scheme === 'postgresql:') {
    const { Pool } = load('pg') as {
      Pool: new (o: { connectionString: string }) => PgPoolLike & { end(): Promise<void> };
    };
    const pool = new Pool({ connectionString: url });
    return { inbox: createPostgresInbox({ pool, ...table }), close: () => pool.end() };
  }
  if (scheme === 'mysql:' || scheme === 'mariadb:') {
    const mysql = load('mysql2/promise') as { createPool(uri: string): MysqlPoolLike & { end(): Promise<void> } };
    const pool = mysql.createPool(url.replace(/^mariadb:/, 'mysql:'));
    return { inbox: createMysqlInbox({ pool, ...table }), close: () => pool.end() };
  }
  throw new UsageError('--database-url must be a postgres://… or mysql://… URL');
}

async function loadOptions(file: string): Promise<NotifyAdapterOptions<unknown, unknown>> {
  const module = (await import(pathToFileURL(resolve(file)).href)) as { default?: unknown };
  const exported = typeof module.default === 'function' ? await (module.default as () => unknown)() : module.default;
  return exported as NotifyAdapterOptions<unknown, unknown>;
}

const OPTIONS = {
  'database-url': { type: 'string' },
  table: { type: 'string' },
  limit: { type: 'string' },
  options: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function run(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: joinOptionValues(argv, OPTIONS),
    options: OPTIONS,
    allowPositionals: true,
  });
  if (values.help === true) {
    console.log(usage);
    return EXIT.OK;
  }
  const [action, notifyId, ...extra] = positionals;
  const url = values['database-url'] ?? process.env['DATABASE_URL'];
  if (url === undefined) throw new UsageError('give --database-url (or set DATABASE_URL)');
  if (
    action === 'failed' ? notifyId !== undefined : action !== 'replay' || notifyId === undefined || extra.length > 0
  ) {
    throw new UsageError('expected "failed" or "replay <notify_id>"');
  }
  if (action === 'replay' && values.options === undefined)
    throw new UsageError('replay needs --options <module> (your adapter options)');
  const options = action === 'replay' ? await loadOptions(values.options!) : undefined;

  const db = openInbox(url, values.table);
  try {
    if (options === undefined) {
      const failed = await db.inbox.failed({ limit: values.limit === undefined ? 100 : Number(values.limit) });
      if (values.json === true)
        console.log(jsonForTerminal(failed.map((f) => ({ ...f, rawBody: f.rawBody.toString('base64') }))));
      else if (failed.length === 0) console.log('no failed notifications');
      else
        printLines(
          failed.map(
            (f) =>
              `${f.notifyId}  attempts=${f.attempts}  last=${f.lastFailedAt.toISOString()}  ${f.code}: ${f.message}`,
          ),
        );
      return EXIT.OK;
    }
    const result = await db.inbox.replay(notifyId!, options);
    if (values.json === true)
      console.log(
        jsonForTerminal(
          result.status === 'failed'
            ? { status: result.status, code: result.error.code, message: result.error.message }
            : result,
        ),
      );
    else
      printLines([
        result.status === 'failed' ? `failed: ${result.error.code}: ${result.error.message}` : result.status,
      ]);
    return result.status === 'handled' || result.status === 'duplicate' ? EXIT.OK : EXIT.FAILED;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code !== 'ERR_STORE_FAILED') throw err;
    printLines([`alipay-notify inbox: ${(err as Error).message}`], process.stderr);
    return EXIT.UNREACHABLE;
  } finally {
    await db.close();
  }
}

/** `alipay-notify inbox`: lists the inbox's failed notifications and replays them. */
export const inbox: Command = {
  name: 'inbox',
  summary: "list the inbox's failed notifications, replay one",
  usage,
  run,
};
