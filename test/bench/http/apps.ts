/**
 * The servers the HTTP bench loads. Each framework comes twice: with our adapter, and with the
 * hand-written verifier (test/bench/lib/hand-verify.ts) in the same framework, so that the ratio
 * between the two is what the adapter costs over verification a merchant writes by hand. Both run a
 * handler for every verified notification and answer `200 success` (`400 fail` otherwise).
 * Adapters are imported lazily so that a missing one is reported as "not available".
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createMemoryStore } from '../../../src/store/memory-store.js';
import type { Fixtures } from '../lib/fixtures.js';
import { createHandVerifier } from '../lib/hand-verify.js';

export const NOTIFY_PATH = '/alipay/notify';

/** What a server counts, reported with its CPU time. */
export const counters = { handled: 0, errors: 0 };

/** The merchant's handler: the same in every server, and it runs for every fresh notification. */
async function handler(_notification: unknown): Promise<void> {
  counters.handled++;
}

function readBody(req: IncomingMessage, cb: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => cb(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
}

function answer(res: ServerResponse, ok: boolean): void {
  res.writeHead(ok ? 200 : 400, { 'content-type': 'text/plain' });
  res.end(ok ? 'success' : 'fail');
}

type Any = any; // eslint-disable-line @typescript-eslint/no-explicit-any
// The frameworks are loaded by name at run time (aliased packages, typed loosely on purpose).
const load = (name: string): Promise<Any> => import(name);

/** Hand-written: verify, run the handler when it verified, answer. */
function handVerifyAndRun(f: Fixtures): (body: Buffer) => Promise<boolean> {
  const hand = createHandVerifier(f.alipay.publicKey, f.appId);
  return async (body) => {
    const r = hand.verifyUtf8(body.toString('latin1'));
    if (r.ok) await handler(r.params);
    return r.ok;
  };
}

/**
 * Our adapters' options. `storeEntries` bounds the duplicate store (0: the default store): the
 * HTTP run cycles through a pool of pre-signed notifications, and a store smaller than the pool
 * has forgotten each notify_id before it comes round again, so that every request is a fresh
 * notification whose handler runs (the server counts them).
 */
function adapterOptions(f: Fixtures, storeEntries: number): Record<string, unknown> {
  return {
    alipayPublicKey: f.alipay.publicKeyBase64,
    appId: f.appId,
    onRefund: handler,
    onNotification: handler,
    onError: () => void counters.errors++,
    ...(storeEntries > 0 ? { store: createMemoryStore({ maxEntries: storeEntries }) } : {}),
  };
}

export type AppFactory = (f: Fixtures, storeEntries: number) => Promise<Server>;

/** Builds the server of one mode, not yet listening. */
export const APPS: Record<string, AppFactory> = {
  async 'bare-hand'(f) {
    const run = handVerifyAndRun(f);
    return createServer((req, res) => readBody(req, (b) => void run(b).then((ok) => answer(res, ok))));
  },
  async 'express-hand'(f) {
    const express = (await load('express5')).default;
    const run = handVerifyAndRun(f);
    const app = express();
    app.post(NOTIFY_PATH, (req: IncomingMessage, res: ServerResponse) =>
      readBody(req, (b) => void run(b).then((ok) => answer(res, ok))),
    );
    return createServer(app);
  },
  async express(f, storeEntries) {
    const express = (await load('express5')).default;
    const { createExpressHandler } = await load('../../../src/adapters/express.js');
    const app = express();
    app.post(NOTIFY_PATH, createExpressHandler(adapterOptions(f, storeEntries)));
    return createServer(app);
  },
  async 'koa-hand'(f) {
    const Koa = (await load('koa3')).default;
    const run = handVerifyAndRun(f);
    const app = new Koa();
    app.use(async (ctx: Any) => {
      const ok = await run(await new Promise<Buffer>((resolve) => readBody(ctx.req, resolve)));
      ctx.status = ok ? 200 : 400;
      ctx.type = 'text/plain';
      ctx.body = ok ? 'success' : 'fail';
    });
    return createServer(app.callback());
  },
  async koa(f, storeEntries) {
    const Koa = (await load('koa3')).default;
    const { createKoaMiddleware } = await load('../../../src/adapters/koa.js');
    const app = new Koa();
    app.use(createKoaMiddleware({ path: NOTIFY_PATH, ...adapterOptions(f, storeEntries) }));
    return createServer(app.callback());
  },
  async 'fastify-hand'(f) {
    const Fastify = (await load('fastify5')).default;
    const run = handVerifyAndRun(f);
    let server: Server | undefined;
    const app = Fastify({ serverFactory: (h: RequestListener) => (server = createServer(h)) });
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req: unknown, body: Buffer, done: Any) => done(null, body));
    app.post(NOTIFY_PATH, async (req: Any, reply: Any) => {
      const ok = await run(req.body as Buffer);
      return reply
        .code(ok ? 200 : 400)
        .type('text/plain')
        .send(ok ? 'success' : 'fail');
    });
    await app.ready();
    return server!;
  },
  async fastify(f, storeEntries) {
    const Fastify = (await load('fastify5')).default;
    const { alipayRefundNotifyPlugin } = await load('../../../src/adapters/fastify.js');
    let server: Server | undefined;
    const app = Fastify({ serverFactory: (h: RequestListener) => (server = createServer(h)) });
    await app.register(alipayRefundNotifyPlugin, { path: NOTIFY_PATH, ...adapterOptions(f, storeEntries) });
    await app.ready();
    return server!;
  },
  // The Fetch adapter on Node through @hono/node-server, as the repository's Fetch tests serve it.
  async 'fetch-hand'(f) {
    const { Hono } = await load('hono');
    const { getRequestListener } = await load('@hono/node-server');
    const run = handVerifyAndRun(f);
    const app = new Hono();
    app.post(NOTIFY_PATH, async (c: Any) => {
      const ok = await run(Buffer.from(await c.req.arrayBuffer()));
      return c.text(ok ? 'success' : 'fail', ok ? 200 : 400);
    });
    return createServer(getRequestListener(app.fetch));
  },
  async fetch(f, storeEntries) {
    const { Hono } = await load('hono');
    const { getRequestListener } = await load('@hono/node-server');
    const { createFetchHandler } = await load('../../../src/adapters/fetch.js');
    const handle = createFetchHandler(adapterOptions(f, storeEntries));
    const app = new Hono();
    app.post(NOTIFY_PATH, (c: Any) => handle(c.req.raw));
    return createServer(getRequestListener(app.fetch));
  },
};
