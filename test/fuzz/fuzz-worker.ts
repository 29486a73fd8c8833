// One fuzz worker thread: builds its own signed pool and adapter cores, then runs the chunks the
// main thread hands it. Progress goes through shared memory so that the main thread's watchdog
// sees a stuck input even while this thread is blocked in synchronous code.
import { parentPort, workerData } from 'node:worker_threads';
import { runChunk } from './run-chunk.js';
import { FuzzTarget } from './fuzz-target.js';

interface WorkerData {
  readonly seed: number;
  readonly slot: number;
  /** Per worker: [chunk, offset, beats]. */
  readonly progress: SharedArrayBuffer;
}

export type ToWorker =
  { readonly type: 'chunk'; readonly chunk: number; readonly size: number } | { readonly type: 'stop' };

const data = workerData as WorkerData;
const progress = new Int32Array(data.progress);
const at = data.slot * 3;
const port = parentPort!;
const target = FuzzTarget.create(24);

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'stop') {
    port.close();
    return;
  }
  void runChunk(target, data.seed, msg.chunk, msg.size, (offset) => {
    Atomics.store(progress, at, msg.chunk);
    Atomics.store(progress, at + 1, offset);
    Atomics.add(progress, at + 2, 1);
  }).then((tally) => port.postMessage({ type: 'done', chunk: msg.chunk, tally }));
});
port.postMessage({ type: 'ready' });
