/**
 * One suite of cases in one process, interleaved (../lib/harness.ts):
 * `child.ts <micro|store> <fixtures.json> <schedule json> <ids json>`.
 * Prints one JSON line: { samples: { id: ops/s per round }, sink }.
 */
import { readFixtures } from '../lib/fixtures.js';
import { runInterleaved, sinkValue, type BenchCase, type Schedule } from '../lib/harness.js';
import { STORE_CASES } from '../store/cases.js';
import { BREAKDOWN_CASES, MICRO_CASES } from './cases.js';

const [suite, fixturePath, scheduleJson, idsJson] = process.argv.slice(2);
const specs = suite === 'store' ? STORE_CASES : { ...MICRO_CASES, ...BREAKDOWN_CASES };
const schedule = JSON.parse(scheduleJson!) as Schedule;
const ids = JSON.parse(idsJson!) as string[];
const f = readFixtures(fixturePath!);
const cases: Record<string, BenchCase> = {};
for (const id of ids) {
  const spec = specs[id];
  if (spec === undefined) throw new Error(`unknown ${suite} case ${id}`);
  cases[id] = await spec.make(f);
}
const samples = await runInterleaved(cases, schedule, (r) =>
  process.stderr.write(r === schedule.rounds ? `${r}\n` : `${r} `),
);
process.stdout.write(`${JSON.stringify({ samples, sink: sinkValue() })}\n`);
process.exit(0);
