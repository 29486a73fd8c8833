import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { generateTestKeyPair } from '../../src/testing/index.js';
import { cli, repoRoot } from '../support/cli-harness.js';

// The examples' contract (examples/README.md): PORT (0 = a free port), ALIPAY_PUBLIC_KEY and
// APP_ID from the environment with throwaway defaults; one line `listening on
// http://127.0.0.1:PORT/alipay/notify`; `success` to a signed refund. Checked here with `alipay-notify send`.
// Examples import the package by name, which resolves to dist/: `npm test` builds first.
const built = existsSync(join(repoRoot, 'dist/esm/adapters/express.js'));
const EXAMPLES = ['express', 'koa', 'fastify', 'next-route', 'nest', 'midway', 'egg'];
const defaultKey = join(repoRoot, 'examples/alipay-test-private-key.pem');
const tsx = import.meta.resolve('tsx');
const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'alipay-notify-examples-'));

after(() => {
  for (const child of children) if (child.exitCode === null) child.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts an example; resolves with its URL and everything it has printed so far. */
function start(name: string, env: Record<string, string>): Promise<{ url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', tsx, join(repoRoot, 'examples', `${name}.ts`)], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const line = /^listening on (.*)$/m.exec(out);
      if (line === null) return;
      // The path is the one the README uses; anything else fails here instead of waiting forever.
      const m = /^http:\/\/127\.0\.0\.1:(\d+)\/alipay\/notify$/.exec(line[1]!);
      if (m !== null && m[1] !== '0') resolve({ url: line[1]!, output: () => out });
      else
        reject(
          new Error(
            `${name} printed "${line[0]}", not "listening on http://127.0.0.1:PORT/alipay/notify" with the real port`,
          ),
        );
    });
    child.on('exit', (code) => reject(new Error(`${name} exited (${code}) before listening:\n${out}\n${err}`)));
  });
}

describe(
  'examples meet their contract',
  { concurrency: true, skip: !built && 'dist/ not built (npm run build)' },
  () => {
    for (const name of EXAMPLES) {
      test(`${name}: prints its URL, answers "success" to a signed refund, "fail" to a forgery`, async () => {
        const { url, output } = await start(name, {});
        const body = join(dir, `${name}.body`);
        const sent = await cli([
          'send',
          url,
          '--key',
          defaultKey,
          '--kind',
          'full-refund',
          '--charset',
          'GBK',
          '--save-body',
          body,
        ]);
        assert.equal(sent.code, 0, `${sent.stdout}\n${output()}`);
        const forged = join(dir, `${name}.forged`);
        writeFileSync(forged, readFileSync(body, 'latin1').replace('refund_fee=100.00', 'refund_fee=1.00'), 'latin1');
        const rejected = await cli(['send', url, '--body', forged, '--json']);
        assert.equal(rejected.code, 1);
        assert.equal((JSON.parse(rejected.stdout) as { attempts: { reply: string }[] }).attempts[0]!.reply, 'fail');
        assert.match(output(), /^refund full .*charset=gbk$/m);
      });
    }

    test('express: ALIPAY_PUBLIC_KEY and APP_ID come from the environment', async () => {
      const alipay = generateTestKeyPair();
      const key = join(dir, 'env-key.pem');
      writeFileSync(key, alipay.privateKey);
      const { url } = await start('express', { ALIPAY_PUBLIC_KEY: alipay.publicKeyBase64, APP_ID: '2021000000000042' });
      assert.equal((await cli(['send', url, '--key', key, '--app-id', '2021000000000042'])).code, 0);
      // The embedded default key and app id are no longer accepted.
      assert.equal((await cli(['send', url, '--key', defaultKey, '--app-id', '2021000000000042'])).code, 1);
      assert.equal((await cli(['send', url, '--key', key])).code, 1);
    });
  },
);
