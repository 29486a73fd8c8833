// The process, not just the answer: a rejected promise from an async onError must not end the
// server (Node ends the process on an unhandled rejection by default), and with nothing configured
// every fail still reaches stderr through the default logger, console. Each server runs in a
// child process (support/process-probe.ts) so that a crash is seen as a crash.
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ALIPAY_PUBLIC_KEY, APP_ID, refund } from './support/adapter-cases.js';
import { post } from './support/http.js';

const PROBE = fileURLToPath(new URL('./support/process-probe.ts', import.meta.url));

interface Ready {
  expressUrl: string;
  koaUrl: string;
  fastifyUrl: string;
  honoUrl: string;
}

let child: ChildProcess;
let ready: Ready;
let stderr = '';
let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

before(async () => {
  child = fork(PROBE, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ALIPAY_PUBLIC_KEY, APP_ID },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  child.on('exit', (code, signal) => (exit = { code, signal }));
  ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Ready));
    child.once('exit', () => reject(new Error(`the probe exited before it was ready: ${stderr}`)));
  });
});

after(() => {
  child.kill();
});

/** Round trip over IPC: the process is alive and has handled everything sent before. */
function ping(): Promise<void> {
  return new Promise((resolve, reject) => {
    if (exit !== undefined) {
      reject(new Error(`the server process died (${JSON.stringify(exit)}): ${stderr}`));
      return;
    }
    child.once('message', () => resolve());
    child.send('ping');
  });
}

async function stderrLines(pattern: RegExp, count: number): Promise<string[]> {
  for (let i = 0; i < 400 && stderr.split('\n').filter((l) => pattern.test(l)).length < count; i++) await new Promise((r) => setTimeout(r, 25));
  return stderr.split('\n').filter((l) => pattern.test(l));
}

const forged = (): Buffer => Buffer.from(refund().body.toString('latin1').replace(/refund_fee=30\.00/, 'refund_fee=99.00'), 'latin1');

test('an async onError that rejects does not take the server down, on any adapter; the rejection is logged', async () => {
  for (const base of [ready.expressUrl, ready.koaUrl, ready.fastifyUrl, ready.honoUrl]) {
    const answer = await post(base, forged(), { path: '/rejecting' });
    assert.equal(answer.status, 400);
    assert.equal(answer.text, 'fail');
    await ping();
    const ok = await post(base, refund().body, { path: '/rejecting' });
    assert.equal(ok.text, 'success', `${base} still answers`);
  }
  await ping();
  assert.equal(exit, undefined);
  const logged = await stderrLines(/onError failed while reporting it/, 4);
  assert.equal(logged.length, 4);
  assert.match(stderr, /log shipping down/);
});

test('no onError, no logger: each fail is printed once to stderr by console; logger: false prints nothing', async () => {
  assert.equal((await post(ready.expressUrl, forged(), { path: '/quiet' })).status, 400);
  assert.equal((await post(ready.expressUrl, forged(), { path: '/console' })).status, 400);
  await ping();
  const printed = await stderrLines(/alipay-refund-notify: ERR_SIGNATURE_INVALID \(answered 400 fail\): [^[]*$/, 1);
  // One line: the /console one. The /quiet route would have printed the very same line.
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(stderr.split('\n').filter((l) => /alipay-refund-notify: ERR_SIGNATURE_INVALID \(answered 400 fail\): [^[]*$/.test(l)).length, 1, printed.join('\n'));
  assert.match(stderr, /code: 'ERR_SIGNATURE_INVALID'/);
  assert.match(stderr, /status: 400/);
});

test('options as a function that throws: 500 fail on each request, each printed to stderr with the cause', async () => {
  for (let i = 0; i < 2; i++) {
    const answer = await post(ready.expressUrl, refund().body, { path: '/factory' });
    assert.equal(answer.status, 500);
    assert.equal(answer.text, 'fail');
  }
  await ping();
  const lines = await stderrLines(/alipay-refund-notify: ERR_CONFIG \(answered 500 fail\): options: the options function threw/, 2);
  assert.equal(lines.length, 2);
  assert.match(stderr, /vault unreachable/);
});
