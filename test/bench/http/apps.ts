/**
 * The servers the HTTP bench loads, one per mode. Every one answers `200 success` for a verified
 * notification and `400 fail` otherwise. Adapters are imported lazily so that a missing one is
 * reported as "not available" rather than failing the whole bench.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Fixtures } from '../lib/fixtures.js';
import { createHandVerifier } from '../lib/hand-verify.js';

export const NOTIFY_PATH = '/alipay/notify';

function readBody(req: IncomingMessage, cb: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => cb(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
}

function answer(res: ServerResponse, ok: boolean): void {
  res.writeHead(ok ? 200 : 400, { 'content-type': 'text/plain' });
  res.end(ok ? 'success' : 'fail');
}

function bare(handler: RequestListener): Server {
  return createServer(handler);
}

/** Options every adapter gets: the verifier's, plus handlers that do nothing. */
function adapterOptions(f: Fixtures): Record<string, unknown> {
  const noop = async () => {};
  return { alipayPublicKey: f.alipay.publicKeyBase64, appId: f.appId, onRefund: noop, onNotification: noop };
}

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any
/** Loads a module without its types (the bench runs whichever version is installed). */
const load = (name: string): Promise<Any> => import(name);

/** Builds the server of one mode, not yet listening. */
export const APPS: Record<string, (f: Fixtures) => Promise<Server>> = {
  // The ceiling: reads the body and answers without verifying.
  async 'bare-noverify'() {
    return bare((req, res) => readBody(req, () => answer(res, true)));
  },
  // The baseline: node:http plus the best hand-written verification (PERF.md e1, g).
  async bare(f) {
    const hand = createHandVerifier(f.alipay.publicKey, f.appId);
    return bare((req, res) => readBody(req, (b) => answer(res, hand.verifyUtf8(b.toString('latin1')).ok)));
  },
  // The same with callback crypto.verify on the libuv pool: does async verification help here?
  async 'bare-async'(f) {
    const hand = createHandVerifier(f.alipay.publicKey, f.appId);
    return bare((req, res) => readBody(req, (b) => hand.verifyUtf8Async(b.toString('latin1'), (r) => answer(res, r.ok))));
  },
  // Each framework with the hand-written verification: separates framework cost from adapter cost.
  async 'express-hand'(f) {
    const express = (await load('express5')).default;
    const hand = createHandVerifier(f.alipay.publicKey, f.appId);
    const app = express();
    app.post(NOTIFY_PATH, (req: IncomingMessage, res: ServerResponse) => readBody(req, (b) => answer(res, hand.verifyUtf8(b.toString('latin1')).ok)));
    return createServer(app);
  },
  async express(f) {
    const express = (await load('express5')).default;
    const { createExpressHandler } = await load('../../../src/adapters/express.js');
    const app = express();
    app.post(NOTIFY_PATH, createExpressHandler(adapterOptions(f)));
    return createServer(app);
  },
  async 'koa-hand'(f) {
    const Koa = (await load('koa3')).default;
    const hand = createHandVerifier(f.alipay.publicKey, f.appId);
    const app = new Koa();
    app.use(async (ctx: Any) => {
      const b = await new Promise<Buffer>((resolve) => readBody(ctx.req, resolve));
      const ok = hand.verifyUtf8(b.toString('latin1')).ok;
      ctx.status = ok ? 200 : 400;
      ctx.type = 'text/plain';
      ctx.body = ok ? 'success' : 'fail';
    });
    return createServer(app.callback());
  },
  async koa(f) {
    const Koa = (await load('koa3')).default;
    const { createKoaMiddleware } = await load('../../../src/adapters/koa.js');
    const app = new Koa();
    app.use(createKoaMiddleware({ path: NOTIFY_PATH, ...adapterOptions(f) }));
    return createServer(app.callback());
  },
  async 'fastify-hand'(f) {
    const Fastify = (await load('fastify5')).default;
    const hand = createHandVerifier(f.alipay.publicKey, f.appId);
    let server: Server | undefined;
    const app = Fastify({ serverFactory: (h: RequestListener) => (server = createServer(h)) });
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req: unknown, body: Buffer, done: Any) => done(null, body));
    app.post(NOTIFY_PATH, async (req: Any, reply: Any) => {
      const ok = hand.verifyUtf8((req.body as Buffer).toString('latin1')).ok;
      return reply.code(ok ? 200 : 400).type('text/plain').send(ok ? 'success' : 'fail');
    });
    await app.ready();
    return server!;
  },
  async fastify(f) {
    const Fastify = (await load('fastify5')).default;
    const { alipayRefundNotifyPlugin } = await load('../../../src/adapters/fastify.js');
    let server: Server | undefined;
    const app = Fastify({ serverFactory: (h: RequestListener) => (server = createServer(h)) });
    await app.register(alipayRefundNotifyPlugin, { path: NOTIFY_PATH, ...adapterOptions(f) });
    await app.ready();
    return server!;
  },
  async 'fetch-hand'(f) {
    const { Hono } = await load('hono');
    const { getRequestListener } = await load('@hono/node-server');
    const hand = createHandVerifier(f.alipay.publicKey, f.appId);
    const app = new Hono();
    app.post(NOTIFY_PATH, async (c: Any) => {
      const ok = hand.verifyUtf8(Buffer.from(await c.req.arrayBuffer()).toString('latin1')).ok;
      return c.text(ok ? 'success' : 'fail', ok ? 200 : 400);
    });
    return createServer(getRequestListener(app.fetch));
  },
  async fetch(f) {
    const { Hono } = await load('hono');
    const { getRequestListener } = await load('@hono/node-server');
    const { createFetchHandler } = await load('../../../src/adapters/fetch.js');
    const handler = createFetchHandler(adapterOptions(f));
    const app = new Hono();
    app.post(NOTIFY_PATH, (c: Any) => handler(c.req.raw));
    return createServer(getRequestListener(app.fetch));
  },
};
