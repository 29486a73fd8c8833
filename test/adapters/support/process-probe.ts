// A merchant's server in a process of its own, for test/adapters/process-safety.test.ts: what
// happens to the *process* (not the answer) when onError rejects, and what reaches stderr when
// nothing is configured. Started with `fork` under `node --import tsx`, with Node's default
// `--unhandled-rejections=throw`; sends { type: 'ready', urls } and answers 'ping' with 'pong'.
//   ALIPAY_PUBLIC_KEY, APP_ID   the keys the test signs with
//   PROBE                       'rejecting': one server per adapter, each with an async onError
//                               that rejects; 'logging': Express routes /console (no onError, no
//                               logger), /quiet (logger: false), /factory (options function throws)
import { createAdaptorServer } from '@hono/node-server';
import express from 'express5';
import fastify from 'fastify5';
import { Hono } from 'hono';
import Koa from 'koa3';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NotifyAdapterOptions } from '../../../src/adapters/adapter-options.js';
import { createExpressHandler } from '../../../src/adapters/express.js';
import { alipayRefundNotifyPlugin } from '../../../src/adapters/fastify.js';
import { createFetchHandler } from '../../../src/adapters/fetch.js';
import { createKoaMiddleware } from '../../../src/adapters/koa.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;

const keys = { alipayPublicKey: process.env['ALIPAY_PUBLIC_KEY']!, appId: process.env['APP_ID']! };
const handlers = { onRefund: () => undefined, onNotification: 'acknowledge' as const };
// An async onError whose promise rejects: a logging service that is down.
const rejecting = { ...keys, ...handlers, onError: async () => Promise.reject(new Error('log shipping down')) };

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const urls: Record<string, string> = {};
if (process.env['PROBE'] === 'rejecting') {
  const app = express();
  app.post('/rejecting', createExpressHandler(rejecting));
  urls['express'] = await listen(createServer(app));

  const koa = new Koa();
  koa.use(createKoaMiddleware({ ...rejecting, path: '/rejecting' }) as Any);
  urls['koa'] = await listen(createServer(koa.callback()));

  const f = fastify();
  await f.register(alipayRefundNotifyPlugin, { ...rejecting, path: '/rejecting' } as Any);
  await f.listen({ port: 0, host: '127.0.0.1' });
  urls['fastify'] = `http://127.0.0.1:${(f.server.address() as AddressInfo).port}`;

  const fetchHandler = createFetchHandler(rejecting);
  const hono = new Hono();
  hono.post('/rejecting', (c) => fetchHandler(c.req.raw));
  urls['fetch'] = await listen(createAdaptorServer({ fetch: hono.fetch }) as Server);
} else {
  const app = express();
  app.post('/console', createExpressHandler({ ...keys, ...handlers }));
  app.post('/quiet', createExpressHandler({ ...keys, ...handlers, logger: false }));
  app.post(
    '/factory',
    createExpressHandler((): NotifyAdapterOptions => {
      throw new Error('vault unreachable');
    }),
  );
  urls['express'] = await listen(createServer(app));
}

process.on('message', (m) => {
  if (m === 'ping') process.send?.('pong');
});
process.send?.(urls);
process.on('disconnect', () => process.exit(0));
