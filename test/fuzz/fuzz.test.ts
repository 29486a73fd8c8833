// The fuzz properties of test/fuzz/run.ts at a small count, so that CI runs them on every build.
// The full run is `npm run fuzz` (a million inputs).
//
// Two runs of the same size: one on a pinned seed, the same inputs every time, so that a failure
// there is reproducible by anyone and the run is known to reach the signature check; and one on a
// new seed each time, to find what the pinned inputs miss. The random seed is in the test's name;
// `FUZZ_SEED=<seed> node test/run.mjs test/fuzz` replays that run exactly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failureCount, formatTally, emptyTally, mergeTally, type TallyData } from './fuzz-tally.js';
import { FuzzTarget } from './fuzz-target.js';
import { applyMutation } from './mutations.js';
import { classify, referenceDecode } from './oracle.js';
import { CHUNK_SIZE, runChunk } from './run-chunk.js';

/** Inputs per run, a whole number of chunks: the two runs together are 3000, as one run was before. */
const COUNT = 3 * CHUNK_SIZE;
const PINNED_SEED = 20260601;
const RANDOM_SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);
if (!Number.isSafeInteger(RANDOM_SEED))
  throw new Error(`FUZZ_SEED must be an integer, got ${process.env['FUZZ_SEED']}`);
const target = FuzzTarget.create(12);
const signed = target.pool.bodies[0]!;

async function fuzz(seed: number): Promise<TallyData> {
  const tally = emptyTally();
  for (let chunk = 0; chunk * CHUNK_SIZE < COUNT; chunk++)
    mergeTally(tally, await runChunk(target, seed, chunk, CHUNK_SIZE, () => {}));
  assert.equal(tally.inputs, COUNT);
  assert.equal(
    failureCount(tally),
    0,
    `FUZZ_SEED=${seed}\n${formatTally(tally)}\n${JSON.stringify(tally.samples.slice(0, 3), null, 2)}`,
  );
  return tally;
}

test(`${COUNT} generated and mutated bodies, pinned seed ${PINNED_SEED}: no crash, untyped error, hang or accepted mutation`, async () => {
  const tally = await fuzz(PINNED_SEED);
  // The run reached the signature check and verified equivalent bodies, not only parse errors.
  assert.ok((tally.verify['ok'] ?? 0) > 0 && (tally.verify['ERR_SIGNATURE_INVALID'] ?? 0) > 0, formatTally(tally));
  assert.ok((tally.core['success'] ?? 0) > 0, formatTally(tally));
});

test(`${COUNT} more, random seed ${RANDOM_SEED} (replay: FUZZ_SEED=${RANDOM_SEED} node test/run.mjs test/fuzz): the same properties`, async () => {
  await fuzz(RANDOM_SEED);
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
  for (const changed of [
    'a=2&sign_type=RSA2&sign=S',
    'a=1&a=1&sign_type=RSA2&sign=S',
    'a=1&sign_type=RSA2&sign=S&x=1',
    'a=%1&sign=S',
    'a=1&sign_type=RSA2',
  ]) {
    assert.equal(classify(base, Buffer.from(changed)), 'changed', changed);
  }
});

test('a signed body with one byte flipped is judged a change and is rejected; reordered it still verifies', async () => {
  const flipped = applyMutation(
    signed.body,
    { op: 'flip', at: signed.body.indexOf('refund_fee') + 12, xor: 1 },
    target.pool.bodies,
  );
  assert.equal(classify(signed.decoded, flipped), 'changed');
  const reordered = applyMutation(signed.body, { op: 'reorder', keys: [5, 3, 9, 1, 7, 2] }, target.pool.bodies);
  assert.notDeepEqual(reordered, signed.body);
  assert.equal(classify(signed.decoded, reordered), 'identical');
  const outcome = await target.run(
    {
      family: 'reorder',
      source: 'mutated',
      base: 0,
      mutations: [{ op: 'reorder', keys: [5, 3, 9, 1, 7, 2] }],
      as: 'bytes',
      handler: 0,
    },
    0,
  );
  assert.equal(outcome.failure, undefined);
  assert.equal(outcome.verify, 'ok');
  assert.equal(outcome.core, 'success');
  const bad = await target.run(
    {
      family: 'flip',
      source: 'mutated',
      base: 0,
      mutations: [{ op: 'flip', at: signed.body.indexOf('refund_fee') + 12, xor: 1 }],
      as: 'bytes',
      handler: 0,
    },
    1,
  );
  assert.equal(bad.failure, undefined);
  assert.equal(bad.verify, 'ERR_SIGNATURE_INVALID');
  assert.equal(bad.core, 'fail 400 ERR_SIGNATURE_INVALID');
});

test('a folded body (later fields moved into an earlier value) is judged a change and refused as ambiguous', async () => {
  for (const count of [1, 3, 50]) {
    const folded = applyMutation(signed.body, { op: 'fold', at: 4, count }, target.pool.bodies);
    assert.equal(classify(signed.decoded, folded), 'changed');
    const outcome = await target.run(
      {
        family: 'fold',
        source: 'mutated',
        base: 0,
        mutations: [{ op: 'fold', at: 4, count }],
        as: 'bytes',
        handler: 0,
      },
      0,
    );
    assert.equal(outcome.failure, undefined);
    assert.equal(outcome.verify, 'ERR_SIGNATURE_AMBIGUOUS');
  }
});
