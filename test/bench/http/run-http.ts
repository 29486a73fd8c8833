/**
 * HTTP runs on loopback (PERF.md g): each server mode in a fresh process pinned to CPU 0,
 * autocannon in another pinned to CPU 1, 50 connections, warm-up then a measured window.
 * Also the memory run: one adapter under mixed valid, forged and duplicate notifications.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { BenchArgs } from '../lib/args.js';
import { median } from '../lib/harness.js';
import { jsonLines, spawnTs } from '../lib/spawn.js';
import { NOTIFY_PATH } from './apps.js';

export interface HttpResult {
  available: boolean;
  error?: string;
  reqPerSec?: number;
  p50?: number;
  p99?: number;
  non2xx?: number;
  errors?: number;
  timeouts?: number;
  /** Server CPU time (user + system) per request in the measured window. */
  serverCpuUsPerReq?: number;
}

export interface MemoryResult {
  mode: string;
  durationSec: number;
  requests: number;
  reqPerSec: number;
  non2xx: number;
  errors: number;
  warmupSec: number;
  rssAfterWarmupMiB: number;
  rssEndMiB: number;
  rssMaxMiB: number;
  growth: number;
  heapAfterWarmupMiB: number;
  heapEndMiB: number;
  samples: { t: number; rss: number; heapUsed: number }[];
}

export const HTTP_ORDER = [
  'bare-noverify',
  'bare',
  'bare-async',
  'express-hand',
  'express',
  'koa-hand',
  'koa',
  'fastify-hand',
  'fastify',
  'fetch-hand',
  'fetch',
] as const;
export const ADAPTERS = ['express', 'koa', 'fastify', 'fetch'] as const;

type Msg = { port?: number; error?: string; stats?: { cpu: NodeJS.CpuUsage; mem: NodeJS.MemoryUsage }; samples?: MemoryResult['samples'] };

class ServerChild {
  private waiters: ((m: Msg) => boolean)[] = [];
  private constructor(readonly child: ChildProcess) {
    child.on('message', (m: Msg) => {
      this.waiters = this.waiters.filter((w) => !w(m));
    });
  }

  static start(here: string, mode: string, fixturePath: string, pin: boolean): ServerChild {
    const child = spawnTs(join(here, 'http', 'server.ts'), [mode, fixturePath], { cpu: 0, pin, ipc: true });
    child.stdout!.resume();
    return new ServerChild(child);
  }

  next<K extends keyof Msg>(key: K | 'error', ask?: string): Promise<Msg> {
    return new Promise((resolve, reject) => {
      const onExit = () => reject(new Error('server exited'));
      this.child.once('exit', onExit);
      this.waiters.push((m) => {
        if (m[key] === undefined && m.error === undefined) return false;
        this.child.off('exit', onExit);
        resolve(m);
        return true;
      });
      if (ask !== undefined) this.child.send(ask);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send('exit');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
}

interface LoadLine {
  reqPerSec: number;
  total: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

async function load(
  here: string,
  port: number,
  fixturePath: string,
  opts: { connections: number; warmupSec: number; durationSec: number; mix: boolean },
  pin: boolean,
  onMeasuring: () => void,
): Promise<LoadLine> {
  const child = spawnTs(join(here, 'http', 'load.ts'), [`http://127.0.0.1:${port}${NOTIFY_PATH}`, fixturePath, JSON.stringify(opts)], { cpu: 1, pin });
  let result: LoadLine | undefined;
  const code = await jsonLines(child, (o) => {
    if (o['phase'] === 'measuring') onMeasuring();
    else result = o as unknown as LoadLine;
  });
  if (code !== 0 || result === undefined) throw new Error(`load generator failed (exit ${code})`);
  return result;
}

const cpuUs = (c: NodeJS.CpuUsage) => c.user + c.system;

async function runMode(here: string, mode: string, fixturePath: string, args: BenchArgs): Promise<HttpResult> {
  const server = ServerChild.start(here, mode, fixturePath, args.pin);
  try {
    const ready = await server.next('port');
    if (ready.error !== undefined) return { available: false, error: ready.error.split('\n')[0]!.replace(/'[^']*\/(src\/[^']+)'/, '$1') };
    let before: Promise<Msg> | undefined;
    const r = await load(
      here,
      ready.port!,
      fixturePath,
      { connections: args.connections, warmupSec: args.quick ? 1 : 2, durationSec: args.httpSec, mix: false },
      args.pin,
      () => (before = server.next('stats', 'stats')),
    );
    const after = await server.next('stats', 'stats');
    const cpu = cpuUs(after.stats!.cpu) - cpuUs((await before!).stats!.cpu);
    return {
      available: true,
      reqPerSec: r.reqPerSec,
      p50: r.p50,
      p99: r.p99,
      non2xx: r.non2xx,
      errors: r.errors,
      timeouts: r.timeouts,
      serverCpuUsPerReq: r.total > 0 ? cpu / r.total : undefined,
    };
  } finally {
    await server.stop();
  }
}

export async function runHttp(here: string, fixturePath: string, args: BenchArgs): Promise<Record<string, HttpResult>> {
  const out: Record<string, HttpResult> = {};
  for (const mode of HTTP_ORDER.filter((m) => args.only === undefined || args.only.includes(m))) {
    process.stderr.write(`http ${mode}… `);
    out[mode] = await runMode(here, mode, fixturePath, args);
    const r = out[mode];
    process.stderr.write(r.available ? `${Math.round(r.reqPerSec!)} req/s, p99 ${r.p99} ms\n` : `not available: ${r.error}\n`);
  }
  return out;
}

/** Resident memory of one adapter (the first available of express, koa, fastify, fetch; else bare). */
export async function runMemory(here: string, fixturePath: string, args: BenchArgs): Promise<MemoryResult> {
  for (const mode of [...ADAPTERS, 'bare']) {
    const server = ServerChild.start(here, mode, fixturePath, args.pin);
    try {
      const ready = await server.next('port');
      if (ready.error !== undefined) continue;
      process.stderr.write(`memory ${mode} for ${args.memorySec} s… `);
      const r = await load(
        here,
        ready.port!,
        fixturePath,
        { connections: args.connections, warmupSec: 0, durationSec: args.memorySec, mix: true },
        args.pin,
        () => {},
      );
      const samples = (await server.next('samples', 'samples')).samples!;
      // Warm-up: the first quarter (at least 5 s), when the JIT settles and the duplicate store fills.
      const warmupSec = Math.max(5, Math.round(args.memorySec / 4));
      const steady = samples.filter((s) => s.t >= warmupSec * 1000);
      const k = Math.max(1, Math.min(5, Math.floor(steady.length / 4)));
      const mib = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;
      const start = median(steady.slice(0, k).map((s) => s.rss));
      const end = median(steady.slice(-k).map((s) => s.rss));
      const result: MemoryResult = {
        mode,
        durationSec: args.memorySec,
        requests: r.total,
        reqPerSec: r.reqPerSec,
        non2xx: r.non2xx,
        errors: r.errors,
        warmupSec,
        rssAfterWarmupMiB: mib(start),
        rssEndMiB: mib(end),
        rssMaxMiB: mib(Math.max(...steady.map((s) => s.rss))),
        growth: end / start - 1,
        heapAfterWarmupMiB: mib(median(steady.slice(0, k).map((s) => s.heapUsed))),
        heapEndMiB: mib(median(steady.slice(-k).map((s) => s.heapUsed))),
        samples: samples.map((s) => ({ t: s.t, rss: s.rss, heapUsed: s.heapUsed })),
      };
      process.stderr.write(`RSS ${result.rssAfterWarmupMiB} → ${result.rssEndMiB} MiB\n`);
      return result;
    } finally {
      await server.stop();
    }
  }
  throw new Error('no server available for the memory run');
}
