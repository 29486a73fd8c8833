/**
 * The timing loop of PERF.md "Method": calibrate a batch to about 5 ms, warm up, then N timed runs
 * of at least `runMs` each; the result is the median run's ops/s. Results feed an XOR sink so the
 * work cannot be optimised away.
 */
export interface Timing {
  warmupMs: number;
  runMs: number;
  runs: number;
}

export interface Measured {
  opsPerSec: number;
  /** Every run's ops/s, sorted. */
  samples: number[];
  usPerOp: number;
}

let sink = 0;
/** Folds a result into the sink. */
export function consume(x: unknown): void {
  sink ^= typeof x === 'boolean' ? (x ? 1 : 2) : typeof x === 'object' && x !== null ? 4 : 8;
}
/** Read by the child once at the end so the sink is observable. */
export function sinkValue(): number {
  return sink;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

function timeBatch(fn: () => unknown, n: number): number {
  const t0 = now();
  for (let i = 0; i < n; i++) consume(fn());
  return now() - t0;
}

/** Measures a synchronous operation. */
export function measureSync(fn: () => unknown, t: Timing): Measured {
  let batch = 1;
  while (timeBatch(fn, batch) < 5 && batch < 1 << 24) batch *= 2;
  const warmEnd = now() + t.warmupMs;
  while (now() < warmEnd) timeBatch(fn, batch);
  const samples: number[] = [];
  for (let r = 0; r < t.runs; r++) {
    let ops = 0;
    let ms = 0;
    while (ms < t.runMs) {
      ms += timeBatch(fn, batch);
      ops += batch;
    }
    samples.push((ops / ms) * 1000);
  }
  samples.sort((a, b) => a - b);
  const opsPerSec = median(samples);
  return { opsPerSec, samples, usPerOp: 1e6 / opsPerSec };
}

/** Measures an operation that completes through a callback, keeping `inflight` calls outstanding. */
export async function measureAsync(start: (done: (x: unknown) => void) => void, inflight: number, t: Timing): Promise<Measured> {
  const window = (ms: number) =>
    new Promise<number>((resolve) => {
      let completed = 0;
      let running = 0;
      const t0 = now();
      const end = t0 + ms;
      let stopped = false;
      const launch = () => {
        running++;
        start((x) => {
          consume(x);
          running--;
          completed++;
          if (!stopped && now() < end) launch();
          else {
            stopped = true;
            if (running === 0) resolve((completed / (now() - t0)) * 1000);
          }
        });
      };
      for (let i = 0; i < inflight; i++) launch();
    });
  await window(t.warmupMs);
  const samples: number[] = [];
  for (let r = 0; r < t.runs; r++) samples.push(await window(t.runMs));
  samples.sort((a, b) => a - b);
  const opsPerSec = median(samples);
  return { opsPerSec, samples, usPerOp: 1e6 / opsPerSec };
}
