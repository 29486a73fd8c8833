/**
 * The Koa adapter (Koa 2 and 3). Importable from `alipay-refund-notify/koa`; Koa itself is never
 * imported.
 *
 * @example
 * ```ts
 * import { createKoaMiddleware } from 'alipay-refund-notify/koa';
 * app.use(createKoaMiddleware({ path: '/alipay/notify', alipayPublicKey, appId, onRefund, onNotification: 'acknowledge' }));
 * ```
 * @packageDocumentation
 */
import type { IncomingMessage } from 'node:http';
import { AlipayNotifyError } from '../errors.js';
import type { NotifyAdapterOptions } from './adapter-options.js';
import { createNotifyRequestHandler } from './handle-notify-request.js';
import { readNodeBody } from './read-node-body.js';
import { REPLY_CONTENT_TYPE } from './reply-to-alipay.js';

export type { NotifyAdapterOptions, NotifyContext, NotifyErrorContext, NotifyHandler, NonRefundNotification } from './adapter-options.js';
export { NotifyAdapterError } from './notify-adapter-error.js';
export type { NotifyAdapterErrorCode } from './notify-adapter-error.js';

/** What the middleware reads and writes of Koa's context. */
export interface KoaContextLike {
  req: IncomingMessage;
  request: { body?: unknown; rawBody?: unknown };
  method: string;
  path: string;
  status: number;
  type: string;
  body: unknown;
}

/** The adapter options, plus an optional path to answer on. */
export interface KoaMiddlewareOptions<C, Tx = undefined> extends NotifyAdapterOptions<C, Tx> {
  /** Answer only `POST` requests to this path and pass others on; without it, answer every request (for use under a router). */
  path?: string;
}

const KOA_HINT = 'use the Alipay middleware before the body parser, or set ctx.disableBodyParser = true for its path';

/**
 * Creates a Koa middleware for Alipay's notifications: it reads the raw body from `ctx.req`
 * (or reuses a `Buffer` in `ctx.request.rawBody` / `ctx.request.body`), verifies it, runs
 * `onRefund` once per `notify_id`, and answers `success` only after it resolved, `fail` otherwise.
 *
 * @example
 * ```ts
 * import Koa from 'koa';
 * import { createKoaMiddleware } from 'alipay-refund-notify/koa';
 * const app = new Koa();
 * app.use(createKoaMiddleware({
 *   path: '/alipay/notify',
 *   alipayPublicKey: process.env.ALIPAY_PUBLIC_KEY!,
 *   appId: '2021000000000000',
 *   onRefund: async (refund) => { await db.recordRefund(refund); },
 *   onNotification: 'acknowledge',
 * }));
 * ```
 */
export function createKoaMiddleware<C extends KoaContextLike = KoaContextLike, Tx = undefined>(
  options: KoaMiddlewareOptions<C, Tx>,
): (ctx: C, next: () => Promise<unknown>) => Promise<void> {
  const core = createNotifyRequestHandler(options);
  const { path } = options;
  return async (ctx, next) => {
    if (path !== undefined && (ctx.path !== path || ctx.method !== 'POST')) {
      await next();
      return;
    }
    const { rawBody, body: parsed } = ctx.request;
    const body = await readNodeBody(ctx.req, { limit: core.maxBodyBytes, captured: [rawBody, parsed], hint: KOA_HINT }).catch(
      (err: AlipayNotifyError) => err,
    );
    const reply = await core.handle(body, ctx);
    ctx.status = reply.status;
    ctx.type = REPLY_CONTENT_TYPE;
    ctx.body = reply.body;
  };
}
