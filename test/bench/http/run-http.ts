/**
 * HTTP on loopback, framework by framework: our adapter and the same framework with the
 * hand-written verifier run side by side (both servers pinned to CPU 0, one idle while the other is
 * loaded), loaded in alternation by ONE client process (pinned to CPU 1): a warm-up of each, then
 * rounds that load each for the same time, the order swapped every round. Ratios are taken round by
 * round, so that a drift of the machine moves both sides of a ratio alike.
 */
import type { BenchArgs } from '../lib/args.js';
import { ratioSpread, spread, type Spread } from '../lib/stats.js';
import { LoadClient, ServerChild, type ServerStats } from './children.js';
import { NOTIFY_PATH } from './apps.js';
import type { LoadResult } from './load.js';

/** The frameworks, in the order they run, and their targets (adapter req/s ÷ hand-written req/s). */
export const FRAMEWORKS = [
  { id: 'koa', label: 'Koa 3', minRatio: 0.9 },
  { id: 'fastify', label: 'Fastify 5', minRatio: 0.9 },
  { id: 'fetch', label: 'Fetch (Hono on @hono/node-server)', minRatio: 0.9 },
  { id: 'express', label: 'Express 5', minRatio: 0.85 },
] as const;
export const MAX_P99_RATIO = 1.2;

export interface Window extends LoadResult {
  /** Server CPU time (user + system) per answered request. */
  cpuUsPerReq: number;
  /** Handler runs per 2xx answer in this window (1: every request was a fresh notification). */
  handledShare: number;
  /** Errors the server reported (onError) in this window. */
  serverErrors: number;
}

export interface Side {
  mode: string;
  rounds: Window[];
  reqPerSec: Spread;
  p99: Spread;
  cpuUsPerReq: number;
  handledShare: number;
  failures: number;
}

export interface PairResult {
  id: string;
  label: string;
  available: boolean;
  error?: string;
  adapter?: Side;
  hand?: Side;
  /** Per round: adapter req/s ÷ hand req/s, and adapter p99 ÷ hand p99. */
  reqRatio?: Spread;
  p99Ratio?: Spread;
}

export interface HttpResult {
  connections: number;
  windowSec: number;
  warmupSec: number;
  rounds: number;
  storeEntries: number;
  pool: number;
  pairs: PairResult[];
}

const cpuUs = (c: NodeJS.CpuUsage) => c.user + c.system;

async function window(
  client: LoadClient,
  server: ServerChild,
  port: number,
  durationSec: number,
  connections: number,
): Promise<Window> {
  const before: ServerStats = await server.stats();
  const r = await client.load({ url: `http://127.0.0.1:${port}${NOTIFY_PATH}`, durationSec, connections, mix: false });
  const after = await server.stats();
  const ok = r.total - r.non2xx;
  return {
    ...r,
    cpuUsPerReq: r.total > 0 ? (cpuUs(after.cpu) - cpuUs(before.cpu)) / r.total : Number.NaN,
    handledShare: ok > 0 ? (after.handled - before.handled) / ok : Number.NaN,
    serverErrors: after.errors - before.errors,
  };
}

function side(mode: string, rounds: Window[]): Side {
  const sum = (f: (w: Window) => number) => rounds.reduce((a, w) => a + f(w), 0);
  return {
    mode,
    rounds,
    reqPerSec: spread(rounds.map((w) => w.reqPerSec)),
    p99: spread(rounds.map((w) => w.p99)),
    cpuUsPerReq: spread(rounds.map((w) => w.cpuUsPerReq)).median,
    handledShare:
      sum((w) => w.handledShare * (w.total - w.non2xx)) /
      Math.max(
        1,
        sum((w) => w.total - w.non2xx),
      ),
    failures: sum((w) => w.non2xx + w.errors + w.timeouts + w.serverErrors),
  };
}

interface Started {
  servers: ServerChild[];
  ready: Promise<{ port?: number; error?: string }[]>;
}

/** Starts a framework's two servers; every framework's are started at once, so their startups overlap. */
function startPair(
  here: string,
  fw: (typeof FRAMEWORKS)[number],
  fixturePath: string,
  args: BenchArgs,
  storeEntries: number,
): Started {
  const servers = [fw.id, `${fw.id}-hand`].map((m) => ServerChild.start(here, m, fixturePath, storeEntries, args.pin));
  return { servers, ready: Promise.all(servers.map((s) => s.ready())) };
}

async function runPair(
  fw: (typeof FRAMEWORKS)[number],
  started: Started,
  client: LoadClient,
  args: BenchArgs,
): Promise<PairResult> {
  const { servers } = started;
  const ready = await started.ready;
  const missing = ready.find((r) => r.error !== undefined);
  if (missing !== undefined) return { id: fw.id, label: fw.label, available: false, error: missing.error! };
  const ports = ready.map((r) => r.port!);
  for (let i = 0; i < 2; i++) await window(client, servers[i]!, ports[i]!, args.httpWarmupSec, args.connections);
  const rounds: Window[][] = [[], []];
  for (let r = 0; r < args.httpRounds; r++) {
    for (const i of r % 2 === 0 ? [0, 1] : [1, 0])
      rounds[i]!.push(await window(client, servers[i]!, ports[i]!, args.httpSec, args.connections));
    process.stderr.write('.');
  }
  const [a, h] = rounds as [Window[], Window[]];
  return {
    id: fw.id,
    label: fw.label,
    available: true,
    adapter: side(`${fw.id}`, a),
    hand: side(`${fw.id}-hand`, h),
    reqRatio: ratioSpread(
      a.map((w) => w.reqPerSec),
      h.map((w) => w.reqPerSec),
    ),
    p99Ratio: ratioSpread(
      a.map((w) => w.p99),
      h.map((w) => w.p99),
    ),
  };
}

export async function runHttp(
  here: string,
  fixturePath: string,
  poolSize: number,
  args: BenchArgs,
): Promise<HttpResult> {
  // Smaller than the pool: each notify_id is forgotten before the client comes round to it again.
  const storeEntries = Math.max(1, Math.floor(poolSize / 2));
  const out: HttpResult = {
    connections: args.connections,
    windowSec: args.httpSec,
    warmupSec: args.httpWarmupSec,
    rounds: args.httpRounds,
    storeEntries,
    pool: poolSize,
    pairs: [],
  };
  const frameworks = FRAMEWORKS.filter((fw) => args.only === undefined || args.only.includes(fw.id));
  if (frameworks.length === 0) return out;
  // Idle servers cost nothing: only the pair being loaded is busy.
  const started = frameworks.map((fw) => startPair(here, fw, fixturePath, args, storeEntries));
  const client = await LoadClient.start(here, fixturePath, args.pin);
  try {
    for (const [i, fw] of frameworks.entries()) {
      process.stderr.write(`http ${fw.id} vs ${fw.id}-hand, ${args.httpRounds} rounds of ${args.httpSec} s each `);
      const p = await runPair(fw, started[i]!, client, args);
      out.pairs.push(p);
      process.stderr.write(
        p.available
          ? ` ${Math.round(p.adapter!.reqPerSec.median)} vs ${Math.round(p.hand!.reqPerSec.median)} req/s\n`
          : ` not available: ${p.error}\n`,
      );
      await Promise.all(started[i]!.servers.map((s) => s.stop()));
    }
  } finally {
    await client.stop();
    await Promise.all(started.flatMap((p) => p.servers.map((s) => s.stop())));
  }
  return out;
}
