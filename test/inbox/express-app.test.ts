// The inbox in a merchant's Express app running in processes of its own, with the real pg and
// mysql2 drivers against real PostgreSQL and MariaDB servers, receiving notifications the way
// Alipay delivers them: copies at once, a failure and its retry, the app SIGKILLed mid-handler
// after its INSERT, and the database stopped. The business table has no unique key, so a count of
// 1 proves the refund was written exactly once.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildRefundFields, generateTestKeyPair, signNotification, type TestKeyPair } from '../../src/testing/index.js';
import { handlerStarts, startApp, type App, type Delivery } from './app-process.js';
import {
  DB_URL,
  DIALECTS,
  SKIP_NO_SERVER,
  SKIP_NO_URL,
  openDb,
  ownServer,
  uniqueName,
  type Dialect,
  type TestDb,
} from './db-env.js';

const APP_ID = '2021000000000000';
let alipay: TestKeyPair;
const running: App[] = [];
const dbs: TestDb[] = [];
before(() => {
  alipay = generateTestKeyPair();
});
after(async () => {
  await Promise.all(running.map((a) => a.kill()));
  await Promise.all(dbs.map((d) => d.close()));
});

async function start(name: string, db: TestDb, url: string, env: Record<string, string> = {}): Promise<App> {
  const app = await startApp(name, {
    DIALECT: db.dialect,
    DB_URL: url,
    INBOX_TABLE: db.inboxTable,
    LOG_TABLE: db.logTable,
    ALIPAY_PUBLIC_KEY: alipay.publicKey,
    APP_ID,
    HANDLER_TIMEOUT_MS: '5000',
    ...env,
  });
  running.push(app);
  return app;
}

function refund(): { body: Buffer; outBizNo: string } {
  const { body, fields } = signNotification(buildRefundFields('partial', { appId: APP_ID }), {
    privateKey: alipay.privateKey,
  });
  return { body, outBizNo: fields['out_biz_no']! };
}

const isSuccess = (d: Delivery): boolean => 'status' in d && d.status === 200 && d.body === 'success';

/** Alipay's retries, compressed: deliver until the app says `success`. */
async function retryUntilSuccess(app: App, body: Buffer, limit = 150): Promise<Delivery[]> {
  const seen: Delivery[] = [];
  for (let i = 0; i < limit; i++) {
    const d = await app.deliver(body);
    seen.push(d);
    if (isSuccess(d)) return seen;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no success after ${limit} deliveries: ${JSON.stringify(seen.slice(-3))}`);
}

const execFileAsync = promisify(execFile);
const MIGRATE_CHILD = fileURLToPath(new URL('./migrate-child.ts', import.meta.url));

for (const dialect of DIALECTS) {
  describe(`an Express app with the ${dialect} inbox`, { skip: SKIP_NO_URL[dialect] }, () => {
    const open = async (url = DB_URL[dialect]!): Promise<TestDb> => {
      const db = await openDb(dialect, url);
      dbs.push(db);
      return db;
    };

    test('five copies at once: one business row, at least one success, none before COMMIT', async () => {
      const db = await open();
      const app = await start('A', db, DB_URL[dialect]!, { MODE: 'hold', HOLD_MS: '300' });
      for (let round = 0; round < 2; round++) {
        const r = refund();
        const committedAtSuccess: Promise<number>[] = [];
        const answers = await Promise.all(
          Array.from({ length: 5 }, () =>
            app.deliver(r.body).then((d) => {
              if (isSuccess(d)) committedAtSuccess.push(db.count(r.outBizNo));
              return d;
            }),
          ),
        );
        for (const d of answers)
          assert.ok(
            'status' in d && (d.body === 'success' || (d.body === 'fail' && d.status >= 500)),
            JSON.stringify(d),
          );
        assert.ok(answers.some(isSuccess));
        assert.deepEqual(
          await Promise.all(committedAtSuccess),
          committedAtSuccess.map(() => 1),
          'the row was committed when success was answered',
        );
        assert.equal(handlerStarts([app], r.outBizNo), 1);
        assert.equal(await db.count(r.outBizNo), 1);
      }
      await app.kill();
    });

    test('a handler that throws once after its INSERT: fail, rolled back; the retry commits one row', async () => {
      const db = await open();
      const app = await start('A', db, DB_URL[dialect]!, { MODE: 'throw-once' });
      const r = refund();
      const first = await app.deliver(r.body);
      assert.ok('status' in first && first.body === 'fail' && first.status === 500, JSON.stringify(first));
      assert.ok(
        app.events.some((e) => e.type === 'inserted' && e.outBizNo === r.outBizNo),
        'the handler had written before it threw',
      );
      assert.equal(await db.count(r.outBizNo), 0);
      assert.equal((await db.inbox.failed())[0]?.attempts, 1);
      assert.ok(isSuccess(await app.deliver(r.body)));
      assert.equal(await db.count(r.outBizNo), 1);
      assert.ok(isSuccess(await app.deliver(r.body)));
      assert.equal(handlerStarts([app], r.outBizNo), 2);
      assert.equal(await db.count(r.outBizNo), 1);
      await app.kill();
    });

    test('the app SIGKILLed mid-handler after its INSERT: nothing committed; restarted, the retry writes exactly one row', async () => {
      const db = await open();
      const a = await start('A', db, DB_URL[dialect]!, { MODE: 'hang' });
      const r = refund();
      const lost = a.deliver(r.body);
      await a.waitFor((e) => e.type === 'inserted' && e.outBizNo === r.outBizNo, 'A to insert the refund');
      await a.kill('SIGKILL');
      assert.ok(!isSuccess(await lost), 'the killed app never acknowledged');
      assert.equal(await db.count(r.outBizNo), 0, 'the INSERT of the killed app is not committed');

      const b = await start('B', db, DB_URL[dialect]!);
      const retries = await retryUntilSuccess(b, r.body);
      assert.ok(retries.slice(0, -1).every((d) => !isSuccess(d)));
      assert.equal(await db.count(r.outBizNo), 1, 'exactly one business row');
      assert.ok(isSuccess(await b.deliver(r.body)));
      assert.equal(handlerStarts([b], r.outBizNo), 1);
      assert.equal(await db.count(r.outBizNo), 1);
      await b.kill();
    });

    test('migrate from two processes at once', async () => {
      const db = await open();
      const table = uniqueName('inbox_concurrent');
      const env = { ...process.env, DIALECT: dialect, DB_URL: DB_URL[dialect]!, INBOX_TABLE: table };
      const outputs = await Promise.all(
        [0, 1, 2].map(() => execFileAsync(process.execPath, ['--import', 'tsx', MIGRATE_CHILD], { env })),
      );
      for (const o of outputs) assert.equal(o.stdout.trim(), 'migrated');
      assert.equal(Number((await db.sql(`SELECT COUNT(*) AS n FROM ${table}`))[0]!['n']), 0);
    });
  });

  test(
    `${dialect} stopped: the app answers fail, never success; back up, the retry writes one row`,
    { skip: SKIP_NO_URL[dialect] || SKIP_NO_SERVER[dialect] },
    async () => {
      const server = await ownServer(dialect);
      try {
        await server.start();
        const db = await openDb(dialect, server.url);
        dbs.push(db);
        const app = await start('A', db, server.url);
        const before = refund();
        assert.ok(isSuccess(await app.deliver(before.body)), 'works while the database is up');

        await server.kill();
        const during = refund();
        for (const body of [during.body, before.body]) {
          const d = await app.deliver(body);
          assert.ok(
            'status' in d && d.body === 'fail' && d.status >= 500,
            `fail while the database is down: ${JSON.stringify(d)}`,
          );
        }
        await app.waitFor((e) => e.type === 'error' && e.code === 'ERR_STORE_FAILED', 'ERR_STORE_FAILED');
        assert.equal(handlerStarts([app], during.outBizNo), 0, 'no handler runs without a transaction');

        await server.start();
        await retryUntilSuccess(app, during.body);
        assert.equal(await db.count(during.outBizNo), 1);
        assert.ok(isSuccess(await app.deliver(during.body)));
        assert.ok(isSuccess(await app.deliver(before.body)));
        assert.equal(await db.count(during.outBizNo), 1);
        assert.equal(await db.count(before.outBizNo), 1);
        await app.kill();
      } finally {
        await server.dispose();
      }
    },
  );
}

export type { Dialect };
