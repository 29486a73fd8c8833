// confirmNotifyId() against a local HTTP server on 127.0.0.1 that plays Alipay's
// MAPI gateway (`service=notify_verify`, answered `true`, `false` or `invalid`).
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { AlipayNotifyError } from '../../src/index.js';
import { confirmNotifyId } from '../../src/legacy-mapi/confirm-notify-id.js';
import { NotifyIdCheckError } from '../../src/errors/index.js';

const PARTNER = '2088101122136241';
const seen: URL[] = [];
let server: Server;
let gatewayUrl: string;

// notify_id chooses the gateway's answer, so one server plays every case.
function gateway(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  seen.push(url);
  const id = url.searchParams.get('notify_id') ?? '';
  if (url.pathname !== '/gateway.do' || req.method !== 'GET' || url.searchParams.get('service') !== 'notify_verify') {
    res.writeHead(404).end('not found');
  } else if (id === 'hang') {
    res.writeHead(200); // headers, then never the body
    res.write('tr');
  } else if (id === 'silent') {
    // never answers
  } else if (id === 'redirect') {
    res.writeHead(302, { location: '/gateway.do?service=notify_verify&notify_id=ok' }).end();
  } else if (id === 'error500') {
    res.writeHead(500).end('true');
  } else {
    const body =
      (
        {
          ok: 'true',
          stale: 'false',
          bad: 'invalid',
          newline: 'true\n',
          upper: 'TRUE',
          html: '<html>true</html>',
        } as Record<string, string>
      )[id] ?? 'invalid';
    res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
  }
}

before(async () => {
  server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/gateway.do`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test('a body of exactly `true` confirms; the request carries service, partner and notify_id', async () => {
  const result = await confirmNotifyId({ partner: PARTNER, notifyId: 'ok', gatewayUrl });
  assert.deepEqual(result, { confirmed: true, answer: 'true' });
  const url = seen.at(-1)!;
  assert.equal(url.searchParams.get('service'), 'notify_verify');
  assert.equal(url.searchParams.get('partner'), PARTNER);
  assert.equal(url.searchParams.get('notify_id'), 'ok');
});

test('`false` and `invalid` are typed answers, not errors', async () => {
  assert.deepEqual(await confirmNotifyId({ partner: PARTNER, notifyId: 'stale', gatewayUrl }), {
    confirmed: false,
    answer: 'false',
    status: 200,
  });
  assert.deepEqual(await confirmNotifyId({ partner: PARTNER, notifyId: 'bad', gatewayUrl }), {
    confirmed: false,
    answer: 'invalid',
    status: 200,
  });
});

test('anything but exactly `true` with status 200 does not confirm', async () => {
  for (const notifyId of ['newline', 'upper', 'html', 'error500', 'redirect']) {
    const result = await confirmNotifyId({ partner: PARTNER, notifyId, gatewayUrl });
    assert.equal(result.confirmed, false, notifyId);
    assert.equal(result.confirmed === false && result.answer, 'unexpected', notifyId);
  }
});

test('the notify_id is sent URL-encoded, never spliced into the query', async () => {
  await confirmNotifyId({ partner: PARTNER, notifyId: 'ok&partner=2088000000000000#x', gatewayUrl });
  const url = seen.at(-1)!;
  assert.equal(url.searchParams.get('notify_id'), 'ok&partner=2088000000000000#x');
  assert.deepEqual(url.searchParams.getAll('partner'), [PARTNER]);
});

test('no answer within timeoutMs is a NotifyIdCheckError (timeout)', async () => {
  for (const notifyId of ['silent', 'hang']) {
    await assert.rejects(
      confirmNotifyId({ partner: PARTNER, notifyId, gatewayUrl, timeoutMs: 150 }),
      (err: unknown) =>
        err instanceof NotifyIdCheckError && err instanceof AlipayNotifyError && err.reason === 'timeout',
    );
  }
});

test('a custom fetch that ignores the abort signal still cannot hang the caller', async () => {
  const fetch = (): Promise<never> => new Promise(() => undefined);
  await assert.rejects(
    confirmNotifyId({ partner: PARTNER, notifyId: 'ok', gatewayUrl, fetch, timeoutMs: 100 }),
    (err: unknown) => err instanceof NotifyIdCheckError && err.reason === 'timeout',
  );
});

test('a refused connection is a NotifyIdCheckError (network)', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await assert.rejects(
    confirmNotifyId({ partner: PARTNER, notifyId: 'ok', gatewayUrl: `http://127.0.0.1:${port}/gateway.do` }),
    (err: unknown) => err instanceof NotifyIdCheckError && err.reason === 'network',
  );
});

test('the fetch option is used (here: the real fetch, wrapped to record the URL)', async () => {
  const urls: string[] = [];
  const fetch: typeof globalThis.fetch = (input, init) => {
    urls.push(input instanceof Request ? input.url : String(input));
    return globalThis.fetch(input, init);
  };
  assert.equal((await confirmNotifyId({ partner: PARTNER, notifyId: 'ok', gatewayUrl, fetch })).confirmed, true);
  assert.equal(urls.length, 1);
  assert.ok(urls[0]!.startsWith(`${gatewayUrl}?service=notify_verify&partner=${PARTNER}&notify_id=ok`));
});

test('bad arguments are ERR_CONFIG, before any request', async () => {
  const before = seen.length;
  for (const options of [
    { partner: '', notifyId: 'ok', gatewayUrl },
    { partner: PARTNER, notifyId: '', gatewayUrl },
    { partner: PARTNER, notifyId: 'ok', gatewayUrl: 'not a url' },
    { partner: PARTNER, notifyId: 'ok', gatewayUrl, timeoutMs: 0 },
  ]) {
    await assert.rejects(
      confirmNotifyId(options),
      (err: unknown) => err instanceof AlipayNotifyError && err.code === 'ERR_CONFIG',
    );
  }
  assert.equal(seen.length, before);
});
