// examples/inbox.ts meets the examples' contract (examples/README.md) on its embedded PostgreSQL
// (PGlite), checked with `alipay-notify send` as the other examples are; and a copy of a handled
// notification is acknowledged without writing the refund again. Examples import the package by
// name, which resolves to dist/: `npm test` builds first.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cli, repoRoot } from '../support/cli-harness.js';

const built = existsSync(join(repoRoot, 'dist/esm/inbox/postgres.js'));
const defaultKey = join(repoRoot, 'examples/alipay-test-private-key.pem');
const dir = mkdtempSync(join(tmpdir(), 'alipay-notify-inbox-example-'));
let child: ChildProcess | undefined;
after(() => {
  child?.kill();
  rmSync(dir, { recursive: true, force: true });
});

function start(): Promise<{ url: string; output: () => string }> {
  child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(repoRoot, 'examples', 'inbox.ts')], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    child!.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /^listening on (http:\/\/127\.0\.0\.1:(\d+)\/alipay\/notify)$/m.exec(out);
      if (m !== null && m[2] !== '0') resolve({ url: m[1]!, output: () => out });
    });
    child!.on('exit', (code) => reject(new Error(`inbox example exited (${code}) before listening:\n${out}\n${err}`)));
  });
}

test(
  'examples/inbox.ts: success to a signed refund, once per notify_id, fail to a forgery',
  { skip: !built && 'dist/ not built (npm run build)', timeout: 180_000 },
  async () => {
    const { url, output } = await start();
    const body = join(dir, 'refund.body');
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
    assert.equal((await cli(['send', url, '--body', body])).code, 0, 'a copy is acknowledged');
    const forged = join(dir, 'forged.body');
    writeFileSync(forged, readFileSync(body, 'latin1').replace('refund_fee=100.00', 'refund_fee=1.00'), 'latin1');
    const rejected = await cli(['send', url, '--body', forged, '--json']);
    assert.equal(rejected.code, 1);
    assert.equal((JSON.parse(rejected.stdout) as { attempts: { reply: string }[] }).attempts[0]!.reply, 'fail');
    assert.equal(output().match(/^refund full .*charset=gbk$/gm)?.length, 1, 'written once');
    assert.match(output(), /^answered fail: ERR_SIGNATURE_INVALID$/m);
    const failed = await fetch(url.replace(/\/alipay\/notify$/, '/inbox/failed'));
    assert.deepEqual(await failed.json(), []);
  },
);
