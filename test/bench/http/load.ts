/**
 * The load generator in its own process (pinned by the parent to the other CPU):
 * `load.ts <url> <fixtures.json> <json options>`. Runs autocannon for a warm-up (discarded), then for
 * the measured duration, and prints one JSON line with req/s and latency percentiles.
 * The `mix` option sends mixed valid, forged and duplicate notifications (memory run); otherwise
 * it cycles through distinct valid notifications.
 */
import autocannon from 'autocannon';
import { readFixtures } from '../lib/fixtures.js';

interface LoadOptions {
  connections: number;
  warmupSec: number;
  durationSec: number;
  mix: boolean;
}

const [url, fixturePath, json] = process.argv.slice(2);
const o = JSON.parse(json!) as LoadOptions;
const f = readFixtures(fixturePath!);
// Alipay's real Content-Type (PROTOCOL §1.1).
const headers = { 'content-type': 'application/x-www-form-urlencoded; text/html; charset=utf-8' };

let i = 0;
let lastValid = f.pool[0]!;
function next(): string {
  i++;
  if (!o.mix) return f.pool[i % f.pool.length]!;
  // Per 10 requests: 6 valid (distinct until the pool wraps, then replays), 2 forged, 2 duplicates.
  const slot = i % 10;
  if (slot === 3 || slot === 7) return f.forged[i % f.forged.length]!;
  if (slot === 5 || slot === 9) return lastValid;
  lastValid = f.pool[Math.floor((i / 10) * 6 + slot) % f.pool.length]!;
  return lastValid;
}

const run = (durationSec: number) =>
  autocannon({
    url: url!,
    connections: o.connections,
    pipelining: 1,
    duration: durationSec,
    timeout: 30,
    requests: [{ method: 'POST', headers, setupRequest: (req) => ({ ...req, body: next() }) }],
  });

if (o.warmupSec > 0) await run(o.warmupSec);
// Tells the parent to snapshot the server's CPU time: the measured window starts now.
process.stdout.write(`${JSON.stringify({ phase: 'measuring' })}\n`);
const r = await run(o.durationSec);
process.stdout.write(
  `${JSON.stringify({
    reqPerSec: r.requests.average,
    total: r.requests.total,
    p50: r.latency.p50,
    p99: r.latency.p99,
    latencyAvg: r.latency.average,
    ok2xx: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  })}\n`,
);
