// One "instance" of a merchant's service for the multi-process Redis tests: an
// Express 5 app with the Express adapter and the Redis store, in a process of its own. Started by
// test/store/redis/instances.ts with `fork` (IPC) under `node --import tsx`; configured by env:
//   REDIS_URL       the Redis of the duplicate store
//   RECORD_URL      where refunds are recorded (INCR per out_biz_no); default REDIS_URL
//   CLIENT_KIND     'ioredis' | 'node-redis'
//   PREFIX          the store's key prefix (refund counters live under `${PREFIX}refunds:`)
//   ALIPAY_PUBLIC_KEY, APP_ID, HANDLER_TIMEOUT_MS
//   MAX_LEASE_MS    optional: the store's maxLeaseMs (keeps the crash test short)
//   HOLD_MS         how long the handler works before recording the refund
//   HANG            '1': the handler never finishes (the test SIGKILLs this process)
// It reports to the parent: { type: 'ready', port }, { type: 'handler-start' | 'handler-done',
// outBizNo }, { type: 'error', code, causeName }.
import express from 'express5';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { createExpressHandler } from '../../../src/adapters/express.js';
import { createRedisStore, type RedisLikeClient } from '../../../src/store/redis-store.js';

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`${name} not set`);
  return v;
};
const send = (message: Record<string, unknown>): void => {
  process.send?.(message);
};

async function connect(url: string): Promise<{ client: RedisLikeClient; incr: (key: string) => Promise<unknown> }> {
  if (process.env['CLIENT_KIND'] === 'node-redis') {
    const nr = createClient({ url });
    nr.on('error', () => {}); // Redis going away is part of the tests
    await nr.connect();
    return { client: nr, incr: (key) => nr.incr(key) };
  }
  const io = new Redis(url, { maxRetriesPerRequest: 1 });
  io.on('error', () => {});
  return { client: io, incr: (key) => io.incr(key) };
}

const prefix = env('PREFIX');
const holdMs = Number(process.env['HOLD_MS'] ?? '0');
const storeRedis = await connect(env('REDIS_URL'));
const record = process.env['RECORD_URL'] ? await connect(process.env['RECORD_URL']) : storeRedis;

const app = express();
app.post(
  '/alipay/notify',
  createExpressHandler({
    alipayPublicKey: env('ALIPAY_PUBLIC_KEY'),
    appId: env('APP_ID'),
    store: createRedisStore({
      client: storeRedis.client,
      prefix,
      commandTimeoutMs: 500,
      ...(process.env['MAX_LEASE_MS'] ? { maxLeaseMs: Number(process.env['MAX_LEASE_MS']) } : {}),
    }),
    handlerTimeoutMs: Number(env('HANDLER_TIMEOUT_MS')),
    onNotification: 'retry',
    async onRefund(refund) {
      // Only trade refunds carry out_biz_no; the others leave it undefined, as before.
      const outBizNo = 'outBizNo' in refund ? refund.outBizNo : undefined;
      send({ type: 'handler-start', outBizNo });
      if (process.env['HANG'] === '1') await new Promise(() => {});
      if (holdMs > 0) await new Promise((r) => setTimeout(r, holdMs));
      await record.incr(`${prefix}refunds:${outBizNo}`);
      send({ type: 'handler-done', outBizNo });
    },
    onError(error) {
      const cause = (error as { cause?: unknown }).cause;
      send({ type: 'error', code: error.code, causeName: cause instanceof Error ? cause.name : undefined });
    },
  }),
);
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  send({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0 });
});
// The parent closes the IPC channel (or dies): leave quietly.
process.on('disconnect', () => process.exit(0));
