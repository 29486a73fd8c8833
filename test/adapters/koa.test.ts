// The Koa adapter against Koa 2 and 3 (installed side by side as npm aliases).
import { createServer, type IncomingMessage } from 'node:http';
import Koa2 from 'koa2';
import Koa3 from 'koa3';
import { createKoaMiddleware } from '../../src/adapters/koa.js';
import { describeAdapter, type Target } from './support/adapter-cases.js';
import { listen, NOTIFY_PATH } from './support/http.js';

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
      app.use(createKoaMiddleware({ ...options, path: NOTIFY_PATH }));
      app.use((ctx: Any) => {
        ctx.body = 'not the notify route';
      });
      return listen(createServer(app.callback()));
    },
  };
}

// Koa 2's ctx.is (type-is 1) refuses Alipay's malformed Content-Type (PROTOCOL §1.1), so such a
// parser skips the notification; Koa 3's (type-is 2) accepts it and the parser consumes the body.
describeAdapter(koaTarget('Koa 2', Koa2, { alipayHeader: 'success', standardHeader: 'already_parsed' }));
describeAdapter(koaTarget('Koa 3', Koa3, { alipayHeader: 'already_parsed', standardHeader: 'already_parsed' }));
