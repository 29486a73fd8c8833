// Knex queries inside the inbox's transaction, as the README shows: `.connection(ctx.tx)` with
// pg, `.connection(ctx.tx.connection)` with mysql2 (Knex calls the callback API of the driver's
// connection; the promise wrapper's `connection` property is that connection). A handler that
// throws after its Knex INSERT leaves no row: the INSERT ran in the transaction, not beside it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import knexFactory from 'knex';
import type mysql from 'mysql2/promise';
import type pg from 'pg';
import { createFetchHandler } from '../../src/adapters/fetch.js';
import { createMysqlInbox } from '../../src/inbox/mysql.js';
import { createPostgresInbox } from '../../src/inbox/postgres.js';
import { buildRefundFields, generateTestKeyPair, signNotification, type TestKeyPair } from '../../src/testing/index.js';
import { DB_URL, DIALECTS, SKIP_NO_URL, openDb, openPool, type TestDb } from './db-env.js';

const APP_ID = '2021000000000000';
let alipay: TestKeyPair;
before(() => {
  alipay = generateTestKeyPair();
});

for (const dialect of DIALECTS) {
  describe(`Knex in the ${dialect} inbox's transaction`, { skip: SKIP_NO_URL[dialect] }, () => {
    // Knex only builds and runs the queries here: the inbox's connection is the one they run on.
    const knex = knexFactory({ client: dialect === 'postgres' ? 'pg' : 'mysql2' });
    let db: TestDb;
    let pool: pg.Pool | mysql.Pool;
    before(async () => {
      db = await openDb(dialect);
      pool = openPool(dialect, DB_URL[dialect]!);
    });
    after(async () => {
      await knex.destroy();
      await db?.close();
      await pool?.end();
    });

    test('the Knex INSERT commits with the inbox row, and rolls back with it', async () => {
      let fail = true;
      const common = { alipayPublicKey: alipay.publicKey, appId: APP_ID, onNotification: 'retry' as const };
      const handler =
        dialect === 'postgres'
          ? createFetchHandler({
              ...common,
              store: createPostgresInbox({ pool: pool as pg.Pool, tableName: db.inboxTable }),
              async onRefund(refund, ctx) {
                await knex(db.logTable)
                  .insert({ notify_id: ctx.notifyId, out_biz_no: refund.notifyId })
                  .connection(ctx.tx);
                if (fail) throw new Error('after the insert');
              },
            })
          : createFetchHandler({
              ...common,
              store: createMysqlInbox({ pool: pool as mysql.Pool, tableName: db.inboxTable }),
              async onRefund(refund, ctx) {
                await knex(db.logTable)
                  .insert({ notify_id: ctx.notifyId, out_biz_no: refund.notifyId })
                  .connection(ctx.tx.connection);
                if (fail) throw new Error('after the insert');
              },
            });
      const { body, fields } = signNotification(buildRefundFields('full', { appId: APP_ID }), {
        privateKey: alipay.privateKey,
      });
      const post = async (): Promise<string> =>
        (await handler(new Request('http://127.0.0.1/notify', { method: 'POST', body }))).text();
      assert.equal(await post(), 'fail');
      assert.equal(await db.count(fields['notify_id']!), 0, 'rolled back with the transaction');
      fail = false;
      assert.equal(await post(), 'success');
      assert.equal(await db.count(fields['notify_id']!), 1);
      assert.equal(await post(), 'success');
      assert.equal(await db.count(fields['notify_id']!), 1);
    });
  });
}
