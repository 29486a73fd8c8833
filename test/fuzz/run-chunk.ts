import fc from 'fast-check';
import { fuzzInput, type FuzzInput } from './fuzz-inputs.js';
import { addOutcome, emptyTally, type TallyData } from './fuzz-tally.js';
import type { FuzzTarget } from './fuzz-target.js';

/** Inputs per chunk: the unit of work handed to a worker and of reproduction (`--replay`). */
export const CHUNK_SIZE = 500;

/**
 * The seed of one chunk: chunks are independent, so a run splits across workers in any order and
 * any chunk can be regenerated alone.
 *
 * @example
 * ```ts
 * fc.sample(fuzzInput, { seed: chunkSeed(42, 7), numRuns: CHUNK_SIZE });
 * ```
 */
export function chunkSeed(seed: number, chunk: number): number {
  return (Math.imul(chunk + 1, 0x9e3779b1) ^ seed) | 0;
}

/**
 * The inputs of one chunk, deterministic from the run's seed.
 *
 * @example
 * ```ts
 * const inputs = chunkInputs(42, 0, 500);
 * ```
 */
export function chunkInputs(seed: number, chunk: number, size: number): FuzzInput[] {
  return fc.sample(fuzzInput, { seed: chunkSeed(seed, chunk), numRuns: size });
}

/**
 * Runs one chunk against the target, calling `beat(offset)` before each input so that a
 * watchdog can tell a hang from slow progress.
 *
 * @example
 * ```ts
 * const tally = await runChunk(target, 42, 0, 500, () => {});
 * ```
 */
export async function runChunk(
  target: FuzzTarget,
  seed: number,
  chunk: number,
  size: number,
  beat: (offset: number) => void,
): Promise<TallyData> {
  const tally = emptyTally();
  const inputs = chunkInputs(seed, chunk, size);
  for (let i = 0; i < inputs.length; i++) {
    beat(i);
    addOutcome(tally, await target.run(inputs[i]!, chunk * CHUNK_SIZE + i));
  }
  return tally;
}
