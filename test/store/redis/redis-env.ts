// Shared helpers of the Redis tests: the shared Redis URL (set by .ci/run), both client kinds,
// and a private redis-server for tests that stop or restart Redis.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import type { RedisLikeClient } from '../../../src/store/redis-store.js';
import { freePort } from '../../support/free-port.js';

export const REDIS_URL = process.env['ALIPAY_NOTIFY_TEST_REDIS_URL'];
/** `skip` option of every test that needs the shared Redis. */
export const SKIP_NO_URL: string | false = REDIS_URL
  ? false
  : 'ALIPAY_NOTIFY_TEST_REDIS_URL not set: Redis tests skipped';

const hasRedisServer = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
/** `skip` option of tests that run their own redis-server. */
export const SKIP_NO_SERVER: string | false = hasRedisServer
  ? false
  : 'redis-server not on PATH: tests that restart Redis skipped';

export type ClientKind = 'ioredis' | 'node-redis';
export const CLIENT_KINDS: readonly ClientKind[] = ['ioredis', 'node-redis'];

/** A connected client of either kind, and how to close it. */
export interface TestClient {
  readonly client: RedisLikeClient;
  /** Raw commands for assertions, the same way for both kinds. */
  command(...args: string[]): Promise<unknown>;
  close(): Promise<void>;
}

export async function connect(
  kind: ClientKind,
  url: string,
  ioOptions: { keyPrefix?: string } = {},
): Promise<TestClient> {
  if (kind === 'ioredis') {
    const io = new Redis(url, { ...ioOptions, lazyConnect: true, maxRetriesPerRequest: 1 });
    io.on('error', () => {}); // reconnection errors are expected in restart tests
    await io.connect();
    return {
      client: io,
      command: (name, ...args) => io.call(name, ...args),
      close: async () => {
        io.disconnect();
      },
    };
  }
  const nr = createClient({ url });
  nr.on('error', () => {}); // reconnection errors are expected in restart tests
  await nr.connect();
  return {
    client: nr,
    command: (...args) => nr.sendCommand(args),
    close: async () => {
      nr.destroy();
    },
  };
}

/** A prefix of its own for each test, so tests never see each other's keys. */
export function uniquePrefix(): string {
  return `test:alipay-refund-notify:${randomUUID()}:`;
}

/** Polls `check` until it returns true (a lease or TTL ran out); no timing is asserted. */
export async function until(check: () => Promise<boolean>, what: string, limitMs = 10_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export { freePort } from '../../support/free-port.js';

/** A redis-server of the test's own (never the shared one), which the test may stop and restart. */
export interface OwnRedis {
  readonly url: string;
  readonly port: number;
  start(): Promise<void>;
  /** SIGKILL: Redis vanishes without a goodbye, as in a crash. */
  kill(): Promise<void>;
  /** Stops it for good and removes its directory. */
  dispose(): Promise<void>;
}

export async function ownRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'alipay-notify-redis-'));
  let child: ChildProcess | undefined;
  const ping = async (): Promise<boolean> => {
    const probe = new Redis(port, '127.0.0.1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => {});
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  };
  const own: OwnRedis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      child = spawn(
        'redis-server',
        ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
        { stdio: 'ignore' },
      );
      await until(ping, `own redis-server on port ${port}`);
    },
    async kill() {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGKILL');
      });
    },
    async dispose() {
      await own.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return own;
}
