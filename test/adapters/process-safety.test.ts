// The process, not just the answer: a rejected promise from an async onError must not end the
// server (Node ends the process on an unhandled rejection by default), and with nothing configured
// every fail still reaches stderr through the default logger, console. Each server runs in a
// child process (support/process-probe.ts) so that a crash is seen as a crash.
import assert from 'node:assert/strict';
import { fork, type ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ALIPAY_PUBLIC_KEY, APP_ID, refund } from './support/adapter-cases.js';
import { post, type Answer } from './support/http.js';

const PROBE = fileURLToPath(new URL('./support/process-probe.ts', import.meta.url));

/** One probe process, its URLs and everything it printed to stderr. */
class Probe {
  readonly child: ChildProcess;
  readonly ready: Promise<Record<string, string>>;
  stderr = '';
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

  constructor(mode: 'rejecting' | 'logging') {
    this.child = fork(PROBE, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ALIPAY_PUBLIC_KEY, APP_ID, PROBE: mode },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child.stderr!.on('data', (c: Buffer) => (this.stderr += c.toString('utf8')));
    this.child.on('exit', (code, signal) => (this.exit = { code, signal }));
    this.ready = new Promise((resolve, reject) => {
      this.child.once('message', (m) => resolve(m as Record<string, string>));
      this.child.once('exit', () => reject(new Error(`the probe exited before it was ready: ${this.stderr}`)));
    });
  }

  /** `work`, or a rejection saying the process died first (a crash drops connections and IPC). */
  whileAlive<T>(work: Promise<T>): Promise<T> {
    const died = new Promise<never>((_, reject) => {
      const check = (): void =>
        reject(new Error(`the server process died (${JSON.stringify(this.exit)}): ${this.stderr}`));
      if (this.exit !== undefined) check();
      else this.child.once('exit', () => setImmediate(check));
    });
    return Promise.race([work, died]);
  }

  /** Round trip over IPC: the process is alive and has handled everything sent before. */
  ping(): Promise<void> {
    return this.whileAlive(
      new Promise<void>((resolve) => {
        this.child.once('message', () => resolve());
        this.child.send('ping');
      }),
    );
  }

  post(base: string, body: Buffer, path: string): Promise<Answer> {
    return this.whileAlive(post(base, body, { path }));
  }

  lines(pattern: RegExp): string[] {
    return this.stderr.split('\n').filter((l) => pattern.test(l));
  }

  /** Waits (boundedly) until `count` lines match: stderr is a pipe of its own, read apart from IPC. */
  async waitForLines(pattern: RegExp, count: number): Promise<string[]> {
    for (let i = 0; i < 400 && this.lines(pattern).length < count; i++) await new Promise((r) => setTimeout(r, 25));
    return this.lines(pattern);
  }
}

let rejecting: Probe;
let logging: Probe;
before(() => {
  rejecting = new Probe('rejecting');
  logging = new Probe('logging');
});
after(() => {
  rejecting.child.kill();
  logging.child.kill();
});

const forged = (): Buffer =>
  Buffer.from(
    refund()
      .body.toString('latin1')
      .replace(/refund_fee=30\.00/, 'refund_fee=99.00'),
    'latin1',
  );

test('an async onError that rejects does not take the server down, on any adapter; the rejection is logged', async () => {
  const urls = await rejecting.ready;
  for (const [name, base] of Object.entries(urls)) {
    const answer = await rejecting.post(base, forged(), '/rejecting');
    assert.equal(answer.status, 400, name);
    assert.equal(answer.text, 'fail');
    await rejecting.ping();
    const ok = await rejecting.post(base, refund().body, '/rejecting');
    assert.equal(ok.text, 'success', `${name} still answers`);
  }
  await rejecting.ping();
  assert.equal(rejecting.exit, undefined);
  assert.equal((await rejecting.waitForLines(/onError failed while reporting it/, 4)).length, 4);
  assert.match(rejecting.stderr, /log shipping down/);
});

const CONSOLE_LINE = /alipay-refund-notify: ERR_SIGNATURE_INVALID \(answered 400 fail\): [^[]*$/;

test('no onError, no logger: each fail is printed once to stderr by console; logger: false prints nothing', async () => {
  const { express } = await logging.ready;
  assert.equal((await logging.post(express!, forged(), '/quiet')).status, 400);
  assert.equal((await logging.post(express!, forged(), '/console')).status, 400);
  await logging.ping();
  await logging.waitForLines(CONSOLE_LINE, 1);
  // One line, from /console: /quiet would have printed the very same line.
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(logging.lines(CONSOLE_LINE).length, 1, logging.stderr);
  assert.match(logging.stderr, /code: 'ERR_SIGNATURE_INVALID'/);
  assert.match(logging.stderr, /status: 400/);
});

test('options as a function that throws: 500 fail on each request, each printed to stderr with the cause', async () => {
  const { express } = await logging.ready;
  for (let i = 0; i < 2; i++) {
    const answer = await logging.post(express!, refund().body, '/factory');
    assert.equal(answer.status, 500);
    assert.equal(answer.text, 'fail');
  }
  await logging.ping();
  const pattern = /alipay-refund-notify: ERR_CONFIG \(answered 500 fail\): options: the options function threw/;
  assert.equal((await logging.waitForLines(pattern, 2)).length, 2);
  assert.match(logging.stderr, /vault unreachable/);
});
