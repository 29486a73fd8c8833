// One error family across the dual package: an error thrown by the CommonJS build is recognised by
// the ESM build's classes and guard, and the other way round.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';

// The built package (`npm test` builds first): both builds, loaded side by side as a dual package is.
type Api = typeof import('../../src/index.js');
const esmPath = '../../dist/esm/index.js';
const esm = (await import(esmPath)) as Api;
const cjs = createRequire(import.meta.url)('../../dist/cjs/index.js') as Api;
type Blocks = typeof import('../../src/building-blocks.js');
const blocksPath = '../../dist/esm/building-blocks.js';
const esmBlocks = (await import(blocksPath)) as Blocks;
const cjsBlocks = createRequire(import.meta.url)('../../dist/cjs/building-blocks.js') as Blocks;

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  assert.fail('nothing was thrown');
}

test("errors from either build are instances of the other build's classes, and the guard knows them", () => {
  const fromCjs = thrown(() => cjsBlocks.parseNotifyBody('a=1&a=2'));
  const fromEsm = thrown(() => esmBlocks.parseNotifyBody('a=1&a=2'));
  assert.notEqual(cjs.NotifyBodyError, esm.NotifyBodyError);
  for (const [err, other] of [
    [fromCjs, esm],
    [fromEsm, cjs],
  ] as const) {
    assert.ok(err instanceof other.AlipayNotifyError);
    assert.ok(err instanceof other.NotifyBodyError);
    assert.ok(!(err instanceof other.NotifySignatureError));
    assert.ok(!(err instanceof other.NotifyConfigError));
    assert.ok(other.isAlipayNotifyError(err));
  }
});

test('the guard and instanceof refuse look-alikes', () => {
  for (const other of [esm, cjs]) {
    const fake = Object.assign(new Error('x'), { code: 'ERR_BODY_MALFORMED', name: 'NotifyBodyError' });
    assert.equal(other.isAlipayNotifyError(fake), false);
    assert.equal(fake instanceof other.AlipayNotifyError, false);
    for (const v of [null, undefined, 'ERR_BODY_MALFORMED', 42, {}]) assert.equal(other.isAlipayNotifyError(v), false);
  }
});

test("the README's table of error codes lists exactly the codes the library can raise", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const rows = readme.split('\n').filter((line) => line.startsWith('| `ERR_'));
  const documented = rows.flatMap((row) => [...row.split(' | ')[0]!.matchAll(/`(ERR_[A-Z_]+)`/g)].map((m) => m[1]!));
  assert.equal(new Set(documented).size, documented.length, 'a code is documented twice');
  assert.deepEqual([...documented].sort(), [...esm.ALIPAY_NOTIFY_ERROR_CODES].sort());
});

test('every error class narrows its code to codes of the list', () => {
  const all = new Set<string>(esm.ALIPAY_NOTIFY_ERROR_CODES);
  const made = [
    new esm.NotifyConfigError('x', 'y'),
    new esm.NotifyFieldError('x'),
    new esm.NotifyIdCheckError('timeout'),
    new esm.RefundStatusUnknownError(3),
    new esm.NotifyAdapterError('ERR_STORE_FAILED', 'z'),
  ];
  for (const err of made) {
    assert.ok(all.has(err.code), err.code);
    assert.ok(esm.isAlipayNotifyError(err));
  }
});

test("the Redis store's timeout error belongs to the family, with its own code", async () => {
  const redisPath = '../../dist/esm/store/redis-store.js';
  const { RedisStoreTimeoutError } = (await import(redisPath)) as typeof import('../../src/store/redis-store.js');
  const err = new RedisStoreTimeoutError(2000);
  assert.ok(err instanceof esm.AlipayNotifyError);
  assert.equal(err.code, 'ERR_STORE_TIMEOUT');
  assert.equal(err.timeoutMs, 2000);
  assert.equal(err.name, 'RedisStoreTimeoutError');
});

test('errors about the notification carry no stack frames; errors about configuration keep theirs', () => {
  const refused = thrown(() => esmBlocks.parseNotifyBody('a=1&a=2'));
  assert.ok(refused instanceof esm.NotifyBodyError);
  assert.ok(!/\n\s+at /.test(refused.stack ?? ''), 'a refused body has no stack frames');
  assert.match(refused.stack ?? '', /^NotifyBodyError: /);
  const config = new esm.NotifyConfigError('appId', 'required');
  assert.match(config.stack ?? '', /\n\s+at /);
  const limit = Error.stackTraceLimit;
  assert.equal(new Error('x').stack?.includes('\n    at '), limit > 0, 'the global limit is restored');
});
