// The Redis store against a real Redis: atomic claims, leases, overlap, release,
// peek and key prefixes, with both ioredis and node-redis clients.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NotifyConfigError } from '../../../src/errors/index.js';
import type { DuplicateStore } from '../../../src/store/duplicate-store.js';
import { createRedisStore } from '../../../src/store/redis-store.js';
import {
  CLIENT_KINDS,
  REDIS_URL,
  SKIP_NO_URL,
  connect,
  uniquePrefix,
  until,
  type ClientKind,
  type TestClient,
} from './redis-env.js';

const DAY_MS = 26 * 3600_000;

for (const kind of CLIENT_KINDS) {
  describe(`Redis store with ${kind}`, () => {
    const clients: TestClient[] = [];
    let raw: TestClient;
    const open = async (k: ClientKind = kind, ioOptions: { keyPrefix?: string } = {}): Promise<TestClient> => {
      const c = await connect(k, REDIS_URL!, ioOptions);
      clients.push(c);
      return c;
    };
    before(async () => {
      if (REDIS_URL) raw = await open();
    });
    after(async () => {
      await Promise.all(clients.map((c) => c.close()));
    });

    test(
      '50 concurrent claims of one notify_id over 5 connections: exactly one is claimed',
      { skip: SKIP_NO_URL },
      async () => {
        const prefix = uniquePrefix();
        const stores: DuplicateStore[] = [];
        for (let i = 0; i < 5; i++) stores.push(createRedisStore({ client: (await open()).client, prefix }));
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => stores[i % 5]!.claim('2019081500222155624068450559358070', 30_000)),
        );
        assert.equal(results.filter((r) => r.status === 'claimed').length, 1);
        assert.equal(results.filter((r) => r.status === 'in_progress').length, 49);
        const winner = results.find((r) => r.status === 'claimed');
        assert.ok(winner && winner.status === 'claimed');
        assert.equal(await stores[3]!.complete('2019081500222155624068450559358070', winner.token, DAY_MS), true);
        const again = await Promise.all(stores.map((s) => s.claim('2019081500222155624068450559358070', 30_000)));
        assert.deepEqual(
          again.map((r) => r.status),
          ['done', 'done', 'done', 'done', 'done'],
        );
      },
    );

    test('ioredis and node-redis instances share one state', { skip: SKIP_NO_URL }, async () => {
      const prefix = uniquePrefix();
      const a = createRedisStore({ client: (await open('ioredis')).client, prefix });
      const b = createRedisStore({ client: (await open('node-redis')).client, prefix });
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).claim('n1', 30_000)));
      assert.equal(results.filter((r) => r.status === 'claimed').length, 1);
      assert.equal(await a.peek('n1'), 'in_progress');
      assert.equal(await b.peek('n1'), 'in_progress');
    });

    test('done lasts the TTL given to complete, then the key is gone', { skip: SKIP_NO_URL }, async () => {
      const prefix = uniquePrefix();
      const store = createRedisStore({ client: raw.client, prefix });
      const claim = await store.claim('n1', 30_000);
      assert.ok(claim.status === 'claimed');
      assert.equal(await store.complete('n1', claim.token, DAY_MS), true);
      assert.equal(await store.peek('n1'), 'done');
      const pttl = Number(await raw.command('PTTL', `${prefix}n1`));
      assert.ok(pttl > 25 * 3600_000 && pttl <= DAY_MS, `PTTL ${pttl} covers Alipay's 25-hour retry window`);

      const short = await store.claim('n2', 30_000);
      assert.ok(short.status === 'claimed');
      assert.equal(await store.complete('n2', short.token, 50), true);
      await until(async () => (await store.peek('n2')) === 'absent', 'done mark to expire');
      assert.equal((await store.claim('n2', 30_000)).status, 'claimed');
    });

    test(
      'a lease expires: the next delivery claims it, and the late complete reports the overlap',
      { skip: SKIP_NO_URL },
      async () => {
        const store = createRedisStore({ client: raw.client, prefix: uniquePrefix() });
        const first = await store.claim('n1', 100);
        assert.ok(first.status === 'claimed');
        assert.equal((await store.claim('n1', 30_000)).status, 'in_progress');
        await until(async () => (await store.peek('n1')) === 'absent', 'lease to expire');

        const second = await store.claim('n1', 30_000);
        assert.ok(second.status === 'claimed');
        assert.notEqual(second.token, first.token);
        // The crashed-or-slow first handler finishes after the second claimed: overlap → false.
        assert.equal(await store.complete('n1', first.token, DAY_MS), false);
        assert.equal(await store.peek('n1'), 'done', 'the handler did succeed: retries are acknowledged');
        assert.equal(
          await store.complete('n1', second.token, DAY_MS),
          false,
          'the second run is told about the overlap too',
        );
        assert.equal((await store.claim('n1', 30_000)).status, 'done');
      },
    );

    test(
      'complete after the lease expired with nobody else claiming still returns false and marks done',
      { skip: SKIP_NO_URL },
      async () => {
        const store = createRedisStore({ client: raw.client, prefix: uniquePrefix() });
        const claim = await store.claim('n1', 50);
        assert.ok(claim.status === 'claimed');
        await until(async () => (await store.peek('n1')) === 'absent', 'lease to expire');
        assert.equal(await store.complete('n1', claim.token, DAY_MS), false);
        assert.equal((await store.claim('n1', 30_000)).status, 'done');
      },
    );

    test("release frees only the caller's own claim", { skip: SKIP_NO_URL }, async () => {
      const prefix = uniquePrefix();
      const store = createRedisStore({ client: raw.client, prefix });
      const claim = await store.claim('n1', 30_000);
      assert.ok(claim.status === 'claimed');
      await store.release('n1', 'someone-else');
      assert.equal(await store.peek('n1'), 'in_progress');
      await store.release('n1', claim.token);
      assert.equal(await store.peek('n1'), 'absent');
      assert.equal(await raw.command('EXISTS', `${prefix}n1`), 0, 'a failed handler leaves no mark');

      // An expired claim's late release must not free the claim that replaced it.
      const old = await store.claim('n2', 50);
      assert.ok(old.status === 'claimed');
      await until(async () => (await store.peek('n2')) === 'absent', 'lease to expire');
      const current = await store.claim('n2', 30_000);
      assert.ok(current.status === 'claimed');
      await store.release('n2', old.token);
      assert.equal(await store.peek('n2'), 'in_progress');
      // Nor undo a done mark.
      assert.equal(await store.complete('n2', current.token, DAY_MS), true);
      await store.release('n2', current.token);
      assert.equal(await store.peek('n2'), 'done');
    });

    test('peek reads without changing anything', { skip: SKIP_NO_URL }, async () => {
      const prefix = uniquePrefix();
      const store = createRedisStore({ client: raw.client, prefix });
      assert.equal(await store.peek('n1'), 'absent');
      assert.equal(await raw.command('EXISTS', `${prefix}n1`), 0);
      const claim = await store.claim('n1', 30_000);
      assert.ok(claim.status === 'claimed');
      const before = Number(await raw.command('PTTL', `${prefix}n1`));
      assert.equal(await store.peek('n1'), 'in_progress');
      assert.ok(Number(await raw.command('PTTL', `${prefix}n1`)) <= before, 'peek does not extend the lease');
    });

    test(
      "keys are prefix + notify_id; stores with other prefixes and other apps' keys are untouched",
      { skip: SKIP_NO_URL },
      async () => {
        const shared = uniquePrefix();
        // Several apps share one Redis and one top-level prefix; each has its own sub-prefix.
        const refunds = createRedisStore({ client: raw.client, prefix: `${shared}refunds:` });
        const other = createRedisStore({ client: raw.client, prefix: `${shared}other-app:` });
        await raw.command('SET', `${shared}refunds`, 'unrelated');
        await raw.command('SET', `${shared}cart:42`, 'unrelated');

        const claim = await refunds.claim('n1', 30_000);
        assert.ok(claim.status === 'claimed');
        assert.equal((await other.claim('n1', 30_000)).status, 'claimed', 'another prefix is another namespace');
        assert.equal(await refunds.complete('n1', claim.token, DAY_MS), true);
        assert.equal(await raw.command('GET', `${shared}refunds:n1`), `d:${claim.token}`);
        assert.equal(await raw.command('GET', `${shared}refunds`), 'unrelated');
        assert.equal(await raw.command('GET', `${shared}cart:42`), 'unrelated');
        assert.equal(await other.peek('n1'), 'in_progress');
      },
    );

    if (kind === 'ioredis') {
      test('an ioredis keyPrefix is applied before the store prefix', { skip: SKIP_NO_URL }, async () => {
        const app = uniquePrefix();
        const prefixed = await open('ioredis', { keyPrefix: app });
        const store = createRedisStore({ client: prefixed.client, prefix: 'alipay:' });
        const claim = await store.claim('n1', 30_000);
        assert.ok(claim.status === 'claimed');
        assert.equal(await raw.command('GET', `${app}alipay:n1`), `c:${claim.token}`);
      });
    }

    test('the default prefix namespaces keys under alipay-refund-notify:', { skip: SKIP_NO_URL }, async () => {
      const store = createRedisStore({ client: raw.client });
      const id = `default-prefix-${Date.now()}-${Math.random()}`;
      const claim = await store.claim(id, 30_000);
      assert.ok(claim.status === 'claimed');
      assert.equal(await raw.command('GET', `alipay-refund-notify:${id}`), `c:${claim.token}`);
      await store.release(id, claim.token);
    });

    test('maxLeaseMs caps the lease the adapter asks for', { skip: SKIP_NO_URL }, async () => {
      const prefix = uniquePrefix();
      // A cap of a second, not less: the second claim below must still hold its lease when it
      // completes, however loaded the machine running the test is.
      const store = createRedisStore({ client: raw.client, prefix, maxLeaseMs: 1000 });
      const claim = await store.claim('n1', 70_000);
      assert.ok(claim.status === 'claimed');
      const pttl = Number(await raw.command('PTTL', `${prefix}n1`));
      assert.ok(pttl > 0 && pttl <= 1000, `PTTL ${pttl}`);
      await until(async () => (await store.peek('n1')) === 'absent', 'capped lease to expire');
      // Done marks are not capped.
      const next = await store.claim('n1', 70_000);
      assert.ok(next.status === 'claimed');
      assert.equal(await store.complete('n1', next.token, DAY_MS), true);
      assert.ok(Number(await raw.command('PTTL', `${prefix}n1`)) > 25 * 3600_000);
    });

    test('a bad lease or TTL is a NotifyConfigError, and Redis is not touched', { skip: SKIP_NO_URL }, async () => {
      const store = createRedisStore({ client: raw.client, prefix: uniquePrefix() });
      await assert.rejects(store.claim('n1', 0), NotifyConfigError);
      await assert.rejects(store.claim('n1', Number.NaN), NotifyConfigError);
      await assert.rejects(store.complete('n1', 't', Number.POSITIVE_INFINITY), NotifyConfigError);
      assert.equal(await store.peek('n1'), 'absent');
    });
  });
}

test('createRedisStore rejects what is not a Redis client', () => {
  assert.throws(() => createRedisStore({ client: {} as never }), NotifyConfigError);
  assert.throws(
    () => createRedisStore({ client: null as never }),
    (err: unknown) => err instanceof NotifyConfigError && err.option === 'client',
  );
  const looksLikeOne = { eval: async () => 'absent' };
  assert.throws(() => createRedisStore({ client: looksLikeOne, prefix: 42 as never }), NotifyConfigError);
  assert.throws(() => createRedisStore({ client: looksLikeOne, commandTimeoutMs: -1 }), NotifyConfigError);
  assert.throws(() => createRedisStore({ client: looksLikeOne, maxLeaseMs: 0 }), NotifyConfigError);
});
