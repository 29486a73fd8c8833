/**
 * The load generator, one process for the whole HTTP run (pinned by the parent to the other CPU),
 * so that every server is loaded by the same client: `load.ts <fixtures.json>`, driven over IPC.
 * Each `{ url, durationSec, connections, mix }` message runs autocannon against `url` and answers
 * with req/s and latency percentiles taken from every response's own time (autocannon's histogram
 * rounds to whole milliseconds, too coarse for a p99 ratio).
 *
 * Bodies: without `mix`, each server cycles through the pool of distinct valid notifications on its
 * own cursor (a fresh notify_id per request until the pool wraps). With `mix` (the memory run),
 * per 10 requests: 6 valid, 2 forged, 2 duplicates of the last valid one.
 */
import autocannon from 'autocannon';
import { readFixtures } from '../lib/fixtures.js';
import { quantile } from '../lib/stats.js';

export interface LoadRequest {
  url: string;
  durationSec: number;
  connections: number;
  mix: boolean;
}

export interface LoadResult {
  reqPerSec: number;
  total: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

const f = readFixtures(process.argv[2]!);
// Alipay's real Content-Type, with its stray `text/html` (https://opendocs.alipay.com/open/270/105902).
const headers = { 'content-type': 'application/x-www-form-urlencoded; text/html; charset=utf-8' };
const cursors = new Map<string, number>();

function nextBody(url: string, mix: boolean, state: { i: number; lastValid: string }): string {
  if (!mix) {
    const i = cursors.get(url) ?? 0;
    cursors.set(url, i + 1);
    return f.pool[i % f.pool.length]!;
  }
  const i = ++state.i;
  const slot = i % 10;
  if (slot === 3 || slot === 7) return f.forged[i % f.forged.length]!;
  if (slot === 5 || slot === 9) return state.lastValid;
  state.lastValid = f.pool[Math.floor((i / 10) * 6 + slot) % f.pool.length]!;
  return state.lastValid;
}

const mixState = { i: 0, lastValid: f.pool[0]! };

function run(o: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let ok = 0;
    const instance = autocannon(
      {
        url: o.url,
        connections: o.connections,
        pipelining: 1,
        duration: o.durationSec,
        timeout: 30,
        requests: [
          { method: 'POST', headers, setupRequest: (req) => ({ ...req, body: nextBody(o.url, o.mix, mixState) }) },
        ],
      },
      (err, r) => {
        if (err) return reject(err);
        latencies.sort((a, b) => a - b);
        resolve({
          reqPerSec: ok / r.duration, // autocannon's own measured seconds
          total: r.requests.total,
          p50: quantile(latencies, 0.5),
          p99: quantile(latencies, 0.99),
          non2xx: r.non2xx,
          errors: r.errors,
          timeouts: r.timeouts,
        });
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) {
        ok++;
        latencies.push(ms);
      }
    });
  });
}

process.on('message', (m: LoadRequest | 'exit') => {
  if (m === 'exit') process.exit(0);
  run(m).then(
    (result) => process.send!({ result }),
    (err) => process.send!({ error: String(err) }),
  );
});
process.send!({ ready: true });
