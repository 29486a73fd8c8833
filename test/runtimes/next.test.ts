// Next.js (the `next` devDependency) builds and serves the Fetch adapter as an App Router route:
// real `next build` and `next start` of the fixture apps in test/runtimes/fixtures/next/, posted to
// on loopback as Alipay posts.
//   lazy   options in a function: builds without ALIPAY_PUBLIC_KEY (as CI builds), serves with it
//   eager  options given directly: builds when the key is in the build's environment
//   edge   `runtime = 'edge'`: the build stops with this package's message
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createFetchHandler } from '../../src/adapters/fetch.js';
import { post } from '../adapters/support/http.js';
import { freePort, startChildServer } from './support/child-server.js';
import { ALIPAY_PUBLIC_KEY, SUBJECT, signedRefund, tampered } from './support/notifications.js';
import { root, unavailable } from './support/runtime-binary.js';

const NEXT_BIN = join(root, 'node_modules/next/dist/bin/next');
const APPS = join(root, 'test/runtimes/fixtures/next');
const BUILD_TIMEOUT_MS = 300_000; // a cold build on a loaded 2-core machine

function nextEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  delete env['ALIPAY_PUBLIC_KEY'];
  delete env['NODE_V8_COVERAGE']; // Next's own worker processes: nothing of src/ to measure there
  return { ...env, ...extra };
}

function clean(app: string): void {
  for (const d of ['.next', 'cache']) rmSync(join(APPS, app, d), { recursive: true, force: true });
}

/** Runs `next build` in a fixture app; resolves with its exit code and everything it printed. */
function nextBuild(app: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  clean(app);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NEXT_BIN, 'build'], {
      cwd: join(APPS, app),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (output += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (output += s));
    const timer = setTimeout(() => child.kill('SIGKILL'), BUILD_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

async function nextStart(app: string, alipayPublicKey: string) {
  const port = await freePort();
  // The fixture routes answer GET with what onRefund saw, which is also how readiness is polled.
  return startChildServer(process.execPath, [NEXT_BIN, 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: join(APPS, app),
    env: nextEnv({ ALIPAY_PUBLIC_KEY: alipayPublicKey }),
    port,
    readyPath: '/alipay/notify',
  });
}

// createFetchHandler(() => options) (options read on the first request) is being added to the
// Fetch adapter; until it is there, the lazy app cannot build and its test says so.
function lazyOptionsMissing(): string | undefined {
  try {
    createFetchHandler((() => ({})) as never);
    return undefined;
  } catch {
    return 'createFetchHandler(() => options) is not supported yet (options are checked when the route loads)';
  }
}

const skip = existsSync(NEXT_BIN)
  ? undefined
  : unavailable('next is not installed (the "next" devDependency: npm ci installs it)');

describe('Next.js App Router route (next build, next start)', { skip, timeout: 4 * BUILD_TIMEOUT_MS }, () => {
  after(() => ['lazy', 'eager', 'edge'].forEach(clean));

  test(
    'options in a function: `next build` without ALIPAY_PUBLIC_KEY succeeds; `next start` with it verifies, fails forgeries, handles duplicates once',
    { skip: lazyOptionsMissing() },
    async () => {
      const build = await nextBuild('lazy', nextEnv());
      assert.equal(build.code, 0, build.output);
      const server = await nextStart('lazy', ALIPAY_PUBLIC_KEY);
      try {
        const utf8 = signedRefund('partial', 'utf-8');
        const gbk = signedRefund('full', 'GBK');
        const answers = [];
        for (const body of [utf8.body, tampered(utf8), gbk.body, utf8.body]) {
          const a = await post(server.url, body);
          answers.push([a.status, a.text]);
        }
        assert.deepEqual(
          answers,
          [
            [200, 'success'],
            [400, 'fail'],
            [200, 'success'],
            [200, 'success'],
          ],
          server.output(),
        );
        const handled = (await (await fetch(`${server.url}/alipay/notify`)).json()) as {
          notifyId: string;
          charset: string;
          subject: string;
        }[];
        assert.deepEqual(handled, [
          { notifyId: utf8.notifyId, charset: 'utf-8', subject: SUBJECT },
          { notifyId: gbk.notifyId, charset: 'gbk', subject: SUBJECT },
        ]);
      } finally {
        await server.close();
      }
    },
  );

  test('options given directly: `next build` succeeds when ALIPAY_PUBLIC_KEY is set at build time, and the route serves', async () => {
    const build = await nextBuild('eager', nextEnv({ ALIPAY_PUBLIC_KEY }));
    assert.equal(build.code, 0, build.output);
    const server = await nextStart('eager', ALIPAY_PUBLIC_KEY);
    try {
      const refund = signedRefund('full', 'GBK');
      const a = await post(server.url, refund.body);
      assert.deepEqual([a.status, a.text], [200, 'success'], server.output());
      const handled = (await (await fetch(`${server.url}/alipay/notify`)).json()) as { notifyId: string }[];
      assert.deepEqual(
        handled.map((h) => h.notifyId),
        [refund.notifyId],
      );
    } finally {
      await server.close();
    }
  });

  test("the Edge runtime: `next build` fails with this package's message, not an unrelated one", async () => {
    const build = await nextBuild('edge', nextEnv({ ALIPAY_PUBLIC_KEY }));
    assert.notEqual(build.code, 0, build.output);
    assert.match(
      build.output,
      /the Edge runtime is not supported \(it has no node:crypto\): remove `export const runtime = 'edge'`/,
    );
    assert.match(build.output, /ERR_CONFIG/);
  });
});
