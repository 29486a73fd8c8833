/** Runs one suite of in-process cases (verification, or the store and runOnce) in one pinned child. */
import { join } from 'node:path';
import type { BenchArgs } from '../lib/args.js';
import type { RoundSamples, Schedule } from '../lib/harness.js';
import { jsonLines, spawnTs } from '../lib/spawn.js';
import { spread, type Spread } from '../lib/stats.js';
import { STORE_CASES } from '../store/cases.js';
import { BREAKDOWN_CASES, MICRO_CASES, type CaseSpec } from './cases.js';

export interface CaseResult {
  label: string;
  /** ops/s of each measured round, in round order (ratios are taken round by round). */
  rounds: number[];
  opsPerSec: Spread;
  usPerOp: number;
}

export type SuiteResult = Record<string, CaseResult>;

export async function runSuite(
  here: string,
  suite: 'micro' | 'store',
  fixturePath: string,
  args: BenchArgs,
): Promise<SuiteResult> {
  const specs: Record<string, CaseSpec> =
    suite === 'store' ? STORE_CASES : args.breakdown ? { ...MICRO_CASES, ...BREAKDOWN_CASES } : MICRO_CASES;
  const ids = Object.keys(specs).filter((id) => args.only === undefined || args.only.includes(id));
  if (ids.length === 0) return {};
  const schedule: Schedule = { warmupRounds: args.quick ? 1 : 2, rounds: args.rounds, sliceMs: args.sliceMs };
  process.stderr.write(
    `${suite}: ${ids.length} cases interleaved, ${schedule.rounds} rounds of ${schedule.sliceMs} ms slices; round `,
  );
  // CPU 1: the other CPU keeps the OS and this parent.
  const child = spawnTs(
    join(here, 'micro', 'child.ts'),
    [suite, fixturePath, JSON.stringify(schedule), JSON.stringify(ids)],
    { cpu: 1, pin: args.pin },
  );
  let result: { samples: RoundSamples } | undefined;
  const code = await jsonLines(child, (o) => (result = o as { samples: RoundSamples }));
  if (code !== 0 || result === undefined) throw new Error(`${suite} cases failed (exit ${code})`);
  const out: SuiteResult = {};
  for (const id of ids) {
    const rounds = result.samples[id]!;
    const s = spread(rounds);
    out[id] = { label: specs[id]!.label, rounds, opsPerSec: s, usPerOp: 1e6 / s.median };
  }
  return out;
}
