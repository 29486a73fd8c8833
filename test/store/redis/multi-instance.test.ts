// Exactly-once refund handling across processes: separate Node processes, each an
// Express app with the adapter and the Redis store, receiving the same notification the way
// Alipay delivers it: copies at once, retries after a crash, and while Redis is down. Refunds are
// recorded with INCR per out_biz_no, so a count of 1 proves the refund was recorded exactly once.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  buildRefundFields,
  generateTestKeyPair,
  signNotification,
  type TestKeyPair,
} from '../../../src/testing/index.js';
import {
  REDIS_URL,
  SKIP_NO_SERVER,
  SKIP_NO_URL,
  connect,
  ownRedis,
  uniquePrefix,
  type TestClient,
} from './redis-env.js';
import { handlerStarts, startInstance, type Delivery, type Instance } from './instances.js';

const APP_ID = '2021000000000000';
const SKIP_OWN = SKIP_NO_URL || SKIP_NO_SERVER;
let alipay: TestKeyPair;
let raw: TestClient | undefined;
const running: Instance[] = [];

before(async () => {
  alipay = generateTestKeyPair();
  if (REDIS_URL) raw = await connect('ioredis', REDIS_URL);
});
after(async () => {
  await Promise.all(running.map((i) => i.kill()));
  await raw?.close();
});

async function start(name: string, env: Record<string, string>): Promise<Instance> {
  const instance = await startInstance(name, {
    ALIPAY_PUBLIC_KEY: alipay.publicKey,
    APP_ID,
    HANDLER_TIMEOUT_MS: '5000',
    ...env,
  });
  running.push(instance);
  return instance;
}

function refund(): { body: Buffer; outBizNo: string } {
  const { body, fields } = signNotification(buildRefundFields('partial', { appId: APP_ID }), {
    privateKey: alipay.privateKey,
  });
  return { body, outBizNo: fields['out_biz_no']! };
}

const recorded = async (prefix: string, outBizNo: string): Promise<number> =>
  Number((await raw!.command('GET', `${prefix}refunds:${outBizNo}`)) ?? 0);
const isSuccess = (d: Delivery): boolean => 'status' in d && d.status === 200 && d.body === 'success';

/** Alipay's retries, compressed: deliver to each instance in turn until one says `success`. */
async function retryUntilSuccess(instances: readonly Instance[], body: Buffer, limit = 200): Promise<Delivery[]> {
  const seen: Delivery[] = [];
  for (let i = 0; i < limit; i++) {
    const d = await instances[i % instances.length]!.deliver(body);
    seen.push(d);
    if (isSuccess(d)) return seen;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no success after ${limit} deliveries: ${JSON.stringify(seen.slice(-3))}`);
}

test(
  'the same notification posted to two processes at once runs the handler once in total',
  { skip: SKIP_NO_URL },
  async () => {
    const prefix = uniquePrefix();
    const a = await start('A', { REDIS_URL: REDIS_URL!, CLIENT_KIND: 'ioredis', PREFIX: prefix, HOLD_MS: '300' });
    const b = await start('B', { REDIS_URL: REDIS_URL!, CLIENT_KIND: 'node-redis', PREFIX: prefix, HOLD_MS: '300' });

    for (let round = 0; round < 3; round++) {
      const { body, outBizNo } = refund();
      // Ten copies at once, five to each process.
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).deliver(body)));
      for (const d of answers) {
        assert.ok('status' in d, `every copy gets an answer: ${JSON.stringify(d)}`);
        assert.ok(d.body === 'success' || d.body === 'fail', `the body is exactly success or fail: ${d.body}`);
      }
      assert.ok(answers.some(isSuccess), 'the copy that ran the handler is acknowledged');
      assert.equal(handlerStarts([a, b], outBizNo), 1, 'the handler ran once across both processes');
      assert.equal(await recorded(prefix, outBizNo), 1);

      // Alipay's later retries, to either process: acknowledged, not run again.
      for (const instance of [a, b]) assert.ok(isSuccess(await instance.deliver(body)));
      assert.equal(handlerStarts([a, b], outBizNo), 1);
      assert.equal(await recorded(prefix, outBizNo), 1);
    }
    await Promise.all([a.kill(), b.kill()]);
  },
);

test(
  'a process SIGKILLed mid-handler: the retry after the lease is handled by the other, recorded once',
  { skip: SKIP_NO_URL },
  async () => {
    const prefix = uniquePrefix();
    // A short lease keeps the test short; by default it is handlerTimeoutMs + 60 s.
    const short = { REDIS_URL: REDIS_URL!, PREFIX: prefix, HANDLER_TIMEOUT_MS: '1000', MAX_LEASE_MS: '1500' };
    const a = await start('A', { ...short, CLIENT_KIND: 'ioredis', HANG: '1' });
    const b = await start('B', { ...short, CLIENT_KIND: 'node-redis' });
    const { body, outBizNo } = refund();

    const first = a.deliver(body);
    await a.waitFor((e) => e.type === 'handler-start' && e.outBizNo === outBizNo, 'A to start the handler');
    await a.kill('SIGKILL');
    const lost = await first;
    assert.ok(!isSuccess(lost), 'the killed process never acknowledged');

    const retries = await retryUntilSuccess([b], body);
    assert.ok(retries.slice(0, -1).every((d) => !isSuccess(d)));
    assert.equal(
      b.events.filter((e) => e.type === 'handler-start' && e.outBizNo === outBizNo).length,
      1,
      'B ran it once, after the lease',
    );
    assert.equal(await recorded(prefix, outBizNo), 1, 'recorded exactly once');

    assert.ok(isSuccess(await b.deliver(body)), 'a later retry is acknowledged');
    assert.equal(handlerStarts([a, b], outBizNo), 2, 'A (killed) and B: never a third run');
    assert.equal(await recorded(prefix, outBizNo), 1);
    await b.kill();
  },
);

test(
  'Redis down or restarted: the adapter answers fail, never success, and the retry is handled once',
  { skip: SKIP_OWN },
  async () => {
    const redis = await ownRedis();
    await redis.start();
    const prefix = uniquePrefix();
    try {
      // The store lives on the private Redis; refunds are recorded in the shared one, which stays up.
      const instances: Instance[] = [];
      for (const kind of ['ioredis', 'node-redis'] as const) {
        instances.push(
          await start(kind, { REDIS_URL: redis.url, RECORD_URL: REDIS_URL!, CLIENT_KIND: kind, PREFIX: prefix }),
        );
      }

      const before = refund();
      for (const instance of instances) {
        const first = refund();
        assert.ok(isSuccess(await instance.deliver(first.body)), `${instance.name} works while Redis is up`);
        assert.equal(await recorded(prefix, first.outBizNo), 1);
      }
      assert.ok(isSuccess(await instances[0]!.deliver(before.body)));

      await redis.kill();
      const during = refund();
      for (const instance of instances) {
        for (const body of [during.body, before.body]) {
          const d = await instance.deliver(body);
          assert.ok(
            'status' in d && d.body === 'fail' && d.status >= 500,
            `${instance.name} answers fail while Redis is down: ${JSON.stringify(d)}`,
          );
        }
        await instance.waitFor(
          (e) => e.type === 'error' && e.code === 'ERR_STORE_FAILED',
          `${instance.name} to report ERR_STORE_FAILED`,
        );
      }
      assert.equal(handlerStarts(instances, during.outBizNo), 0, 'no handler runs without a claim');

      await redis.start();
      await retryUntilSuccess(instances, during.body);
      assert.equal(handlerStarts(instances, during.outBizNo), 1);
      assert.equal(await recorded(prefix, during.outBizNo), 1);
      // Alipay's later retries, to each instance: acknowledged (once that instance's client is back
      // on Redis: it may still be reconnecting, and answers fail meanwhile), never run again.
      for (const instance of instances) await retryUntilSuccess([instance], during.body);
      assert.equal(handlerStarts(instances, during.outBizNo), 1);
      assert.equal(await recorded(prefix, during.outBizNo), 1);
    } finally {
      await Promise.all(running.map((i) => i.kill()));
      await redis.dispose();
    }
  },
);
