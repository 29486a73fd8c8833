// postNotification (src/cli/post-notification.ts), behind `send`: how each answer of a real
// endpoint on 127.0.0.1 is judged the way Alipay treats it: only a 200 with exactly "success" stops
// the retries (https://opendocs.alipay.com/open/270/105902).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { postNotification } from '../../src/testing/post-notification.js';

interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}
const answers = new Map<string, Answer>();
let server: Server;
let base: string;

before(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const a = answers.get(req.url ?? '') ?? { status: 404, body: 'no such answer' };
      res.writeHead(a.status, { 'Content-Type': 'text/plain', ...a.headers }).end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function judged(path: string, answer: Answer): Promise<{ acknowledged: boolean; verdict: string }> {
  answers.set(path, answer);
  return postNotification(new URL(path, base), Buffer.from('notify_id=1'), 'UTF-8', 5000);
}

test('"success" with a status other than 200 is not an acknowledgement', async () => {
  const r = await judged('/500', { status: 500, body: 'success' });
  assert.equal(r.acknowledged, false);
  assert.equal(r.verdict, 'HTTP 500 "success": not a 200, Alipay will retry');
});

test('a long reply is shown cut at 60 characters', async () => {
  const r = await judged('/long', { status: 200, body: 'x'.repeat(100) });
  assert.equal(r.verdict, `answered "${'x'.repeat(60)}…": not "success", Alipay will retry`);
});

test('redirects are not followed, with or without a Location', async () => {
  const to = await judged('/moved', { status: 302, body: '', headers: { Location: 'https://example.invalid/notify' } });
  assert.equal(
    to.verdict,
    'redirected (HTTP 302 to https://example.invalid/notify): Alipay does not follow redirects and will retry',
  );
  const bare = await judged('/bare', { status: 307, body: '' });
  assert.equal(bare.verdict, 'redirected (HTTP 307): Alipay does not follow redirects and will retry');
});

test('an empty 200 is not an acknowledgement', async () => {
  const r = await judged('/empty', { status: 200, body: '' });
  assert.equal(r.acknowledged, false);
  assert.equal(r.verdict, 'answered an empty 200: Alipay will retry');
});

test('an https:// URL is sent over TLS: a plain HTTP server cannot answer it', async () => {
  answers.set('/tls', { status: 200, body: 'success' });
  const r = await postNotification(
    new URL('/tls', base.replace('http:', 'https:')),
    Buffer.from('notify_id=1'),
    'UTF-8',
    5000,
  );
  assert.equal(r.acknowledged, false);
  assert.equal(r.status, undefined);
  assert.match(r.verdict, /Alipay will retry$/);
});

test('exactly "success" with a 200 is the acknowledgement', async () => {
  const r = await judged('/ok', { status: 200, body: 'success' });
  assert.equal(r.acknowledged, true);
  assert.equal(r.verdict, 'answered exactly "success": Alipay stops sending this notification');
});

test('nothing listening, a connection dropped mid-request, and no answer in time are told apart', async () => {
  // A port that was just free: nothing listens there now.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const refused = await postNotification(new URL(`http://127.0.0.1:${port}/`), Buffer.from('a=1'), 'UTF-8', 5000);
  assert.deepEqual(
    [refused.error, refused.verdict],
    ['ECONNREFUSED', 'connection refused: nothing listens there, Alipay will retry'],
  );

  const held = new Set<import('node:net').Socket>();
  const rude = createServer((req) => req.socket.destroy());
  const silent = createServer((req) => void held.add(req.socket));
  await Promise.all([rude, silent].map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))));
  try {
    const reset = await postNotification(
      new URL(`http://127.0.0.1:${(rude.address() as AddressInfo).port}/`),
      Buffer.from('a=1'),
      'UTF-8',
      5000,
    );
    assert.deepEqual(
      [reset.error, reset.verdict],
      ['ECONNRESET', 'connection reset before an answer: Alipay will retry'],
    );
    const late = await postNotification(
      new URL(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/`),
      Buffer.from('a=1'),
      'UTF-8',
      300,
    );
    assert.deepEqual([late.error, late.verdict], ['ETIMEDOUT', 'no answer within 300 ms: Alipay will retry']);
  } finally {
    for (const socket of held) socket.destroy();
    await Promise.all([rude, silent].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
});

test('each answer that points at a usual cause comes with a hint; others with none', async () => {
  const cases: [string, Answer, RegExp | undefined][] = [
    [
      '/moved-hint',
      { status: 301, body: '', headers: { Location: 'https://example.invalid/alipay/notify' } },
      /Alipay does not follow redirects/,
    ],
    ['/method', { status: 405, body: '' }, /^\/method does not accept POST/],
    ['/big', { status: 413, body: '' }, /over a size limit: a body parser's or a proxy's/],
    ['/auth', { status: 401, body: '' }, /CSRF protection or auth/],
    ['/bad', { status: 400, body: '' }, /a body parser in front of the route/],
    ['/timeout', { status: 504, body: '' }, /a proxy in front/],
    ['/shouting', { status: 200, body: 'SUCCESS' }, /exactly the 7 bytes "success"/],
    ['/teapot', { status: 418, body: '' }, undefined],
    // A `fail` body is the adapter itself refusing, whatever the status says.
    ['/fail-large', { status: 413, body: 'fail' }, /larger than its maxBodyBytes/],
    ['/fail-charset', { status: 415, body: 'fail' }, /ERR_CHARSET_UNSUPPORTED/],
    ['/fail-store', { status: 503, body: 'fail' }, /the duplicate store failed/],
    ['/fail-other', { status: 502, body: 'fail' }, /your endpoint refused it/],
    ['/fail-verify', { status: 400, body: 'fail' }, /did not verify with the key and app id the endpoint has/],
    ['/fail-handler', { status: 500, body: 'fail' }, /ERR_BODY_ALREADY_PARSED/],
    ['/gone', { status: 404, body: 'Not Found' }, /^nothing answers POST \/gone/],
    ['/parser', { status: 415, body: 'Unsupported Media Type' }, /a body parser in front of the route/],
    ['/csrf', { status: 403, body: 'invalid csrf token' }, /CSRF protection/],
    [
      '/crash',
      { status: 500, body: '<h1>Internal Server Error</h1>' },
      /^the handler threw or the adapter is mis-mounted; see the server log$/,
    ],
    ['/ok-hint', { status: 200, body: 'success' }, undefined],
  ];
  for (const [path, answer, hint] of cases) {
    answers.set(path, answer);
    const r = await postNotification(new URL(path, base), Buffer.from('notify_id=1'), 'UTF-8', 5000);
    if (hint === undefined) assert.equal(r.hint, undefined, path);
    else assert.match(r.hint ?? '', hint, path);
  }
});

test('a connection dropped after the headers keeps the status, and is not an acknowledgement', async () => {
  const { createServer: createTcpServer } = await import('node:net');
  const dropper = createTcpServer((socket) => {
    socket.once('data', () => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nsucc');
      setTimeout(() => socket.destroy(), 50);
    });
  });
  await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
  try {
    const r = await postNotification(
      new URL(`http://127.0.0.1:${(dropper.address() as AddressInfo).port}/`),
      Buffer.from('a=1'),
      'UTF-8',
      5000,
    );
    assert.equal(r.acknowledged, false);
    assert.equal(r.status, 200);
    assert.equal(r.reply, 'succ');
    assert.equal(r.error, 'ECONNRESET');
    assert.equal(r.verdict, 'HTTP 200, then ECONNRESET before the answer was complete: Alipay will retry');
    assert.equal(r.hint, undefined);
  } finally {
    await new Promise<void>((resolve) => dropper.close(() => resolve()));
  }
});
