/**
 * The timing loop: every case of a suite in ONE process, interleaved in short slices and repeated
 * over rounds, so that a ratio between two cases compares slices taken moments apart on the same
 * JIT, the same heap and the same CPU. Figures from separate processes drifted by 40–70% between
 * runs on a shared 2-vCPU VM; slices taken side by side drift together, and their ratio holds.
 *
 * Each case is calibrated to a batch of about 1 ms; a slice repeats batches for `sliceMs`; a round
 * runs one slice of every case, starting at a different case each round (rotation), so that no
 * case always follows the same neighbour. Results feed an XOR sink so the work cannot be optimised away.
 */
export interface SyncCase {
  readonly kind: 'sync';
  readonly fn: () => unknown;
  /** Throws when the case does not do what it claims (checked before any timing). */
  readonly check: () => void | Promise<void>;
}

export interface AsyncCase {
  readonly kind: 'async';
  /** Starts one operation; `done` is called with its result. */
  readonly start: (done: (x: unknown) => void) => void;
  /** Operations kept in flight (1: one after the other). */
  readonly inflight: number;
  readonly check: () => void | Promise<void>;
}

export type BenchCase = SyncCase | AsyncCase;

export interface Schedule {
  /** Rounds run first and discarded, so that every case is optimised before the measured rounds. */
  warmupRounds: number;
  rounds: number;
  sliceMs: number;
}

/** Per case: ops/s of each measured round, in round order. */
export type RoundSamples = Record<string, number[]>;

let sink = 0;
/** Folds a result into the sink. */
export function consume(x: unknown): void {
  sink ^=
    typeof x === 'boolean'
      ? x
        ? 1
        : 2
      : typeof x === 'object' && x !== null
        ? 4
        : typeof x === 'string'
          ? x.length
          : 8;
}
/** Read once at the end so the sink is observable. */
export function sinkValue(): number {
  return sink;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

function syncBatch(fn: () => unknown, n: number): number {
  const t0 = now();
  for (let i = 0; i < n; i++) consume(fn());
  return now() - t0;
}

function asyncWindow(c: AsyncCase, ms: number): Promise<{ ops: number; ms: number }> {
  return new Promise((resolve) => {
    let completed = 0;
    let running = 0;
    let stopped = false;
    const t0 = now();
    const end = t0 + ms;
    const launch = (): void => {
      running++;
      c.start((x) => {
        consume(x);
        running--;
        completed++;
        if (!stopped && now() < end) launch();
        else {
          stopped = true;
          if (running === 0) resolve({ ops: completed, ms: now() - t0 });
        }
      });
    };
    for (let i = 0; i < c.inflight; i++) launch();
  });
}

/** A batch size that takes about 1 ms, so that reading the clock costs nothing measurable. */
function calibrate(fn: () => unknown): number {
  let batch = 1;
  while (syncBatch(fn, batch) < 1 && batch < 1 << 24) batch *= 2;
  return batch;
}

async function slice(c: BenchCase, batch: number, ms: number): Promise<number> {
  if (c.kind === 'async') {
    const w = await asyncWindow(c, ms);
    return (w.ops / w.ms) * 1000;
  }
  let ops = 0;
  let spent = 0;
  while (spent < ms) {
    spent += syncBatch(c.fn, batch);
    ops += batch;
  }
  return (ops / spent) * 1000;
}

/**
 * Runs every case's check, then the rounds. `onRound` is told after each measured round (progress).
 * Between slices the event loop gets a turn, so that async cases' leftovers settle outside the clock.
 */
export async function runInterleaved(
  cases: Readonly<Record<string, BenchCase>>,
  s: Schedule,
  onRound: (round: number) => void = () => {},
): Promise<RoundSamples> {
  const ids = Object.keys(cases);
  for (const id of ids) await cases[id]!.check();
  const batches: Record<string, number> = {};
  for (const id of ids) {
    const c = cases[id]!;
    batches[id] = c.kind === 'sync' ? calibrate(c.fn) : 1;
  }
  const out: RoundSamples = Object.fromEntries(ids.map((id) => [id, []]));
  for (let r = 0; r < s.warmupRounds + s.rounds; r++) {
    for (let i = 0; i < ids.length; i++) {
      const id = ids[(i + r) % ids.length]!;
      const opsPerSec = await slice(cases[id]!, batches[id]!, s.sliceMs);
      if (r >= s.warmupRounds) out[id]!.push(opsPerSec);
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (r >= s.warmupRounds) onRound(r - s.warmupRounds + 1);
  }
  return out;
}
