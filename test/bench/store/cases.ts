/**
 * What the adapters do around the handler, per fresh notification, all in one process: the memory
 * store's claim + complete below `maxEntries`, past it (each write evicts the oldest), and once
 * entries expire (a moved clock: entries outlive their TTL and are dropped as new ones come);
 * `runOnce` with a noop handler; `runHandler` alone (the timeout and abort signal).
 */
import type { RunOnceOptions } from '../../../src/adapters/run-once.js';
import { runOnce } from '../../../src/adapters/run-once.js';
import { runHandler } from '../../../src/adapters/run-handler.js';
import { SUCCESS_REPLY } from '../../../src/adapters/reply-to-alipay.js';
import type { DuplicateStore } from '../../../src/store/duplicate-store.js';
import { createClockedMemoryStore, createMemoryStore } from '../../../src/store/memory-store.js';
import type { AsyncCase } from '../lib/harness.js';
import type { CaseSpec } from '../micro/cases.js';
import { expect } from '../micro/cases.js';

/** The adapters' defaults: 100 000 entries, done marks for 26 h 5 min, a 70 s lease. */
export const MAX_ENTRIES = 100_000;
const DONE_TTL_MS = 26 * 3600_000 + 300_000;
const LEASE_MS = 70_000;
/** With the moved clock, one tick per notification: about this many entries are live at once. */
const EXPIRY_TTL_TICKS = 60_000;

/**
 * Keys shaped like notify_ids, each a slice of a longer string as the verifier's are (so that the
 * store's copy of the key is part of what is measured). `tag` keeps every case's keys apart.
 */
function keys(tag: string): () => string {
  let i = 0;
  return () => {
    const body = `notify_id=2026120400222${tag}${String(i++).padStart(19 - tag.length, '0')}&notify_type=trade_status_sync`;
    return body.slice(10, 44);
  };
}

async function fresh(store: DuplicateStore, key: string, ttlMs: number): Promise<boolean> {
  const c = await store.claim(key, LEASE_MS);
  if (c.status !== 'claimed') throw new Error(`bench: ${key} was not fresh (${c.status})`);
  return store.complete(key, c.token, ttlMs);
}

function storeCase(store: DuplicateStore, next: () => string, ttlMs: number, tick: () => void = () => {}): AsyncCase {
  return {
    kind: 'async',
    inflight: 1,
    start: (done) => {
      tick();
      void fresh(store, next(), ttlMs).then(done);
    },
    check: async () => {
      const key = next();
      expect(await fresh(store, key, ttlMs), 'a fresh notification is claimed and completed');
      expect((await store.claim(key, LEASE_MS)).status === 'done', 'then it is done');
    },
  };
}

async function fill(
  store: DuplicateStore,
  next: () => string,
  n: number,
  ttlMs: number,
  tick: () => void = () => {},
): Promise<void> {
  for (let i = 0; i < n; i++) {
    tick();
    await fresh(store, next(), ttlMs);
  }
}

const runOptions = (store: DuplicateStore | undefined): RunOnceOptions => ({
  store,
  handlerTimeoutMs: 10_000,
  doneTtlMs: DONE_TTL_MS,
  fail: () => {
    throw new Error('bench: the handler failed');
  },
  report: (e) => {
    throw e;
  },
});

export const STORE_CASES: Record<string, CaseSpec> = {
  'store-below': {
    label: `memory store, fresh notification, below maxEntries (starts at ${MAX_ENTRIES / 2} entries)`,
    async make() {
      const store = createMemoryStore({ maxEntries: 1e9 });
      const next = keys('1');
      await fill(store, next, MAX_ENTRIES / 2, DONE_TTL_MS);
      return storeCase(store, next, DONE_TTL_MS);
    },
  },
  'store-past-max': {
    label: `memory store, fresh notification, past maxEntries (${MAX_ENTRIES}: each evicts one)`,
    async make() {
      const store = createMemoryStore({ maxEntries: MAX_ENTRIES });
      const next = keys('2');
      await fill(store, next, MAX_ENTRIES + 1000, DONE_TTL_MS);
      return storeCase(store, next, DONE_TTL_MS);
    },
  },
  'store-expiry': {
    label: `memory store, fresh notification, entries expiring (~${EXPIRY_TTL_TICKS} live)`,
    async make() {
      let t = 0;
      const tick = () => void t++;
      const store = createClockedMemoryStore({ maxEntries: MAX_ENTRIES }, () => t);
      const next = keys('3');
      await fill(store, next, EXPIRY_TTL_TICKS + 1000, EXPIRY_TTL_TICKS, tick);
      return storeCase(store, next, EXPIRY_TTL_TICKS, tick);
    },
  },
  'run-once': {
    label: 'runOnce: memory store past maxEntries + noop async handler',
    async make() {
      const store = createMemoryStore({ maxEntries: MAX_ENTRIES });
      const next = keys('4');
      await fill(store, next, MAX_ENTRIES + 1000, DONE_TTL_MS);
      const o = runOptions(store);
      let ran = 0;
      const handler = async () => void ran++;
      return {
        kind: 'async',
        inflight: 1,
        start: (done) => void runOnce(next(), handler, o).then(done),
        check: async () => {
          const before = ran;
          const key = next();
          expect((await runOnce(key, handler, o)) === SUCCESS_REPLY && ran === before + 1, 'runOnce runs a fresh one');
          expect((await runOnce(key, handler, o)) === SUCCESS_REPLY && ran === before + 1, 'and not its retry');
        },
      };
    },
  },
  'run-handler': {
    label: 'runHandler alone: noop async handler with its timeout',
    make() {
      let ran = 0;
      const handler = async () => void ran++;
      return {
        kind: 'async',
        inflight: 1,
        start: (done) => void runHandler(handler, 10_000, 'n').then(done),
        check: async () => expect((await runHandler(handler, 10_000, 'n')).ok && ran === 1, 'runHandler runs it'),
      };
    },
  },
  'run-handler-signal': {
    label: 'runHandler alone: the handler reads its abort signal',
    make() {
      let seen = 0;
      const handler = async (signal: unknown) => {
        // Before the lazy signal the task got an AbortSignal; now it gets a function returning one.
        const s = (typeof signal === 'function' ? signal() : signal) as AbortSignal;
        if (!s.aborted) seen++;
      };
      return {
        kind: 'async',
        inflight: 1,
        start: (done) => void runHandler(handler as never, 10_000, 'n').then(done),
        check: async () =>
          expect((await runHandler(handler, 10_000, 'n')).ok && seen === 1, 'the handler got a live signal'),
      };
    },
  },
};
