import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
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
