// The Fastify plugin against Fastify 4 and 5 (installed side by side as npm aliases).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fastify4 from 'fastify4';
import fastify5 from 'fastify5';
import { alipayRefundNotifyPlugin } from '../../src/adapters/fastify.js';
import {
  ALIPAY_PUBLIC_KEY,
  APP_ID,
  describeAdapter,
  refund,
  type AnyOptions,
  type Target,
} from './support/adapter-cases.js';
import { NOTIFY_PATH, post } from './support/http.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

async function start(Fastify: Any, options: AnyOptions | (() => AnyOptions), globalParser: boolean) {
  const app = Fastify();
  // What @fastify/formbody does at the root: a urlencoded parser for the whole app.
  if (globalParser) {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_req: unknown, body: string, done: Any) => done(null, Object.fromEntries(new URLSearchParams(body))),
    );
  }
  app.post('/json', async (req: Any) => ({ got: req.body }));
  await app.register(
    alipayRefundNotifyPlugin,
    typeof options === 'function' ? { path: NOTIFY_PATH, options } : { ...options, path: NOTIFY_PATH },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url: `http://127.0.0.1:${app.server.address().port}`, close: () => app.close() };
}

function fastifyTarget(name: string, Fastify: Any): Target {
  return {
    name,
    // The plugin's own parser wins inside its scope, whatever the app registered.
    globalParser: { alipayHeader: 'success', standardHeader: 'success' },
    start: (options, setup = {}) => start(Fastify, options, setup.globalParser === true),
  };
}

describeAdapter(fastifyTarget('Fastify 4', fastify4));
describeAdapter(fastifyTarget('Fastify 5', fastify5));

for (const [name, Fastify] of [
  ['Fastify 4', fastify4],
  ['Fastify 5', fastify5],
] as const) {
  test(`${name}: the plugin's raw parser does not leak: the app's JSON and form routes still parse`, async () => {
    const options = {
      alipayPublicKey: ALIPAY_PUBLIC_KEY,
      appId: APP_ID,
      onRefund: () => undefined,
      onNotification: 'acknowledge' as const,
    };
    const server = await start(Fastify, options, true);
    try {
      const json = await fetch(`${server.url}/json`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a":1}',
      });
      assert.deepEqual(await json.json(), { got: { a: 1 } });
      const form = await fetch(`${server.url}/json`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'a=1',
      });
      assert.deepEqual(await form.json(), { got: { a: '1' } });
      assert.equal((await post(server.url, refund().body)).text, 'success');
    } finally {
      await server.close();
    }
  });

  test(`${name}: registering without a path or handlers fails at setup with ERR_CONFIG`, async () => {
    for (const bad of [
      { alipayPublicKey: ALIPAY_PUBLIC_KEY, appId: APP_ID, onRefund: () => undefined, onNotification: 'acknowledge' },
      { path: NOTIFY_PATH, alipayPublicKey: ALIPAY_PUBLIC_KEY, appId: APP_ID, onRefund: () => undefined },
    ]) {
      const app = (Fastify as Any)();
      await assert.rejects(
        async () => {
          await app.register(alipayRefundNotifyPlugin, bad);
          await app.ready();
        },
        { code: 'ERR_CONFIG' },
      );
      await app.close();
    }
  });
}

for (const [name, Fastify] of [
  ['Fastify 4', fastify4],
  ['Fastify 5', fastify5],
] as const) {
  test(`${name}: { path, options: () => … } that fails: 500 fail with or without a body, reported once per request`, async () => {
    const codes: string[] = [];
    let calls = 0;
    const app = (Fastify as Any)();
    await app.register(alipayRefundNotifyPlugin, {
      path: NOTIFY_PATH,
      options: () => {
        calls++;
        return {
          alipayPublicKey: 'not a key',
          appId: APP_ID,
          onRefund: () => undefined,
          onNotification: 'acknowledge',
          onError: (e: Any) => void codes.push(e.code),
        };
      },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const url = `http://127.0.0.1:${app.server.address().port}`;
      const withBody = await post(url, refund().body);
      assert.deepEqual([withBody.status, withBody.text], [500, 'fail']);
      const empty = await fetch(`${url}${NOTIFY_PATH}`, { method: 'POST' });
      assert.deepEqual([empty.status, await empty.text()], [500, 'fail']);
    } finally {
      await app.close();
    }
    assert.equal(calls, 2);
    assert.deepEqual(codes, ['ERR_CONFIG', 'ERR_CONFIG']);
  });
}
