// The Koa adapter against Koa 2 and 3 (installed side by side as npm aliases).
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { test } from 'node:test';
import Koa2 from 'koa2';
import Koa3 from 'koa3';
import { createKoaMiddleware } from '../../src/adapters/koa.js';
import { ALIPAY_PUBLIC_KEY, APP_ID, describeAdapter, refund, type Target } from './support/adapter-cases.js';
import { listen, NOTIFY_PATH, post } from './support/http.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

// What koa-bodyparser / @koa/bodyparser do (via co-body): read the stream when type-is says the
// request is a form, and put the parsed object on ctx.request.body.
async function formBodyParser(ctx: Any, next: () => Promise<unknown>): Promise<void> {
  if (ctx.is('application/x-www-form-urlencoded')) {
    const chunks: Buffer[] = [];
    for await (const c of ctx.req as IncomingMessage) chunks.push(c as Buffer);
    ctx.request.body = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
  }
  await next();
}

function koaTarget(name: string, Koa: Any, globalParser: Target['globalParser']): Target {
  return {
    name,
    globalParser,
    async start(options, setup = {}) {
      const app = new Koa();
      if (setup.globalParser) app.use(formBodyParser);
      app.use(
        createKoaMiddleware(
          typeof options === 'function' ? { path: NOTIFY_PATH, options } : { ...options, path: NOTIFY_PATH },
        ),
      );
      app.use((ctx: Any) => {
        ctx.body = 'not the notify route';
      });
      return listen(createServer(app.callback()));
    },
  };
}

// Koa 2's ctx.is (type-is 1) refuses Alipay's malformed Content-Type (https://github.com/expressjs/body-parser/issues/137), so such a
// parser skips the notification; Koa 3's (type-is 2) accepts it and the parser consumes the body.
describeAdapter(koaTarget('Koa 2', Koa2, { alipayHeader: 'success', standardHeader: 'already_parsed' }));
describeAdapter(koaTarget('Koa 3', Koa3, { alipayHeader: 'already_parsed', standardHeader: 'already_parsed' }));

for (const [name, Koa] of [
  ['Koa 2', Koa2],
  ['Koa 3', Koa3],
] as const) {
  const serve = async (middleware: Any) => {
    const app = new Koa();
    app.use(middleware);
    app.use((ctx: Any) => {
      ctx.body = 'not the notify route';
    });
    return listen(createServer(app.callback()));
  };

  test(`${name}: { path, options: () => … } keeps routing while the options fail: other routes still answer`, async () => {
    const codes: string[] = [];
    let calls = 0;
    const server = await serve(
      createKoaMiddleware({
        path: NOTIFY_PATH,
        options: () => {
          calls++;
          return {
            alipayPublicKey: ALIPAY_PUBLIC_KEY,
            appId: undefined,
            onRefund: () => undefined,
            onNotification: 'acknowledge',
            onError: (e) => void codes.push(e.code),
          };
        },
      }),
    );
    try {
      assert.equal((await post(server.url, refund().body, { path: '/somewhere-else' })).text, 'not the notify route');
      const answer = await post(server.url, refund().body);
      assert.equal(answer.status, 500);
      assert.equal(answer.text, 'fail');
    } finally {
      await server.close();
    }
    assert.equal(calls, 1, 'only the notify route resolves the options');
    assert.deepEqual(codes, ['ERR_CONFIG']);
  });

  test(`${name}: a bare options function answers every request it gets (for a router); one that returns a path is ERR_CONFIG`, async () => {
    const seen: string[] = [];
    const errors: [string, string | undefined][] = [];
    const options = {
      alipayPublicKey: ALIPAY_PUBLIC_KEY,
      appId: APP_ID,
      onRefund: (n: { notifyId: string }) => void seen.push(n.notifyId),
      onNotification: 'acknowledge' as const,
    };
    const bare = await serve(createKoaMiddleware(() => options));
    try {
      assert.equal((await post(bare.url, refund().body, { path: '/mounted/by/a/router' })).text, 'success');
    } finally {
      await bare.close();
    }
    assert.equal(seen.length, 1);
    const withPath = await serve(
      createKoaMiddleware(
        () => ({ ...options, path: NOTIFY_PATH, onError: (e: Any) => void errors.push([e.code, e.option]) }) as Any,
      ),
    );
    try {
      const answer = await post(withPath.url, refund().body);
      assert.equal(answer.status, 500);
      assert.equal(answer.text, 'fail');
    } finally {
      await withPath.close();
    }
    assert.deepEqual(errors, [['ERR_CONFIG', 'path']]);
  });
}
