import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { DuplicateStore } from '../../src/store/duplicate-store.js';
import { createClockedMemoryStore, createMemoryStore } from '../../src/store/memory-store.js';

const HOUR = 3600_000;

test('claim → complete: later claims see done', async () => {
  const store = createMemoryStore();
  const claim = await store.claim('n1', 60_000);
  assert.equal(claim.status, 'claimed');
  assert.equal(await store.peek('n1'), 'in_progress');
  assert.deepEqual(await store.claim('n1', 60_000), { status: 'in_progress' });
  assert.equal(await store.complete('n1', claim.status === 'claimed' ? claim.token : '', 26 * HOUR), true);
  assert.equal(await store.peek('n1'), 'done');
  assert.deepEqual(await store.claim('n1', 60_000), { status: 'done' });
});

test('release leaves no mark, so the retry claims it again; a stale token releases nothing', async () => {
  const store = createMemoryStore();
  const first = await store.claim('n1', 60_000);
  assert.equal(first.status, 'claimed');
  await store.release('n1', 'not-the-token');
  assert.equal(await store.peek('n1'), 'in_progress');
  await store.release('n1', first.status === 'claimed' ? first.token : '');
  assert.equal(await store.peek('n1'), 'absent');
  assert.equal((await store.claim('n1', 60_000)).status, 'claimed');
});

test('an expired lease can be claimed again; completing with the old token reports the overlap but marks done', async () => {
  const store = createMemoryStore();
  const first = await store.claim('n1', 20);
  await sleep(40);
  assert.equal(await store.peek('n1'), 'absent');
  const second = await store.claim('n1', 60_000);
  assert.equal(second.status, 'claimed');
  assert.equal(await store.complete('n1', first.status === 'claimed' ? first.token : '', 26 * HOUR), false);
  assert.equal(await store.peek('n1'), 'done');
});

test('done entries expire after their TTL', async () => {
  const store = createMemoryStore();
  const c = await store.claim('n1', 60_000);
  await store.complete('n1', c.status === 'claimed' ? c.token : '', 20);
  assert.equal(await store.peek('n1'), 'done');
  await sleep(40);
  assert.equal(await store.peek('n1'), 'absent');
});

test('bounded: past maxEntries the least recently written are forgotten first', async () => {
  const store = createMemoryStore({ maxEntries: 3 });
  for (const key of ['a', 'b', 'c', 'd']) {
    const c = await store.claim(key, 60_000);
    await store.complete(key, c.status === 'claimed' ? c.token : '', 26 * HOUR);
  }
  assert.deepEqual(await Promise.all(['a', 'b', 'c', 'd'].map((k) => store.peek(k))), [
    'absent',
    'done',
    'done',
    'done',
  ]);
});

/** Claims and completes `key` (a fresh notification handled). */
async function handled(store: DuplicateStore, key: string, ttlMs = 26 * HOUR): Promise<void> {
  const c = await store.claim(key, 60_000);
  assert.equal(c.status, 'claimed', key);
  assert.equal(await store.complete(key, c.status === 'claimed' ? c.token : '', ttlMs), true);
}

const states = (store: DuplicateStore, keys: string[]) => Promise.all(keys.map((k) => store.peek(k)));

test('eviction follows the last write: completing an old claim makes it the newest', async () => {
  const store = createMemoryStore({ maxEntries: 3 });
  const a = await store.claim('a', 60_000); // claimed first, completed last
  await handled(store, 'b');
  await handled(store, 'c');
  await store.complete('a', a.status === 'claimed' ? a.token : '', 26 * HOUR);
  await handled(store, 'd'); // over the bound: b is now the least recently written
  assert.deepEqual(await states(store, ['a', 'b', 'c', 'd']), ['done', 'absent', 'done', 'done']);
  await handled(store, 'e');
  assert.deepEqual(await states(store, ['a', 'c', 'd', 'e']), ['done', 'absent', 'done', 'done']);
});

test('a released claim leaves the order intact: the next evictions skip nothing and drop nothing else', async () => {
  const store = createMemoryStore({ maxEntries: 3 });
  await handled(store, 'a');
  const b = await store.claim('b', 60_000);
  await handled(store, 'c');
  await store.release('b', b.status === 'claimed' ? b.token : ''); // from the middle
  await handled(store, 'd'); // 3 entries: a, c, d; nothing evicted
  assert.deepEqual(await states(store, ['a', 'b', 'c', 'd']), ['done', 'absent', 'done', 'done']);
  await handled(store, 'e'); // evicts a, the oldest
  await handled(store, 'f'); // then c
  assert.deepEqual(await states(store, ['a', 'c', 'd', 'e', 'f']), ['absent', 'absent', 'done', 'done', 'done']);
  const e = await store.claim('g', 60_000);
  await store.release('g', e.status === 'claimed' ? e.token : ''); // the newest
  await handled(store, 'h'); // evicts d
  assert.deepEqual(await states(store, ['d', 'e', 'f', 'g', 'h']), ['absent', 'done', 'done', 'absent', 'done']);
});

test('past maxEntries, exactly the most recent maxEntries notifications are remembered', async () => {
  const store = createMemoryStore({ maxEntries: 50 });
  const keys = Array.from({ length: 500 }, (_, i) => `n${i}`);
  for (const k of keys) await handled(store, k);
  const seen = await states(store, keys);
  assert.deepEqual(
    seen,
    keys.map((_, i) => (i >= 450 ? 'done' : 'absent')),
  );
});

test('entries expire on the clock, each after its own TTL', async () => {
  let now = 1_000_000;
  const store = createClockedMemoryStore({ maxEntries: 1000 }, () => now);
  for (let i = 0; i < 10; i++) {
    await handled(store, `old${i}`, 1000);
    now += 10;
  }
  now += 1000 - 55; // old0..old4 have expired, old5..old9 have not
  await handled(store, 'new', 1000);
  assert.deepEqual(await states(store, ['old0', 'old4', 'old5', 'old9', 'new']), [
    'absent',
    'absent',
    'done',
    'done',
    'done',
  ]);
  now += 60; // now old5..old9 too
  assert.deepEqual(await states(store, ['old5', 'old9', 'new']), ['absent', 'absent', 'done']);
  // An expired mark does not block its notification: it is claimed afresh.
  assert.equal((await store.claim('old0', 60_000)).status, 'claimed');
});

test('a lease that ran out on the clock is claimed again, and the late complete still marks done', async () => {
  let now = 0;
  const store = createClockedMemoryStore({}, () => now);
  const first = await store.claim('n1', 100);
  now += 100;
  assert.equal(await store.peek('n1'), 'absent');
  const second = await store.claim('n1', 100);
  assert.equal(second.status, 'claimed');
  assert.equal(await store.complete('n1', first.status === 'claimed' ? first.token : '', 26 * HOUR), false);
  assert.equal(await store.peek('n1'), 'done');
});

test('a bad maxEntries is ERR_CONFIG', () => {
  for (const maxEntries of [0, -1, 1.5, Number.NaN])
    assert.throws(() => createMemoryStore({ maxEntries }), { code: 'ERR_CONFIG' });
});

test('a remembered key does not keep the string it was sliced from alive', async () => {
  // A notify_id read from a body is a slice of the body's string: V8 keeps the whole parent alive
  // as long as the slice lives. 200 keys, each sliced from its own 100 KB "body": kept as slices
  // they would hold 20 MB (40 MB as UTF-16); copied, a few KB.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const store = createMemoryStore();
  const heap = (): number => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const before = heap();
  for (let i = 0; i < 200; i++) {
    const body = `notify_id=${String(i).padStart(34, '0')}&padding=${'é'.repeat(100_000)}`;
    const key = body.slice('notify_id='.length, 'notify_id='.length + 34);
    const c = await store.claim(key, 60_000);
    await store.complete(key, c.status === 'claimed' ? c.token : '', 26 * HOUR);
  }
  const grown = heap() - before;
  assert.ok(grown < 5_000_000, `the store holds ${grown} bytes for 200 short keys`);
  assert.equal(await store.peek(String(7).padStart(34, '0')), 'done');
});
