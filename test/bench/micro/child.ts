/**
 * One micro case in a fresh process: `node --import tsx test/bench/micro/child.ts <case> <fixtures.json> <timing-json>`.
 * Prints one JSON line: { id, opsPerSec, usPerOp, samples }.
 */
import { readFixtures } from '../lib/fixtures.js';
import { measureAsync, measureSync, sinkValue, type Timing } from '../lib/harness.js';
import { MICRO_CASES } from './cases.js';

const [id, fixturePath, timingJson] = process.argv.slice(2);
const make = MICRO_CASES[id!];
if (make === undefined) throw new Error(`unknown micro case ${id}`);
const timing = JSON.parse(timingJson!) as Timing;
const c = await make(readFixtures(fixturePath!));
if (c.kind === 'sync') c.check();
else await c.check();
const m = c.kind === 'sync' ? measureSync(c.fn, timing) : await measureAsync(c.start, c.inflight, timing);
process.stdout.write(`${JSON.stringify({ id, ...m, sink: sinkValue() })}\n`);
