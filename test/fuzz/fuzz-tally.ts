import type { Failure, FailureKind, Outcome } from './fuzz-target.js';

/** Counts a run, in a form that crosses `postMessage` and merges across workers. */
export interface TallyData {
  inputs: number;
  /** verifyNotify: `ok` or error code → count. */
  verify: Record<string, number>;
  /** Adapter core: `success` / `fail <status> <code>` → count. */
  core: Record<string, number>;
  /** `<family> <equivalence>` → `ok` or code → count. */
  byFamily: Record<string, Record<string, number>>;
  failures: Partial<Record<FailureKind, number>>;
  /** The first failures, with their inputs (hex), for the report. */
  samples: Failure[];
  /** Inputs per time bucket of library time: `<0.1ms`, `<1ms`, `<10ms`, `<100ms`, `<1s`, `>=1s`. */
  time: Record<string, number>;
  maxMs: number;
}

const SAMPLE_CAP = 50;
const BUCKETS: readonly [number, string][] = [
  [0.1, '<0.1ms'],
  [1, '<1ms'],
  [10, '<10ms'],
  [100, '<100ms'],
  [1000, '<1s'],
];

/**
 * An empty tally.
 *
 * @example
 * ```ts
 * const t = emptyTally(); addOutcome(t, outcome);
 * ```
 */
export function emptyTally(): TallyData {
  return { inputs: 0, verify: {}, core: {}, byFamily: {}, failures: {}, samples: [], time: {}, maxMs: 0 };
}

function bump(r: Record<string, number>, key: string, by = 1): void {
  r[key] = (r[key] ?? 0) + by;
}

/**
 * Counts one outcome.
 *
 * @example
 * ```ts
 * addOutcome(tally, await target.run(input, i));
 * ```
 */
export function addOutcome(t: TallyData, o: Outcome): void {
  t.inputs++;
  bump(t.verify, o.verify);
  bump(t.core, o.core);
  bump((t.byFamily[`${o.family} ${o.equivalence}`] ??= {}), o.verify);
  bump(t.time, BUCKETS.find(([limit]) => o.ms < limit)?.[1] ?? '>=1s');
  if (o.ms > t.maxMs) t.maxMs = o.ms;
  if (o.failure !== undefined) addFailure(t, o.failure);
}

/**
 * Counts a failure found outside an outcome (a hung or crashed worker).
 *
 * @example
 * ```ts
 * addFailure(tally, { kind: 'hang', family: '?', detail: 'worker stalled', inputHex: '' });
 * ```
 */
export function addFailure(t: TallyData, f: Failure): void {
  t.failures[f.kind] = (t.failures[f.kind] ?? 0) + 1;
  if (t.samples.length < SAMPLE_CAP) t.samples.push(f);
}

/**
 * Adds `b` into `a`.
 *
 * @example
 * ```ts
 * mergeTally(total, fromWorker);
 * ```
 */
export function mergeTally(a: TallyData, b: TallyData): void {
  a.inputs += b.inputs;
  for (const [k, v] of Object.entries(b.verify)) bump(a.verify, k, v);
  for (const [k, v] of Object.entries(b.core)) bump(a.core, k, v);
  for (const [f, r] of Object.entries(b.byFamily))
    for (const [k, v] of Object.entries(r)) bump((a.byFamily[f] ??= {}), k, v);
  for (const [k, v] of Object.entries(b.failures))
    a.failures[k as FailureKind] = (a.failures[k as FailureKind] ?? 0) + v;
  for (const s of b.samples) if (a.samples.length < SAMPLE_CAP) a.samples.push(s);
  for (const [k, v] of Object.entries(b.time)) bump(a.time, k, v);
  a.maxMs = Math.max(a.maxMs, b.maxMs);
}

/**
 * The number of failures of every kind.
 *
 * @example
 * ```ts
 * if (failureCount(tally) > 0) process.exitCode = 1;
 * ```
 */
export function failureCount(t: TallyData): number {
  return Object.values(t.failures).reduce((s, v) => s + (v ?? 0), 0);
}

function table(title: string, r: Record<string, number>, total: number): string {
  const rows = Object.entries(r).sort((x, y) => y[1] - x[1]);
  const w = Math.max(title.length, ...rows.map(([k]) => k.length));
  const lines = [`${title.padEnd(w)}  ${'count'.padStart(9)}  share`];
  for (const [k, v] of rows)
    lines.push(`${k.padEnd(w)}  ${String(v).padStart(9)}  ${((100 * v) / Math.max(total, 1)).toFixed(2).padStart(5)}%`);
  return lines.join('\n');
}

/**
 * The final tables, as printed by `test/fuzz/run.ts`.
 *
 * @example
 * ```ts
 * console.log(formatTally(tally));
 * ```
 */
export function formatTally(t: TallyData): string {
  const accepted: Record<string, number> = {};
  for (const [f, r] of Object.entries(t.byFamily)) accepted[f] = r['ok'] ?? 0;
  const failures = Object.fromEntries(Object.entries(t.failures).map(([k, v]) => [k, v ?? 0]));
  return [
    table('verifyNotify result', t.verify, t.inputs),
    table('adapter core reply', t.core, t.inputs),
    table('family / oracle verdict: verified', accepted, t.inputs),
    table('library time per input', t.time, t.inputs),
    `slowest input: ${t.maxMs.toFixed(1)} ms`,
    failureCount(t) === 0 ? 'failures: none' : table('FAILURES', failures, t.inputs),
  ].join('\n\n');
}
