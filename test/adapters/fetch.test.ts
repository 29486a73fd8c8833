// The Fetch API handler behind a real Node server: Hono on @hono/node-server, and bare.
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import type { Server } from 'node:http';
import { createFetchHandler } from '../../src/adapters/fetch.js';
import { describeAdapter } from './support/adapter-cases.js';
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
