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
import { AlipayNotifyError } from '../errors.js';
import type { NotifyAdapterOptions } from './adapter-options.js';
import { createNotifyRequestHandler } from './handle-notify-request.js';
import { readNodeBody } from './read-node-body.js';
import { REPLY_CONTENT_TYPE } from './reply-to-alipay.js';

export type { NotifyAdapterOptions, NotifyContext, NotifyErrorContext, NotifyHandler, NonRefundNotification } from './adapter-options.js';
export { NotifyAdapterError } from './notify-adapter-error.js';
export type { NotifyAdapterErrorCode } from './notify-adapter-error.js';

/** What the handler reads of Express's request: a Node request, maybe with a captured body. */
export interface ExpressRequestLike extends IncomingMessage {
  body?: unknown;
  rawBody?: unknown;
}

const EXPRESS_HINT =
  'register the Alipay route before app.use(express.urlencoded()) / app.use(express.json()), ' +
  'or keep the raw bytes with express.urlencoded({ verify: (req, _res, buf) => { req.rawBody = buf; } })';

/**
 * Creates an Express request handler for Alipay's notifications: it reads the raw body itself
 * (or reuses a `Buffer` in `req.rawBody` / `req.body`), verifies it, runs `onRefund` once per
 * `notify_id`, and answers `success` only after it resolved, `fail` otherwise.
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
  options: NotifyAdapterOptions<R, Tx>,
): (req: R, res: ServerResponse, next?: unknown) => Promise<void> {
  const core = createNotifyRequestHandler(options);
  return async (req, res) => {
    const body = await readNodeBody(req, { limit: core.maxBodyBytes, captured: [req.rawBody, req.body], hint: EXPRESS_HINT }).catch(
      (err: AlipayNotifyError) => err,
    );
    const reply = await core.handle(body, req);
    if (res.headersSent) return;
    res.statusCode = reply.status;
    res.setHeader('Content-Type', REPLY_CONTENT_TYPE);
    res.setHeader('Content-Length', reply.body.length);
    res.end(reply.body);
  };
}
