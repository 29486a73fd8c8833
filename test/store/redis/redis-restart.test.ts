// The Redis store when Redis goes away and comes back, on a redis-server of the test's
// own: the store rejects (so that adapters answer `fail`), never pretends a claim, and works again
// once Redis is back. Also checks that the store never sends KEYS or SCAN.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRedisStore } from '../../../src/store/redis-store.js';
import { CLIENT_KINDS, SKIP_NO_SERVER, connect, ownRedis, uniquePrefix, until } from './redis-env.js';

for (const kind of CLIENT_KINDS) {
  test(`${kind}: Redis killed → the store rejects; Redis back → it works again`, { skip: SKIP_NO_SERVER }, async () => {
    const redis = await ownRedis();
    await redis.start();
    const c = await connect(kind, redis.url);
    try {
      const store = createRedisStore({ client: c.client, prefix: uniquePrefix(), commandTimeoutMs: 500 });
      const held = await store.claim('n1', 30_000);
      assert.ok(held.status === 'claimed');

      await redis.kill();
      await assert.rejects(store.claim('n2', 30_000), 'a claim while Redis is down rejects');
      await assert.rejects(store.complete('n1', held.token, 60_000));
      await assert.rejects(store.peek('n1'));

      // Without persistence the restarted Redis has forgotten n1: documented in the README
      // ("Running several instances": enable AOF or RDB if restarts must not forget done marks).
      await redis.start();
      await until(async () => {
        try {
          return (await store.peek('n3')) === 'absent';
        } catch {
          return false;
        }
      }, 'the client to reconnect');
      // The claim given up on while Redis was down was not replayed on reconnect.
      assert.equal(await store.peek('n2'), 'absent');
      const fresh = await store.claim('n3', 30_000);
      assert.ok(fresh.status === 'claimed');
      assert.equal((await store.claim('n3', 30_000)).status, 'in_progress');
      assert.equal(await store.complete('n3', fresh.token, 60_000), true);

      const stats = String(await c.command('INFO', 'commandstats'));
      assert.match(stats, /cmdstat_eval:/);
      assert.doesNotMatch(stats, /cmdstat_(keys|scan):/);
    } finally {
      await c.close();
      await redis.dispose();
    }
  });
}
