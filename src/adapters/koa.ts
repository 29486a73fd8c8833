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
import { NotifyConfigError } from '../errors/index.js';
import { createNotifyResponder } from './create-notify-responder.js';
import type { NotifyAdapterOptions } from './adapter-options.js';
import { createNotifyRequestHandler, type NotifyRequestHandler } from './handle-notify-request.js';
import { notifyHandlerSource, type NotifyHandlerLookup } from './notify-handler-source.js';
import { readNodeBody } from './read-node-body.js';
import { REPLY_CONTENT_TYPE } from './reply-to-alipay.js';

export type {
  NotifyAdapterOptions,
  NotifyContext,
  NotifyErrorContext,
  NotifyHandler,
  NotifyLogDetails,
  NotifyLogger,
  NotifyOptionsSource,
  NonRefundNotification,
} from './adapter-options.js';
export { NotifyAdapterError } from '../errors/index.js';
export type { NotifyAdapterErrorCode } from '../errors/index.js';
export { insertMiddlewareFirst } from './insert-middleware-first.js';
export type { MiddlewareListApp } from './insert-middleware-first.js';

/** What the middleware reads and writes of Koa's context. */
export interface KoaContextLike {
  req: IncomingMessage;
  request: { body?: unknown; rawBody?: unknown };
  method: string;
  path: string;
  status: number;
  type: string;
  body: unknown;
  /** Sets a response header (Koa's `ctx.set`); used for `Connection: close` after a body timeout. */
  set(field: string, value: string): void;
}

/** The adapter options, plus an optional path to answer on. */
export interface KoaMiddlewareOptions<C, Tx = undefined> extends NotifyAdapterOptions<C, Tx> {
  /** Answer only `POST` requests to this path and pass others on; without it, answer every request (for use under a router). */
  path?: string;
}

// Mounting first works with every parser: koa-body has no per-request switch (only
// koa-bodyparser and @koa/bodyparser read ctx.disableBodyParser), and Egg.js and Midway mount
// their koa-bodyparser ahead of application middleware (https://www.eggjs.org/basics/middleware,
// https://midwayjs.org/docs/middleware).
const KOA_HINT =
  "use the Alipay middleware before the body parser: app.use(createKoaMiddleware({ path: '/alipay/notify', ... })) above app.use(bodyParser()) / app.use(koaBody()) " +
  '(koa-body ignores ctx.disableBodyParser); on Egg.js, add the notify path to config.bodyParser.ignore and config.security.csrf.ignore; ' +
  'on Midway, mount it with insertMiddlewareFirst(app, middleware)';

/**
 * Options resolved on the first request, with the path known at setup: routing cannot wait for
 * the options, or a broken configuration would answer every route of the app.
 *
 * @example
 * ```ts
 * app.use(createKoaMiddleware({ path: '/alipay/notify', options: () => ({ alipayPublicKey: process.env.ALIPAY_PUBLIC_KEY!, appId, onRefund, onNotification: 'acknowledge' }) }));
 * ```
 */
export interface KoaLazyMiddlewareOptions<C, Tx = undefined> {
  /** As {@link KoaMiddlewareOptions.path}. */
  path?: string;
  /** Returns the adapter options; see {@link NotifyOptionsSource}. */
  options: () => NotifyAdapterOptions<C, Tx>;
}

/**
 * What `createKoaMiddleware` accepts: options with `path`, options resolved on the first request
 * (`{ path, options: () => … }`), or a function returning the options (then mount it on a route).
 *
 * @example
 * ```ts
 * const input: KoaOptionsInput<Koa.Context> = { path: '/alipay/notify', options: () => loadOptions() };
 * ```
 */
export type KoaOptionsInput<C, Tx = undefined> =
  KoaMiddlewareOptions<C, Tx> | KoaLazyMiddlewareOptions<C, Tx> | (() => NotifyAdapterOptions<C, Tx>);

/** Builds the core of a bare options function, whose result must not carry a path. */
function withoutPath<C, Tx>(options: NotifyAdapterOptions<C, Tx>): NotifyRequestHandler<C> {
  if ((options as Partial<KoaMiddlewareOptions<C, Tx>> | null)?.path !== undefined) {
    throw new NotifyConfigError(
      'path',
      'give the path outside the options function: createKoaMiddleware({ path, options: () => ({ … }) })',
    );
  }
  return createNotifyRequestHandler(options);
}

function lookupFor<C, Tx>(
  options: KoaOptionsInput<C, Tx>,
): { path: string | undefined; lookup: NotifyHandlerLookup<C> } {
  if (typeof options === 'function')
    return { path: undefined, lookup: notifyHandlerSource<C, Tx>(options, withoutPath) };
  const lazy = (options as Partial<KoaLazyMiddlewareOptions<C, Tx>> | null)?.options;
  if (typeof lazy === 'function') return { path: options.path, lookup: notifyHandlerSource<C, Tx>(lazy) };
  return { path: options?.path, lookup: notifyHandlerSource<C, Tx>(options as KoaMiddlewareOptions<C, Tx>) };
}

/**
 * Creates a Koa middleware for Alipay's notifications: it reads the raw body from `ctx.req`
 * (or reuses a `Buffer` in `ctx.request.rawBody` / `ctx.request.body`), verifies it, runs
 * `onRefund` once per `notify_id`, and answers `success` only after it resolved, `fail` otherwise.
 *
 * The options may be resolved on the first request instead of at setup (see
 * {@link NotifyOptionsSource}): pass `{ path, options: () => ({ … }) }`, or, under a router, just
 * `() => ({ … })`.
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
  options: KoaOptionsInput<C, Tx>,
): (ctx: C, next: () => Promise<unknown>) => Promise<void> {
  const { path, lookup } = lookupFor(options);
  const respond = createNotifyResponder(lookup, (ctx, { limit, timeoutMs }) => {
    const { rawBody, body: parsed } = ctx.request;
    return readNodeBody(ctx.req, { limit, captured: [rawBody, parsed], hint: KOA_HINT, timeoutMs });
  });
  return async (ctx, next) => {
    if (path !== undefined && (ctx.path !== path || ctx.method !== 'POST')) {
      await next();
      return;
    }
    const reply = await respond(ctx);
    ctx.status = reply.status;
    ctx.type = REPLY_CONTENT_TYPE;
    ctx.body = reply.body;
    if (reply.close) ctx.set('Connection', 'close');
  };
}
