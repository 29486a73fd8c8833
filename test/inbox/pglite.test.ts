// The PostgreSQL inbox on PGlite (PostgreSQL compiled to WebAssembly, in process), through the
// one-connection "pool" examples/inbox.ts uses: the handler's writes commit or roll back with the
// inbox row there too, and failed notifications are listed and replayed. PGlite reads bytea as a
// Uint8Array and its clients have no events, unlike pg.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { createFetchHandler } from '../../src/adapters/fetch.js';
import { createPostgresInbox } from '../../src/inbox/postgres.js';
import { buildRefundFields, generateTestKeyPair, signNotification, type TestKeyPair } from '../../src/testing/index.js';

/** The same lending pool as examples/inbox.ts: one transaction at a time on the one connection. */
function pgliteAsPool(db: PGlite) {
  let previous: Promise<void> = Promise.resolve();
  return {
    async connect() {
      let unlock!: () => void;
      const turn = previous;
      previous = new Promise<void>((resolve) => (unlock = resolve));
      await turn;
      let open = true;
      return {
        async query(text: string, values: unknown[] = []) {
          if (!open) throw new Error('this client was released');
          const result = await db.query<Record<string, unknown>>(text, values);
          return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
        },
        release(destroy?: boolean | Error) {
          if (!open) return;
          open = false;
          if (destroy)
            db.query('ROLLBACK')
              .catch(() => {})
              .finally(unlock);
          else unlock();
        },
      };
    },
  };
}

const APP_ID = '2021000000000000';
let alipay: TestKeyPair;
let db: PGlite;
before(async () => {
  alipay = generateTestKeyPair();
  db = new PGlite();
  await db.exec('CREATE TABLE refunds (notify_id text NOT NULL)');
});
after(async () => {
  await db.close();
});

test('PGlite: rollback on failure, commit once, failed list and replay', { timeout: 180_000 }, async () => {
  const inbox = createPostgresInbox({ pool: pgliteAsPool(db) });
  await inbox.migrate();
  let fail = true;
  const options = {
    alipayPublicKey: alipay.publicKey,
    appId: APP_ID,
    store: inbox,
    onNotification: 'retry' as const,
    async onRefund(
      _refund: unknown,
      ctx: { notifyId: string; tx: { query(text: string, values?: unknown[]): Promise<unknown> } },
    ) {
      await ctx.tx.query('INSERT INTO refunds (notify_id) VALUES ($1)', [ctx.notifyId]);
      if (fail) throw new Error('not yet');
    },
  };
  const handler = createFetchHandler(options);
  const { body, fields } = signNotification(buildRefundFields('partial', { appId: APP_ID }), {
    privateKey: alipay.privateKey,
  });
  const post = async (): Promise<string> =>
    (await handler(new Request('http://127.0.0.1/notify', { method: 'POST', body }))).text();
  const count = async (): Promise<number> =>
    (await db.query<{ n: number }>('SELECT COUNT(*)::int AS n FROM refunds')).rows[0]!.n;

  assert.equal(await post(), 'fail');
  assert.equal(await count(), 0);
  const [entry] = await inbox.failed();
  assert.ok(Buffer.isBuffer(entry?.rawBody));
  assert.deepEqual(entry.rawBody, body);
  fail = false;
  assert.deepEqual(await inbox.replay(fields['notify_id']!, options), { status: 'handled' });
  assert.equal(await count(), 1);
  assert.equal(await post(), 'success');
  assert.equal(await count(), 1);
});
