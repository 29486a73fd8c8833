/**
 * The Express adapter (Express 4 and 5). Importable from `alipay-refund-notify/express`; Express
 * itself is never imported.
 *
 * @example
 * ```ts
 * import { createExpressHandler } from 'alipay-refund-notify/express';
 * app.post('/alipay/notify', createExpressHandler({ alipayPublicKey, appId, onRefund, onNotification: 'acknowledge' }));
 * ```
 * @packageDocumentation
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createNotifyResponder } from './create-notify-responder.js';
import type { NotifyAdapterOptions, NotifyOptionsSource } from './adapter-options.js';
import { notifyHandlerSource } from './notify-handler-source.js';
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

/**
 * What the handler reads of Express's request: a Node request, maybe with a captured body.
 *
 * An intersection, not an interface extending `IncomingMessage`: body parsers' typings
 * (`@koa/bodyparser`, `koa-body`) add their own `rawBody: string` and `body` to every
 * `IncomingMessage`, which an interface redeclaring those fields would contradict (TS2430 in an
 * app compiled with `skipLibCheck: false`); an intersection keeps whatever they declare.
 *
 * @example
 * ```ts
 * import type { ExpressRequestLike } from 'alipay-refund-notify/express';
 * const captured = (req: ExpressRequestLike): unknown => req.rawBody ?? req.body;
 * ```
 */
export type ExpressRequestLike = IncomingMessage & {
  body?: unknown;
  rawBody?: unknown;
};

// Mounting first is the only fix that also works for GBK: body-parser 2 (Express 5, NestJS) answers
// 415 to `charset=GBK` before any later handler runs, so a parser's `verify` keeping req.rawBody is
// no fix (https://github.com/expressjs/body-parser#errors, "unsupported charset").
const EXPRESS_HINT =
  "mount the Alipay handler before every body parser: app.post('/alipay/notify', handler) above app.use(express.urlencoded()) / app.use(express.json()); " +
  "on NestJS, app.use('/alipay/notify', handler) before app.listen(). Keeping req.rawBody with a parser's verify option is no fix: " +
  'body-parser 2 answers 415 to GBK notifications before the adapter runs';

/**
 * Creates an Express request handler for Alipay's notifications: it reads the raw body itself
 * (or reuses a `Buffer` in `req.rawBody` / `req.body`), verifies it, runs `onRefund` once per
 * `notify_id`, and answers `success` only after it resolved, `fail` otherwise.
 *
 * The options may be given as a function, called on the first request rather than at setup
 * (see {@link NotifyOptionsSource}).
 *
 * @example
 * ```ts
 * import express from 'express';
 * import { createExpressHandler } from 'alipay-refund-notify/express';
 * const app = express();
 * app.post('/alipay/notify', createExpressHandler({
 *   alipayPublicKey: process.env.ALIPAY_PUBLIC_KEY!,
 *   appId: '2021000000000000',
 *   onRefund: async (refund) => { await db.recordRefund(refund); },
 *   onNotification: async (payment) => { await db.recordPayment(payment); },
 * }));
 * ```
 */
export function createExpressHandler<R extends ExpressRequestLike = ExpressRequestLike, Tx = undefined>(
  options: NotifyOptionsSource<NotifyAdapterOptions<R, Tx>>,
): (req: R, res: ServerResponse, next?: unknown) => Promise<void> {
  const respond = createNotifyResponder(notifyHandlerSource<R, Tx>(options), (req, { limit, timeoutMs }) =>
    readNodeBody(req, { limit, captured: [req.rawBody, req.body], hint: EXPRESS_HINT, timeoutMs }),
  );
  return async (req, res) => {
    const reply = await respond(req);
    if (res.headersSent) return;
    res.statusCode = reply.status;
    res.setHeader('Content-Type', REPLY_CONTENT_TYPE);
    res.setHeader('Content-Length', reply.body.length);
    if (reply.close) res.setHeader('Connection', 'close');
    res.end(reply.body);
  };
}
