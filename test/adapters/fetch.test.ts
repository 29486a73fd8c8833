// The Fetch API handler behind a real Node server: Hono on @hono/node-server, and bare; and its
// options given as a function that throws, returns nothing, or returns options that do not validate.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import type { Server } from 'node:http';
import { createFetchHandler } from '../../src/adapters/fetch.js';
import { NotifyBodyError, NotifyConfigError } from '../../src/errors/index.js';
import { ALIPAY_PUBLIC_KEY, APP_ID, describeAdapter, refund } from './support/adapter-cases.js';
import { listen, NOTIFY_PATH } from './support/http.js';

describeAdapter({
  name: 'Fetch handler in a Hono app',
  // A middleware that reads the body (c.req.text(), parseBody()) consumes the Request first.
  globalParser: { alipayHeader: 'already_parsed', standardHeader: 'already_parsed' },
  async start(options, setup = {}) {
    const handler = createFetchHandler(options);
    const app = new Hono();
    if (setup.globalParser) {
      app.use('*', async (c, next) => {
        if ((c.req.header('content-type') ?? '').startsWith('application/x-www-form-urlencoded')) await c.req.text();
        await next();
      });
    }
    app.post(NOTIFY_PATH, (c) => handler(c.req.raw));
    return listen(createAdaptorServer({ fetch: app.fetch }) as Server);
  },
});

const URL_ = 'http://127.0.0.1/alipay/notify';

test('options as a function that throws ERR_CONFIG or returns nothing: 500 fail; options that do not validate report through their own logger', async () => {
  const thrown = new NotifyConfigError('alipayPublicKey', 'not set');
  const logged: { code: string; err: unknown; message: string }[] = [];
  const seen: unknown[] = [];
  for (const factory of [
    (): never => {
      throw thrown;
    },
    (): never => {
      throw new NotifyBodyError('ERR_BODY_MALFORMED', 'not options');
    },
    () => undefined as never,
  ]) {
    const res = await createFetchHandler(() => {
      seen.push(factory);
      return factory();
    })(new Request(URL_, { method: 'POST', body: refund().body }));
    assert.equal(res.status, 500);
    assert.equal(await res.text(), 'fail');
  }
  assert.equal(seen.length, 3);
  // The errors themselves: through a logger given in options that do resolve but do not validate.
  const res = await createFetchHandler(() => ({
    alipayPublicKey: ALIPAY_PUBLIC_KEY,
    appId: APP_ID,
    onRefund: () => undefined,
    onNotification: 'later' as never,
    logger: { error: (d: { code: string; err: unknown }, message: string) => void logged.push({ ...d, message }) },
  }))(new Request(URL_, { method: 'POST', body: refund().body }));
  assert.equal(res.status, 500);
  assert.deepEqual(
    logged.map((l) => l.code),
    ['ERR_CONFIG'],
  );
  assert.match(logged[0]!.message, /onNotification/);
});
