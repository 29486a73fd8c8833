// One error family across the dual package: an error thrown by the CommonJS build is recognised by
// the ESM build's classes and guard, and the other way round.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';

// The built package (`npm test` builds first): both builds, loaded side by side as a dual package is.
type Api = typeof import('../../src/index.js');
const esmPath = '../../dist/esm/index.js';
const esm = (await import(esmPath)) as Api;
const cjs = createRequire(import.meta.url)('../../dist/cjs/index.js') as Api;

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  assert.fail('nothing was thrown');
}

test('errors from either build are instances of the other build\'s classes, and the guard knows them', () => {
  const fromCjs = thrown(() => cjs.parseNotifyBody('a=1&a=2'));
  const fromEsm = thrown(() => esm.parseNotifyBody('a=1&a=2'));
  assert.notEqual(cjs.NotifyBodyError, esm.NotifyBodyError);
  for (const [err, other] of [[fromCjs, esm], [fromEsm, cjs]] as const) {
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
