// The fuzz properties of test/fuzz/run.ts at a small count, so that CI runs them on every build
// (issue 8 item 2). The full run is `node --import tsx test/fuzz/run.ts` (a million inputs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failureCount, formatTally, emptyTally, mergeTally } from './fuzz-tally.js';
import { FuzzTarget } from './fuzz-target.js';
import { applyMutation } from './mutations.js';
import { classify, referenceDecode } from './oracle.js';
import { CHUNK_SIZE, runChunk } from './run-chunk.js';

const COUNT = 3000;
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);
const target = FuzzTarget.create(12);
const signed = target.pool.bodies[0]!;

test(`${COUNT} generated and mutated bodies: no crash, untyped error, hang or accepted mutation (seed ${SEED})`, async () => {
  const tally = emptyTally();
  for (let chunk = 0; chunk * CHUNK_SIZE < COUNT; chunk++) mergeTally(tally, await runChunk(target, SEED, chunk, CHUNK_SIZE, () => {}));
  assert.equal(tally.inputs, COUNT);
  assert.equal(failureCount(tally), 0, `FUZZ_SEED=${SEED}\n${formatTally(tally)}\n${JSON.stringify(tally.samples.slice(0, 3), null, 2)}`);
  // The run reached the signature check and verified equivalent bodies, not only parse errors.
  assert.ok((tally.verify['ok'] ?? 0) > 0 && (tally.verify['ERR_SIGNATURE_INVALID'] ?? 0) > 0, formatTally(tally));
  assert.ok((tally.core['success'] ?? 0) > 0, formatTally(tally));
});

test('the oracle: hex case, %20 and +, an escaped letter, empty segments and field order change nothing', () => {
  const base = referenceDecode(Buffer.from('a=x%2ay+z&b=1'))!;
  for (const same of ['a=x%2Ay%20z&b=1', 'b=1&a=x%2ay+z', '%61=x%2ay+z&&b=%31&', 'a=x*y z&b=1']) {
    assert.equal(classify(base, Buffer.from(same)), 'identical', same);
  }
});

test('the oracle: unsigned fields (empty values, sign_type) may differ; anything else is a change', () => {
  const base = referenceDecode(Buffer.from('a=1&sign_type=RSA2&sign=S'))!;
  assert.equal(classify(base, Buffer.from('a=1&sign=S&x=')), 'unsigned');
  assert.equal(classify(base, Buffer.from('a=1&sign_type=RSA2&sign=S&alipay_cert_sn=abc')), 'changed');
  for (const changed of ['a=2&sign_type=RSA2&sign=S', 'a=1&a=1&sign_type=RSA2&sign=S', 'a=1&sign_type=RSA2&sign=S&x=1', 'a=%1&sign=S', 'a=1&sign_type=RSA2']) {
    assert.equal(classify(base, Buffer.from(changed)), 'changed', changed);
  }
});

test('a signed body with one byte flipped is judged a change and is rejected; reordered it still verifies', async () => {
  const flipped = applyMutation(signed.body, { op: 'flip', at: signed.body.indexOf('refund_fee') + 12, xor: 1 }, target.pool.bodies);
  assert.equal(classify(signed.decoded, flipped), 'changed');
  const reordered = applyMutation(signed.body, { op: 'reorder', keys: [5, 3, 9, 1, 7, 2] }, target.pool.bodies);
  assert.notDeepEqual(reordered, signed.body);
  assert.equal(classify(signed.decoded, reordered), 'identical');
  const outcome = await target.run({ family: 'reorder', source: 'mutated', base: 0, mutations: [{ op: 'reorder', keys: [5, 3, 9, 1, 7, 2] }], as: 'bytes', handler: 0 }, 0);
  assert.equal(outcome.failure, undefined);
  assert.equal(outcome.verify, 'ok');
  assert.equal(outcome.core, 'success');
  const bad = await target.run({ family: 'flip', source: 'mutated', base: 0, mutations: [{ op: 'flip', at: signed.body.indexOf('refund_fee') + 12, xor: 1 }], as: 'bytes', handler: 0 }, 1);
  assert.equal(bad.failure, undefined);
  assert.equal(bad.verify, 'ERR_SIGNATURE_INVALID');
  assert.equal(bad.core, 'fail 400 ERR_SIGNATURE_INVALID');
});

test('a folded body (later fields moved into an earlier value) is judged a change and refused as ambiguous', async () => {
  for (const count of [1, 3, 50]) {
    const folded = applyMutation(signed.body, { op: 'fold', at: 4, count }, target.pool.bodies);
    assert.equal(classify(signed.decoded, folded), 'changed');
    const outcome = await target.run({ family: 'fold', source: 'mutated', base: 0, mutations: [{ op: 'fold', at: 4, count }], as: 'bytes', handler: 0 }, 0);
    assert.equal(outcome.failure, undefined);
    assert.equal(outcome.verify, 'ERR_SIGNATURE_AMBIGUOUS');
  }
});
