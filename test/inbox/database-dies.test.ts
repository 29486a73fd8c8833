// The database dies while a handler runs, on a server of the test's own: COMMIT cannot happen,
// so Alipay is told `fail` (never `success`); the failed attempt cannot be recorded either, and
// that is reported to onError. Back up, the retry writes the refund once.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { createFetchHandler } from '../../src/adapters/fetch.js';
import { buildRefundFields, generateTestKeyPair, signNotification, type TestKeyPair } from '../../src/testing/index.js';
import { DIALECTS, SKIP_NO_SERVER, openDb, ownServer, placeholders } from './db-env.js';

const APP_ID = '2021000000000000';
let alipay: TestKeyPair;
before(() => {
  alipay = generateTestKeyPair();
});

for (const dialect of DIALECTS) {
  test(
    `${dialect} killed mid-handler: fail, the unrecordable failure reported; back up, one row`,
    { skip: SKIP_NO_SERVER[dialect], timeout: 300_000 },
    async () => {
      const server = await ownServer(dialect);
      try {
        await server.start();
        const db = await openDb(dialect, server.url);
        try {
          let kill = true;
          const errors: string[] = [];
          const insert = placeholders(dialect, `INSERT INTO ${db.logTable} (notify_id, out_biz_no) VALUES ($1, $2)`);
          const handler = createFetchHandler({
            alipayPublicKey: alipay.publicKey,
            appId: APP_ID,
            store: db.inbox,
            handlerTimeoutMs: 5000,
            onNotification: 'retry',
            async onRefund(refund, ctx) {
              await (ctx.tx as { query(s: string, p: unknown[]): Promise<unknown> }).query(insert, [
                ctx.notifyId,
                refund.notifyId,
              ]);
              if (kill) await server.kill(); // the handler itself succeeds; the database is gone
            },
            onError: (e) => {
              errors.push(e.code);
            },
          });
          const { body, fields } = signNotification(buildRefundFields('full', { appId: APP_ID }), {
            privateKey: alipay.privateKey,
          });
          const post = async (): Promise<{ status: number; body: string }> => {
            const res = await handler(new Request('http://127.0.0.1/notify', { method: 'POST', body }));
            return { status: res.status, body: await res.text() };
          };
          assert.deepEqual(await post(), { status: 503, body: 'fail' });
          assert.deepEqual(errors, ['ERR_STORE_FAILED', 'ERR_STORE_FAILED'], 'COMMIT failed, and so did recording it');

          kill = false;
          await server.start();
          let reply = await post();
          for (let i = 0; i < 50 && reply.body !== 'success'; i++) reply = await post(); // pools drop their dead connections
          assert.deepEqual(reply, { status: 200, body: 'success' });
          assert.equal(await db.count(fields['notify_id']!), 1);
          assert.deepEqual(await post(), { status: 200, body: 'success' });
          assert.equal(await db.count(fields['notify_id']!), 1);
        } finally {
          await db.close();
        }
      } finally {
        await server.dispose();
      }
    },
  );
}
