import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createMemoryStore } from '../../src/store/memory-store.js';

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
  assert.deepEqual(await Promise.all(['a', 'b', 'c', 'd'].map((k) => store.peek(k))), ['absent', 'done', 'done', 'done']);
});

test('a bad maxEntries is ERR_CONFIG', () => {
  for (const maxEntries of [0, -1, 1.5, Number.NaN]) assert.throws(() => createMemoryStore({ maxEntries }), { code: 'ERR_CONFIG' });
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
