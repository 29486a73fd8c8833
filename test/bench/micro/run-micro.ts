/** Runs every micro case in its own pinned child, `passes` times, and keeps the median of passes. */
import { join } from 'node:path';
import type { BenchArgs } from '../lib/args.js';
import { median, type Timing } from '../lib/harness.js';
import { jsonLines, spawnTs } from '../lib/spawn.js';

export interface MicroResult {
  opsPerSec: number;
  usPerOp: number;
  /** Median ops/s of each pass. */
  passes: number[];
}

export const MICRO_ORDER = ['floor', 'core-utf8', 'core-gbk', 'hand-utf8', 'hand-gbk', 'official', 'hand-utf8-async'] as const;

/** Where the core's time goes: its stages alone, and the hand parser for comparison. */
export const BREAKDOWN = ['core-parse', 'core-content', 'core-map', 'hand-parse'] as const;

export async function runMicro(here: string, fixturePath: string, args: BenchArgs): Promise<Record<string, MicroResult>> {
  const timing: Timing = args.quick ? { warmupMs: 300, runMs: 300, runs: 5 } : { warmupMs: 1000, runMs: 1000, runs: 7 };
  const all: readonly string[] = args.breakdown ? [...MICRO_ORDER, ...BREAKDOWN] : MICRO_ORDER;
  const ids = all.filter((id) => args.only === undefined || args.only.includes(id));
  const out: Record<string, MicroResult> = {};
  const passes: Record<string, number[]> = {};
  for (let p = 0; p < args.passes; p++) {
    for (const id of ids) {
      process.stderr.write(`micro ${id}${args.passes > 1 ? ` (pass ${p + 1})` : ''}… `);
      let result: { opsPerSec: number } | undefined;
      // CPU 1: the other CPU keeps the OS and this parent (PERF.md "Isolation").
      const child = spawnTs(join(here, 'micro', 'child.ts'), [id, fixturePath, JSON.stringify(timing)], { cpu: 1, pin: args.pin });
      const code = await jsonLines(child, (o) => (result = o as { opsPerSec: number }));
      if (code !== 0 || result === undefined) throw new Error(`micro case ${id} failed (exit ${code})`);
      (passes[id] ??= []).push(result.opsPerSec);
      process.stderr.write(`${Math.round(result.opsPerSec)} ops/s\n`);
    }
  }
  for (const id of ids) {
    const ops = median(passes[id]!);
    out[id] = { opsPerSec: ops, usPerOp: 1e6 / ops, passes: passes[id]! };
  }
  return out;
}
