// The inbox against real PostgreSQL and MariaDB servers, in process through the Fetch adapter:
// the handler's writes through ctx.tx commit or roll back with the inbox row; failures are
// recorded outside the rolled-back transaction (dead letter) and can be replayed; copies wait on
// the row lock; the database unreachable is `fail`, never `success`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createFetchHandler } from '../../src/adapters/fetch.js';
import type { NotifyAdapterOptions } from '../../src/adapters/adapter-options.js';
import { NotifyConfigError } from '../../src/errors/index.js';
import { createMysqlInbox, mysqlInboxSql } from '../../src/inbox/mysql.js';
import { createPostgresInbox, postgresInboxSql } from '../../src/inbox/postgres.js';
import {
  buildPaymentFields,
  buildRefundFields,
  generateTestKeyPair,
  signNotification,
  type TestKeyPair,
} from '../../src/testing/index.js';
import {
  DIALECTS,
  SKIP_NO_URL,
  freePort,
  openDb,
  openPool,
  placeholders,
  type Dialect,
  type TestDb,
} from './db-env.js';

const APP_ID = '2021000000000000';
let alipay: TestKeyPair;
before(() => {
  alipay = generateTestKeyPair();
});

function refund(now?: Date): { body: Buffer; notifyId: string; outBizNo: string } {
  const { body, fields } = signNotification(buildRefundFields('partial', { appId: APP_ID, ...(now ? { now } : {}) }), {
    privateKey: alipay.privateKey,
  });
  return { body, notifyId: fields['notify_id']!, outBizNo: fields['out_biz_no']! };
}

type Handler = (outBizNo: string, tx: unknown, signal: AbortSignal) => Promise<void>;

/** The business write every handler here makes, through the inbox's transaction. */
function insertThrough(db: TestDb): (tx: unknown, notifyId: string, outBizNo: string) => Promise<unknown> {
  const sql = placeholders(db.dialect, `INSERT INTO ${db.logTable} (notify_id, out_biz_no) VALUES ($1, $2)`);
  return (tx, notifyId, outBizNo) =>
    (tx as { query(s: string, p: unknown[]): Promise<unknown> }).query(sql, [notifyId, outBizNo]);
}

function options(
  db: TestDb,
  handler: Handler,
  extra: Partial<NotifyAdapterOptions<unknown, unknown>> = {},
): NotifyAdapterOptions<unknown, unknown> {
  const insert = insertThrough(db);
  return {
    alipayPublicKey: alipay.publicKey,
    appId: APP_ID,
    store: db.inbox,
    handlerTimeoutMs: 3000,
    onNotification: 'retry',
    async onRefund(r, ctx) {
      const outBizNo = 'outBizNo' in r && r.outBizNo ? r.outBizNo : r.notifyId;
      await insert(ctx.tx, ctx.notifyId, outBizNo);
      await handler(outBizNo, ctx.tx, ctx.signal);
    },
    ...extra,
  };
}

async function post(
  handler: (request: Request) => Promise<Response>,
  body: Buffer,
): Promise<{ status: number; body: string }> {
  const res = await handler(new Request('http://127.0.0.1/alipay/notify', { method: 'POST', body }));
  return { status: res.status, body: await res.text() };
}

const ok = async (): Promise<void> => {};

for (const dialect of DIALECTS) {
  describe(`inbox on ${dialect}`, { skip: SKIP_NO_URL[dialect] }, () => {
    const dbs: TestDb[] = [];
    const open = async (): Promise<TestDb> => {
      const db = await openDb(dialect);
      dbs.push(db);
      return db;
    };
    after(async () => {
      await Promise.all(dbs.map((d) => d.close()));
    });

    test('a refund commits with its inbox row; a later copy is a duplicate', async () => {
      const db = await open();
      let runs = 0;
      const handler = createFetchHandler(
        options(db, async () => {
          runs++;
        }),
      );
      const r = refund();
      assert.deepEqual(await post(handler, r.body), { status: 200, body: 'success' });
      assert.equal(await db.count(r.outBizNo), 1);
      assert.deepEqual(await post(handler, r.body), { status: 200, body: 'success' });
      assert.equal(runs, 1);
      assert.equal(await db.count(r.outBizNo), 1);
      const [row] = await db.sql(
        placeholders(dialect, `SELECT status, attempts, done_at, raw_body FROM ${db.inboxTable} WHERE notify_id = $1`),
        [r.notifyId],
      );
      assert.equal(row!['status'], 'done');
      assert.equal(Number(row!['attempts']), 1);
      assert.ok(row!['done_at'] instanceof Date);
      assert.deepEqual(Buffer.from(row!['raw_body'] as Uint8Array), r.body, 'the exact bytes that arrived');
    });

    test('a handler that throws: its write rolls back, `fail`, recorded as failed; the retry commits once', async () => {
      const db = await open();
      let fail = true;
      const errors: string[] = [];
      const handler = createFetchHandler(
        options(
          db,
          async () => {
            if (fail) throw new Error('ledger offline');
          },
          {
            onError: (e) => {
              errors.push(e.code);
            },
          },
        ),
      );
      const r = refund();
      assert.deepEqual(await post(handler, r.body), { status: 500, body: 'fail' });
      assert.equal(await db.count(r.outBizNo), 0, 'the INSERT made through ctx.tx was rolled back');
      assert.deepEqual(errors, ['ERR_HANDLER_FAILED']);
      const [entry] = await db.inbox.failed();
      assert.equal(entry?.notifyId, r.notifyId);
      assert.deepEqual(entry.rawBody, r.body);
      assert.equal(entry.attempts, 1);
      assert.equal(entry.code, 'ERR_HANDLER_FAILED');
      assert.equal(entry.message, 'ledger offline');
      assert.equal(entry.firstFailedAt.getTime(), entry.lastFailedAt.getTime());
      assert.ok(Math.abs(entry.firstFailedAt.getTime() - Date.now()) < 3600_000, 'times are read back in UTC');

      assert.deepEqual(await post(handler, r.body), { status: 500, body: 'fail' });
      const [again] = await db.inbox.failed();
      assert.equal(again?.attempts, 2);
      assert.ok(again.lastFailedAt >= again.firstFailedAt);
      assert.equal(again.firstFailedAt.getTime(), entry.firstFailedAt.getTime());

      fail = false;
      assert.deepEqual(await post(handler, r.body), { status: 200, body: 'success' });
      assert.equal(await db.count(r.outBizNo), 1);
      assert.deepEqual(await db.inbox.failed(), [], 'a committed run takes it off the list');
      const [row] = await db.sql(
        placeholders(dialect, `SELECT status, attempts, last_error_code FROM ${db.inboxTable} WHERE notify_id = $1`),
        [r.notifyId],
      );
      assert.deepEqual(
        [row!['status'], Number(row!['attempts']), row!['last_error_code']],
        ['done', 3, 'ERR_HANDLER_FAILED'],
      );
    });

    test('replay: the stored body verifies again, days later, and runs once; then deliveries are duplicates', async () => {
      const db = await open();
      const sent = new Date(Date.now() - 3 * 24 * 3600_000);
      const r = refund(sent);
      // Delivered when it was fresh (the verifier's clock says so), and the handler failed.
      const broken = createFetchHandler(
        options(
          db,
          async () => {
            throw new Error('bug in v1');
          },
          { now: () => new Date(sent.getTime() + 60_000), maxNotifyAgeMs: 25 * 3600_000 },
        ),
      );
      assert.equal((await post(broken, r.body)).body, 'fail');
      assert.equal((await db.inbox.failed())[0]?.notifyId, r.notifyId);

      // Day three: the fix is deployed. A delivery now would be refused as too old; a replay is not.
      let runs = 0;
      const fixed = options(
        db,
        async () => {
          runs++;
        },
        { maxNotifyAgeMs: 25 * 3600_000 },
      );
      const late = await post(createFetchHandler(fixed), r.body);
      assert.deepEqual(late, { status: 400, body: 'fail' }, 'ERR_NOTIFY_EXPIRED for a delivery');
      assert.deepEqual(await db.inbox.replay(r.notifyId, fixed), { status: 'handled' });
      assert.equal(runs, 1);
      assert.equal(await db.count(r.outBizNo), 1);
      assert.deepEqual(await db.inbox.failed(), []);
      assert.deepEqual(await db.inbox.replay(r.notifyId, fixed), { status: 'duplicate' });
      // A retry that reaches us within the window (the clock set back to then) is a duplicate.
      assert.equal(
        (await post(createFetchHandler({ ...fixed, now: () => new Date(sent.getTime() + 120_000) }), r.body)).body,
        'success',
      );
      assert.equal(runs, 1);
      assert.equal(await db.count(r.outBizNo), 1);
      assert.deepEqual(await db.inbox.replay('no-such-notify-id', fixed), { status: 'not_found' });
    });

    test('a replay that fails again stays listed with one attempt more; wrong keys fail verification', async () => {
      const db = await open();
      const r = refund();
      const failing = options(db, async () => {
        throw new Error('still broken');
      });
      assert.equal((await post(createFetchHandler(failing), r.body)).body, 'fail');
      const result = await db.inbox.replay(r.notifyId, failing);
      assert.equal(result.status, 'failed');
      assert.equal(result.status === 'failed' && result.error.code, 'ERR_HANDLER_FAILED');
      assert.equal((await db.inbox.failed())[0]?.attempts, 2);
      assert.equal(await db.count(r.outBizNo), 0);

      const otherKey = generateTestKeyPair();
      const wrong = await db.inbox.replay(r.notifyId, { ...failing, alipayPublicKey: otherKey.publicKey });
      assert.equal(wrong.status === 'failed' && wrong.error.code, 'ERR_SIGNATURE_INVALID');
      assert.equal(
        (await db.inbox.failed())[0]?.attempts,
        2,
        'a body that no longer verifies does not run the handler',
      );
      const retry = await db.inbox.replay(r.notifyId, {
        ...failing,
        onRefund: () => undefined,
        onNotification: 'retry',
      });
      assert.deepEqual(retry, { status: 'handled' });
      await assert.rejects(
        db.inbox.replay(r.notifyId, { ...failing, onRefund: undefined as never }),
        NotifyConfigError,
      );
      await assert.rejects(db.inbox.replay(r.notifyId, null as never), NotifyConfigError);
    });

    test('replay of other kinds: onNotification runs with ctx.tx; acknowledge marks it done; retry leaves it', async () => {
      const db = await open();
      const insert = insertThrough(db);
      const payments = [0, 1, 2].map(() =>
        signNotification(buildPaymentFields({ appId: APP_ID }), { privateKey: alipay.privateKey }),
      );
      const failing = options(db, ok, {
        onNotification: async () => {
          throw new Error('payments down');
        },
      });
      for (const p of payments) assert.equal((await post(createFetchHandler(failing), p.body)).body, 'fail');
      assert.equal((await db.inbox.failed()).length, 3);
      const [a, b, c] = payments.map((p) => p.fields['notify_id']!);
      const viaTx = await db.inbox.replay(a!, {
        ...failing,
        onNotification: async (n, ctx) => {
          await insert(ctx.tx, ctx.notifyId, n.notifyId);
        },
      });
      assert.deepEqual(viaTx, { status: 'handled' });
      assert.equal(await db.count(a!), 1);
      assert.deepEqual(await db.inbox.replay(b!, { ...failing, onNotification: 'acknowledge' }), { status: 'handled' });
      const left = await db.inbox.replay(c!, { ...failing, onNotification: 'retry' });
      assert.equal(left.status === 'failed' && left.error.code, 'ERR_UNHANDLED_NOTIFICATION');
      assert.deepEqual(
        (await db.inbox.failed()).map((f) => f.notifyId),
        [c],
      );
    });

    test('a handler that throws synchronously is a failure like any other', async () => {
      const db = await open();
      const handler = createFetchHandler({
        ...options(db, ok),
        onRefund: () => {
          throw new Error('sync');
        },
      });
      const r = refund();
      assert.deepEqual(await post(handler, r.body), { status: 500, body: 'fail' });
      assert.equal((await db.inbox.failed())[0]?.message, 'sync');
    });

    test(
      'a row with a status written by hand is not run: `fail`',
      { skip: dialect === 'postgres' && 'the CHECK constraint of the PostgreSQL table forbids other statuses' },
      async () => {
        const db = await open();
        let runs = 0;
        const errors: string[] = [];
        const handler = createFetchHandler(
          options(
            db,
            async () => {
              runs++;
            },
            {
              onError: (e) => {
                errors.push(e.code);
              },
            },
          ),
        );
        const r = refund();
        await db.sql(
          `INSERT INTO ${db.inboxTable} (notify_id, status, received_at, raw_body) VALUES (?, 'archived', UTC_TIMESTAMP(3), ?)`,
          [r.notifyId, r.body],
        );
        assert.deepEqual(await post(handler, r.body), { status: 503, body: 'fail' });
        assert.deepEqual(errors, ['ERR_STORE_FAILED']);
        assert.equal(runs, 0);
      },
    );

    test('a handler past handlerTimeoutMs: `fail`, and its late writes through ctx.tx never land', async () => {
      const db = await open();
      const insert = insertThrough(db);
      let late: Promise<unknown> | undefined;
      const errors: string[] = [];
      const handler = createFetchHandler(
        options(
          db,
          async (outBizNo, tx) => {
            await sleep(1500);
            late = insert(tx, 'late', outBizNo);
            await late;
          },
          {
            handlerTimeoutMs: 1000,
            onError: (e) => {
              errors.push(e.code);
            },
          },
        ),
      );
      const r = refund();
      assert.deepEqual(await post(handler, r.body), { status: 500, body: 'fail' });
      assert.deepEqual(errors, ['ERR_HANDLER_TIMEOUT']);
      while (late === undefined) await sleep(50);
      await assert.rejects(late, 'the connection was closed: a late query cannot run outside the transaction');
      assert.equal(await db.count(r.outBizNo), 0);
      const [entry] = await db.inbox.failed();
      assert.equal(entry?.code, 'ERR_HANDLER_TIMEOUT');
    });

    test('five copies at once: the handler runs once; every `success` comes after COMMIT', async () => {
      const db = await open();
      let runs = 0;
      const handler = createFetchHandler(
        options(db, async () => {
          runs++;
          await sleep(300);
        }),
      );
      const r = refund();
      const checks: Promise<void>[] = [];
      const answers = await Promise.all(
        Array.from({ length: 5 }, () =>
          post(handler, r.body).then((a) => {
            // The moment a copy is acknowledged, the refund must already be committed.
            if (a.body === 'success')
              checks.push(db.count(r.outBizNo).then((n) => assert.equal(n, 1, 'success before COMMIT')));
            return a;
          }),
        ),
      );
      await Promise.all(checks);
      assert.ok(answers.some((a) => a.body === 'success'));
      for (const a of answers) assert.ok(a.body === 'success' || a.status >= 500, JSON.stringify(a));
      assert.equal(runs, 1);
      assert.equal(await db.count(r.outBizNo), 1);
    });

    test('a copy waiting on a row whose first run rolls back never answers success without its own committed run', async () => {
      const db = await open();
      let runs = 0;
      const handler = createFetchHandler(
        options(db, async () => {
          runs++;
          if (runs === 1) {
            await sleep(500);
            throw new Error('first run fails');
          }
        }),
      );
      const r = refund();
      const first = post(handler, r.body);
      await sleep(100);
      const second = await post(handler, r.body);
      assert.equal((await first).body, 'fail');
      if (second.body === 'success') {
        assert.equal(runs, 2, 'the waiting copy took over');
        assert.equal(await db.count(r.outBizNo), 1);
      } else {
        assert.equal(await db.count(r.outBizNo), 0);
      }
    });

    test('a copy waits at most about handlerTimeoutMs for the row lock, then `fail`', async () => {
      const db = await open();
      const errors: string[] = [];
      const slow = createFetchHandler(options(db, () => sleep(4000), { handlerTimeoutMs: 8000 }));
      const quick = createFetchHandler(
        options(db, ok, {
          handlerTimeoutMs: 1000,
          onError: (e) => {
            errors.push(e.code);
          },
        }),
      );
      const r = refund();
      const first = post(slow, r.body);
      await sleep(300);
      assert.deepEqual(await post(quick, r.body), { status: 503, body: 'fail' });
      assert.deepEqual(errors, ['ERR_DUPLICATE_IN_FLIGHT']);
      assert.equal((await first).body, 'success');
      assert.equal((await post(quick, r.body)).body, 'success');
      assert.equal(await db.count(r.outBizNo), 1);
    });

    test('the database unreachable: `fail` with 503, the handler never runs', async () => {
      const port = await freePort();
      const url =
        dialect === 'postgres' ? `postgres://postgres@127.0.0.1:${port}/postgres` : `mysql://root@127.0.0.1:${port}/x`;
      const pool = openPool(dialect, url);
      try {
        const inbox =
          dialect === 'postgres'
            ? createPostgresInbox({ pool: pool as never })
            : createMysqlInbox({ pool: pool as never });
        let runs = 0;
        const errors: string[] = [];
        const handler = createFetchHandler({
          alipayPublicKey: alipay.publicKey,
          appId: APP_ID,
          store: inbox,
          onNotification: 'retry',
          onRefund: () => {
            runs++;
          },
          onError: (e) => {
            errors.push(e.code);
          },
        });
        assert.deepEqual(await post(handler, refund().body), { status: 503, body: 'fail' });
        assert.equal(runs, 0);
        assert.deepEqual(errors, ['ERR_STORE_FAILED']);
        await assert.rejects(inbox.migrate(), { code: 'ERR_STORE_FAILED' });
        await assert.rejects(inbox.failed(), { code: 'ERR_STORE_FAILED' });
      } finally {
        await pool.end();
      }
    });

    test('an inbox whose table was never migrated: `fail` with 503, the handler never runs', async () => {
      const db = await openDb(dialect, undefined, { migrate: false });
      dbs.push(db);
      let runs = 0;
      const errors: string[] = [];
      const handler = createFetchHandler({
        ...options(db, ok),
        onRefund: () => {
          runs++;
        },
        onError: (e) => {
          errors.push(e.code);
        },
      });
      assert.deepEqual(await post(handler, refund().body), { status: 503, body: 'fail' });
      assert.deepEqual([runs, errors], [0, ['ERR_STORE_FAILED']]);
    });

    test('prune removes handled rows older than the window, never a failed one', async () => {
      const db = await open();
      const handler = createFetchHandler(
        options(db, async (outBizNo) => {
          if (outBizNo === bad.outBizNo) throw new Error('no');
        }),
      );
      const old = refund();
      const fresh = refund();
      const bad = refund();
      for (const r of [old, fresh, bad]) await post(handler, r.body);
      const ago = dialect === 'postgres' ? "now() - interval '30 hours'" : 'UTC_TIMESTAMP(3) - INTERVAL 30 HOUR';
      await db.sql(placeholders(dialect, `UPDATE ${db.inboxTable} SET done_at = ${ago} WHERE notify_id = $1`), [
        old.notifyId,
      ]);
      await db.sql(
        placeholders(
          dialect,
          `UPDATE ${db.inboxTable} SET first_failed_at = ${ago}, last_failed_at = ${ago} WHERE notify_id = $1`,
        ),
        [bad.notifyId],
      );
      assert.equal(await db.inbox.prune(), 1);
      const left = await db.sql(`SELECT notify_id FROM ${db.inboxTable} ORDER BY notify_id`);
      assert.deepEqual(left.map((x) => x['notify_id']).sort(), [fresh.notifyId, bad.notifyId].sort());
      assert.equal(await db.inbox.prune({ olderThanMs: 1 }), 1, 'a shorter window, given explicitly');
      assert.deepEqual(
        (await db.inbox.failed()).map((f) => f.notifyId),
        [bad.notifyId],
      );
      assert.equal((await db.inbox.failed({ limit: 1 })).length, 1);
      await assert.rejects(db.inbox.prune({ olderThanMs: 0 }), NotifyConfigError);
    });

    test('migrate twice is harmless; the DDL is exported as text', async () => {
      const db = await open();
      await db.inbox.migrate();
      await db.inbox.migrate();
      const sqlText = dialect === 'postgres' ? postgresInboxSql(db.inboxTable) : mysqlInboxSql(db.inboxTable);
      assert.equal(sqlText, db.inbox.migrationSql);
      assert.match(sqlText, new RegExp(`CREATE TABLE IF NOT EXISTS [\`"]${db.inboxTable}[\`"]`));
      // The exported text creates the same table on its own (as a migration tool would run it).
      const other = `${db.inboxTable}_copy`;
      const text = dialect === 'postgres' ? postgresInboxSql(other) : mysqlInboxSql(other);
      for (const statement of text
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean))
        await db.sql(statement);
      assert.deepEqual(await db.sql(`SELECT COUNT(*) AS n FROM ${other}`).then((rows) => Number(rows[0]!['n'])), 0);
    });
  });
}

describe('inbox options', () => {
  test('table names are identifiers; the pool must be a pool', () => {
    const pool = {
      connect: async () => {
        throw new Error('unused');
      },
    };
    for (const tableName of ['x; DROP TABLE refunds', 'a.b.c', '1abc', '', 'a'.repeat(49), 'naïve', 42 as never]) {
      assert.throws(() => createPostgresInbox({ pool, tableName }), NotifyConfigError, tableName);
      assert.throws(
        () => createMysqlInbox({ pool: { getConnection: pool.connect as never }, tableName }),
        NotifyConfigError,
        tableName,
      );
    }
    assert.equal(createPostgresInbox({ pool, tableName: 'billing.alipay_inbox' }).tableName, 'billing.alipay_inbox');
    assert.match(postgresInboxSql('billing.alipay_inbox'), /"billing"\."alipay_inbox"/);
    assert.match(mysqlInboxSql('shop.alipay_inbox'), /`shop`\.`alipay_inbox`/);
    assert.throws(() => createPostgresInbox({ pool: {} as never }), NotifyConfigError);
    assert.throws(() => createMysqlInbox({ pool: null as never }), NotifyConfigError);
    assert.throws(() => createPostgresInbox(undefined as never), NotifyConfigError);
  });
});

export type { Dialect };
