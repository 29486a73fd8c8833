/**
 * Resident memory of one adapter (the first available of koa, fastify, fetch, express) with its
 * default duplicate store, under mixed valid, forged and duplicate notifications for `memorySec`.
 */
import type { BenchArgs } from '../lib/args.js';
import { median } from '../lib/stats.js';
import { LoadClient, ServerChild, type MemorySample } from './children.js';
import { NOTIFY_PATH } from './apps.js';
import { FRAMEWORKS } from './run-http.js';

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
  samples: MemorySample[];
}

const mib = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;

export async function runMemory(here: string, fixturePath: string, args: BenchArgs): Promise<MemoryResult> {
  const client = await LoadClient.start(here, fixturePath, args.pin);
  try {
    for (const mode of [...FRAMEWORKS.map((f) => f.id), 'bare-hand']) {
      const server = ServerChild.start(here, mode, fixturePath, 0, args.pin);
      try {
        const ready = await server.ready();
        if (ready.error !== undefined) continue;
        process.stderr.write(`memory ${mode} for ${args.memorySec} s… `);
        const r = await client.load({
          url: `http://127.0.0.1:${ready.port}${NOTIFY_PATH}`,
          durationSec: args.memorySec,
          connections: args.connections,
          mix: true,
        });
        const samples = await server.samples();
        // Warm-up: the first quarter (at least 2 s), while the JIT settles and the duplicate store fills.
        const warmupSec = Math.max(2, Math.round(args.memorySec / 4));
        const steady = samples.filter((s) => s.t >= warmupSec * 1000);
        const use = steady.length > 0 ? steady : samples;
        const k = Math.max(1, Math.min(5, Math.floor(use.length / 4)));
        const start = median(use.slice(0, k).map((s) => s.rss));
        const end = median(use.slice(-k).map((s) => s.rss));
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
          rssMaxMiB: mib(Math.max(...use.map((s) => s.rss))),
          growth: end / start - 1,
          heapAfterWarmupMiB: mib(median(use.slice(0, k).map((s) => s.heapUsed))),
          heapEndMiB: mib(median(use.slice(-k).map((s) => s.heapUsed))),
          samples: samples.map((s) => ({ t: s.t, rss: s.rss, heapUsed: s.heapUsed })),
        };
        process.stderr.write(`RSS ${result.rssAfterWarmupMiB} → ${result.rssEndMiB} MiB\n`);
        return result;
      } finally {
        await server.stop();
      }
    }
    throw new Error('no server available for the memory run');
  } finally {
    await client.stop();
  }
}
