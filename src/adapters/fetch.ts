/**
 * The Fetch API adapter: Next.js route handlers, Hono, Bun, Deno and other `Request` → `Response`
 * servers. Importable from `alipay-refund-notify/fetch`.
 *
 * @example
 * ```ts
 * import { createFetchHandler } from 'alipay-refund-notify/fetch';
 * export const POST = createFetchHandler({ alipayPublicKey, appId, onRefund, onNotification: 'acknowledge' });
 * ```
 * @packageDocumentation
 */
import { AlipayNotifyError } from '../errors.js';
import type { NotifyAdapterOptions } from './adapter-options.js';
import { createNotifyRequestHandler } from './handle-notify-request.js';
import { readWebBody } from './read-web-body.js';
import { REPLY_CONTENT_TYPE } from './reply-to-alipay.js';

export type { NotifyAdapterOptions, NotifyContext, NotifyErrorContext, NotifyHandler, NonRefundNotification } from './adapter-options.js';
export { NotifyAdapterError } from './notify-adapter-error.js';
export type { NotifyAdapterErrorCode } from './notify-adapter-error.js';

/**
 * Creates a `(request: Request) => Promise<Response>` handler for Alipay's notifications: it reads
 * the raw body (bounded), verifies it, runs `onRefund` once per `notify_id`, and answers `success`
 * only after it resolved, `fail` otherwise.
 *
 * @example
 * ```ts
 * // app/alipay/notify/route.ts (Next.js)
 * import { createFetchHandler } from 'alipay-refund-notify/fetch';
 * export const POST = createFetchHandler({
 *   alipayPublicKey: process.env.ALIPAY_PUBLIC_KEY!,
 *   appId: '2021000000000000',
 *   onRefund: async (refund) => { await db.recordRefund(refund); },
 *   onNotification: 'acknowledge',
 * });
 * ```
 */
export function createFetchHandler<Tx = undefined>(options: NotifyAdapterOptions<Request, Tx>): (request: Request) => Promise<Response> {
  const core = createNotifyRequestHandler(options);
  return async (request) => {
    const body = await readWebBody(request, core.maxBodyBytes).catch((err: AlipayNotifyError) => err);
    const reply = await core.handle(body, request);
    return new Response(reply.body, { status: reply.status, headers: { 'content-type': REPLY_CONTENT_TYPE } });
  };
}
