// The inbox end to end: an Express app whose refund handler writes to its own database table in
// the same transaction as the record that the notification was handled, so a refund is written
// exactly once even if the process dies mid-handler. Runs as is, on an embedded PostgreSQL
// (PGlite: PostgreSQL compiled to WebAssembly, in memory); in production pass a `pg` Pool instead.
//   npm run build && node --import tsx examples/inbox.ts
//   npx alipay-notify send http://127.0.0.1:3000/alipay/notify --key examples/alipay-test-private-key.pem
// The contract every example meets is in examples/README.md. GET /inbox/failed lists the
// notifications whose handler failed (replay them with inbox.replay(notifyId, options)).
import type { AddressInfo } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
// A merchant writes `import express from 'express'`: this repository installs Express 5 as "express5".
import express from 'express5';
import { createExpressHandler } from 'alipay-refund-notify/express';
import { createPostgresInbox } from 'alipay-refund-notify/postgres';

// Throwaway defaults: this public key's private half is examples/alipay-test-private-key.pem.
// In production, ALIPAY_PUBLIC_KEY is the 支付宝公钥 from the Alipay console, APP_ID your app id.
const ALIPAY_PUBLIC_KEY =
  process.env.ALIPAY_PUBLIC_KEY ??
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAmbcKoR65I5YQXgIICxBbKjv0DkzuPRfc3IMwnY+9iVZMyJju8n/VJjmm50qF7AKqZcVpotbcLnOb6OSehOpt+jDZtuVJY6C+xvyRgz/RHM/t3MRxBqIOVJbSvAK08L7pcex3MSROkfTphdh6Af5GqgCCkIbyq5oByMg4Be+0XnUjh3Y1F6gVA6iZstCf31gLqvfMmDVVjpJE8Y52A5yhnH02pPZsW4NEYa+GF8nS/srReC29MAZyaUyU3N1RfijMoM3j+5HlB/MjJGs/O1gtdCgMyHaOG7lntH9Eh1Fga0NISGiJGH54gJAoQ8b5W4YnA9cjSAQJ+oftVpYeJz+w1QIDAQAB';
const APP_ID = process.env.APP_ID ?? '2021000000000000';
const PORT = Number(process.env.PORT ?? 3000);

/**
 * PGlite is a single connection, so this "pool" lends it to one transaction at a time: the next
 * `connect()` waits until the previous client is released. `release(true)` (what the inbox does
 * when a handler overran its time) rolls back what the client left open and refuses its later
 * queries, as closing a real connection would. In production: `new pg.Pool({ connectionString })`.
 */
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

const db = new PGlite(); // in memory; new PGlite('./data') keeps it on disk
const inbox = createPostgresInbox({ pool: pgliteAsPool(db) });
await inbox.migrate();
// Your own table: the refund is written here, in the inbox's transaction.
await db.exec(`CREATE TABLE IF NOT EXISTS refunds (
  notify_id text PRIMARY KEY, out_trade_no text NOT NULL, out_biz_no text, refund_fee_fen bigint
)`);

const app = express();
// The route reads the raw body itself: register it before any express.urlencoded()/json().
app.post(
  '/alipay/notify',
  createExpressHandler({
    alipayPublicKey: ALIPAY_PUBLIC_KEY,
    appId: APP_ID,
    store: inbox,
    // Runs in a transaction with the inbox row: ctx.tx is that transaction's client. Both commit
    // together, then "success" is answered; if this throws, both roll back and Alipay retries.
    onRefund: async (refund, ctx) => {
      if (refund.kind === 'trade_refund') {
        await ctx.tx.query(
          'INSERT INTO refunds (notify_id, out_trade_no, out_biz_no, refund_fee_fen) VALUES ($1, $2, $3, $4)',
          [refund.notifyId, refund.outTradeNo, refund.outBizNo ?? null, refund.refundFee?.fen ?? null],
        );
        console.log(
          `refund ${refund.refundType} out_trade_no=${refund.outTradeNo} out_biz_no=${refund.outBizNo} refund_fee=${refund.refundFee?.yuan} charset=${refund.charset}`,
        );
      } else {
        console.log(`refund ${refund.kind} notify_id=${refund.notifyId}`);
      }
    },
    // Payments reach the same notify_url; this example only acknowledges them.
    onNotification: 'acknowledge',
    onError: (error) => console.log(`answered fail: ${error.code}`),
  }),
);
// The dead letter: verified notifications whose handler failed, for an operator to replay.
app.get('/inbox/failed', async (_req, res) => {
  const failed = await inbox.failed({ limit: 50 });
  res.json(
    failed.map(({ notifyId, attempts, code, message, lastFailedAt }) => ({
      notifyId,
      attempts,
      code,
      message,
      lastFailedAt,
    })),
  );
});

const server = app.listen(PORT, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`listening on http://127.0.0.1:${port}/alipay/notify`);
});
