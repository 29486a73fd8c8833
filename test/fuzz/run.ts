// The fuzz run: `node --import tsx test/fuzz/run.ts [--count N] [--seed S]
// [--workers W]`. Throws generated and mutated bodies at verifyNotify and at the adapters' shared
// core, prints progress and a final table, writes a JSON report under the OS temp dir, and exits 1
// on any crash, untyped error, unknown code, hang or accepted mutation.
//
// Budget: most inputs fail before RSA (tens of µs); signed-body mutations cost one or two RSA
// verifications in each of verifyNotify and the core. Chunks of CHUNK_SIZE inputs are handed to
// one worker thread per core (2 on CI), so 1M inputs take minutes, not hours.
// `--replay CHUNK:OFFSET` runs one input in this thread and prints what happened.
import { writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { CHUNK_SIZE, chunkInputs } from './run-chunk.js';
import { addFailure, emptyTally, failureCount, formatTally, mergeTally, type TallyData } from './fuzz-tally.js';
import { FuzzTarget, HANG_MS } from './fuzz-target.js';
import type { ToWorker } from './fuzz-worker.js';

// A thread that makes no progress for this long is stuck (the per-input budget, HANG_MS, is
// checked on library time inside the worker; this catches the input that never returns).
const STALL_MS = Math.max(5 * HANG_MS, 5000);

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000000' },
    seed: { type: 'string' },
    workers: { type: 'string' },
    replay: { type: 'string' },
  },
});
const count = Number(values.count);
const seed = values.seed === undefined ? (Date.now() % 2 ** 31) | 0 : Number(values.seed);
const workers = Math.max(1, Math.min(Number(values.workers ?? availableParallelism()), 16));
if (!Number.isSafeInteger(count) || count <= 0 || !Number.isSafeInteger(seed)) {
  console.error(
    'usage: node --import tsx test/fuzz/run.ts [--count N] [--seed S] [--workers W] [--replay CHUNK:OFFSET]',
  );
  process.exit(2);
}

if (values.replay !== undefined) {
  const [chunk, offset] = values.replay.split(':').map(Number);
  const input = chunkInputs(seed, chunk!, offset! + 1)[offset!]!;
  const outcome = await FuzzTarget.create(24).run(input, chunk! * CHUNK_SIZE + offset!);
  console.log(
    JSON.stringify(
      { input, outcome },
      (_, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v),
      2,
    ),
  );
  process.exit(outcome.failure === undefined ? 0 : 1);
}

const chunks = Math.ceil(count / CHUNK_SIZE);
const sizeOf = (chunk: number): number => Math.min(CHUNK_SIZE, count - chunk * CHUNK_SIZE);
const total = emptyTally();
const progress = new Int32Array(new SharedArrayBuffer(workers * 3 * 4));
const started = performance.now();
let next = 0;
let finished = 0;
let stopped = false;

// Node 20 does not hand `--import tsx` to worker threads: each worker registers tsx itself.
const BOOTSTRAP = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./fuzz-worker.ts', import.meta.url).href)}); });`;

console.log(`fuzz: ${count} inputs, seed ${seed}, ${workers} worker(s), chunks of ${CHUNK_SIZE}`);

const done = new Promise<void>((resolve) => {
  let running = workers;
  const exitOne = (): void => {
    if (--running === 0) resolve();
  };
  for (let slot = 0; slot < workers; slot++) {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { seed, slot, progress: progress.buffer } });
    let current = -1;
    let lastBeat = -1;
    let lastChange = performance.now();
    const give = (): void => {
      if (stopped || next >= chunks) {
        current = -1;
        worker.postMessage({ type: 'stop' } satisfies ToWorker);
        return;
      }
      current = next++;
      lastChange = performance.now();
      worker.postMessage({ type: 'chunk', chunk: current, size: sizeOf(current) } satisfies ToWorker);
    };
    const watchdog = setInterval(() => {
      const beat = Atomics.load(progress, slot * 3 + 2);
      const now = performance.now();
      if (beat !== lastBeat) {
        lastBeat = beat;
        lastChange = now;
      } else if (current >= 0 && now - lastChange > STALL_MS) {
        const chunk = Atomics.load(progress, slot * 3);
        const offset = Atomics.load(progress, slot * 3 + 1);
        addFailure(total, {
          kind: 'hang',
          family: '?',
          detail: `worker ${slot} made no progress for ${STALL_MS} ms on input ${chunk}:${offset} (replay with --seed ${seed} --replay ${chunk}:${offset})`,
          inputHex: '',
        });
        stopped = true;
        current = -1;
        void worker.terminate();
      }
    }, 250);
    worker.on('message', (msg: { type: 'ready' } | { type: 'done'; chunk: number; tally: TallyData }) => {
      if (msg.type === 'done') {
        mergeTally(total, msg.tally);
        finished++;
      }
      give();
    });
    worker.on('error', (err) => {
      addFailure(total, {
        kind: 'crash',
        family: '?',
        detail: `worker ${slot} crashed: ${err.stack ?? String(err)}`,
        inputHex: '',
      });
      stopped = true;
    });
    worker.on('exit', (code) => {
      clearInterval(watchdog);
      if (code !== 0 && !stopped) {
        addFailure(total, {
          kind: 'crash',
          family: '?',
          detail: `worker ${slot} exited with code ${code}`,
          inputHex: '',
        });
        stopped = true;
      }
      exitOne();
    });
  }
});

const ticker = setInterval(() => {
  const s = (performance.now() - started) / 1000;
  console.log(
    `  ${total.inputs}/${count} inputs (${finished}/${chunks} chunks), ${(total.inputs / s).toFixed(0)}/s, ${s.toFixed(0)} s, failures: ${failureCount(total)}`,
  );
}, 5000);
await done;
clearInterval(ticker);

const seconds = (performance.now() - started) / 1000;
if (total.inputs < count && failureCount(total) === 0) {
  addFailure(total, {
    kind: 'crash',
    family: '?',
    detail: `only ${total.inputs} of ${count} inputs ran`,
    inputHex: '',
  });
}
console.log(`\n${formatTally(total)}\n`);
const report = join(tmpdir(), `alipay-refund-notify-fuzz-${seed}.json`);
writeFileSync(report, JSON.stringify({ count, seed, workers, seconds, node: process.version, ...total }, null, 2));
const failures = failureCount(total);
console.log(
  `${total.inputs} inputs in ${seconds.toFixed(1)} s (${(total.inputs / seconds).toFixed(0)}/s); failures: ${failures}; report: ${report}`,
);
process.exit(failures === 0 ? 0 : 1);
