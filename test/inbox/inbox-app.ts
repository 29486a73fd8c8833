// A merchant's app for the inbox tests: an Express 5 app with the Express adapter and the inbox
// (PostgreSQL through pg, or MariaDB through mysql2), in a process of its own so that a test can
// SIGKILL it mid-handler. Started by test/inbox/app-process.ts with `fork` (IPC) under
// `node --import tsx`; configured by env:
//   DIALECT         'postgres' | 'mysql'
//   DB_URL          the database
//   INBOX_TABLE     the inbox table (migrated by the test)
//   LOG_TABLE       the business table: the handler inserts (notify_id, out_biz_no) through ctx.tx
//   ALIPAY_PUBLIC_KEY, APP_ID, HANDLER_TIMEOUT_MS
//   MODE            'normal' | 'hang' (after its INSERT the handler never finishes) |
//                   'throw-once' (the first run throws after its INSERT) | 'hold' (waits HOLD_MS after its INSERT)
// It reports to the parent: { type: 'ready', port }, { type: 'handler-start' | 'inserted' |
// 'handler-done', outBizNo }, { type: 'error', code }.
import express from 'express5';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { createExpressHandler } from '../../src/adapters/express.js';
import { createMysqlInbox } from '../../src/inbox/mysql.js';
import { createPostgresInbox } from '../../src/inbox/postgres.js';
import type { RefundNotification } from '../../src/types.js';

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`${name} not set`);
  return v;
};
const send = (message: Record<string, unknown>): void => {
  process.send?.(message);
};
const mode = process.env['MODE'] ?? 'normal';
const holdMs = Number(process.env['HOLD_MS'] ?? '0');
const logTable = env('LOG_TABLE');
let thrown = false;

const outBizNo = (refund: RefundNotification): string =>
  'outBizNo' in refund && refund.outBizNo ? refund.outBizNo : refund.notifyId;

/** What the handler does after its INSERT, by MODE. */
async function afterInsert(): Promise<void> {
  if (mode === 'hang') await new Promise(() => {});
  if (mode === 'throw-once' && !thrown) {
    thrown = true;
    throw new Error('the merchant handler failed once');
  }
  if (mode === 'hold') await new Promise((r) => setTimeout(r, holdMs));
}

const common = {
  alipayPublicKey: env('ALIPAY_PUBLIC_KEY'),
  appId: env('APP_ID'),
  handlerTimeoutMs: Number(env('HANDLER_TIMEOUT_MS')),
  onNotification: 'retry' as const,
  onError(error: { code: string }) {
    send({ type: 'error', code: error.code });
  },
};

const app = express();
if (env('DIALECT') === 'postgres') {
  const pool = new pg.Pool({ connectionString: env('DB_URL') });
  pool.on('error', () => {});
  app.post(
    '/alipay/notify',
    createExpressHandler({
      ...common,
      store: createPostgresInbox({ pool, tableName: env('INBOX_TABLE') }),
      async onRefund(refund, ctx) {
        send({ type: 'handler-start', outBizNo: outBizNo(refund) });
        // ctx.tx is the pg PoolClient of the inbox's transaction: no cast needed.
        await ctx.tx.query(`INSERT INTO ${logTable} (notify_id, out_biz_no) VALUES ($1, $2)`, [
          ctx.notifyId,
          outBizNo(refund),
        ]);
        send({ type: 'inserted', outBizNo: outBizNo(refund) });
        await afterInsert();
        send({ type: 'handler-done', outBizNo: outBizNo(refund) });
      },
    }),
  );
} else {
  const pool = mysql.createPool({ uri: env('DB_URL'), connectionLimit: 20 });
  app.post(
    '/alipay/notify',
    createExpressHandler({
      ...common,
      store: createMysqlInbox({ pool, tableName: env('INBOX_TABLE') }),
      async onRefund(refund, ctx) {
        send({ type: 'handler-start', outBizNo: outBizNo(refund) });
        // ctx.tx is the mysql2 PoolConnection of the inbox's transaction.
        await ctx.tx.query(`INSERT INTO ${logTable} (notify_id, out_biz_no) VALUES (?, ?)`, [
          ctx.notifyId,
          outBizNo(refund),
        ]);
        send({ type: 'inserted', outBizNo: outBizNo(refund) });
        await afterInsert();
        send({ type: 'handler-done', outBizNo: outBizNo(refund) });
      },
    }),
  );
}
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  send({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
});
// The parent closes the IPC channel (or dies): leave quietly.
process.on('disconnect', () => process.exit(0));
