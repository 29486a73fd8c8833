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
import { createNotifyResponder } from './create-notify-responder.js';
import type { NotifyAdapterOptions, NotifyOptionsSource } from './adapter-options.js';
import { notifyHandlerSource } from './notify-handler-source.js';
import { readWebBody } from './read-web-body.js';
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
 * Creates a `(request: Request) => Promise<Response>` handler for Alipay's notifications: it reads
 * the raw body (bounded), verifies it, runs `onRefund` once per `notify_id`, and answers `success`
 * only after it resolved, `fail` otherwise.
 *
 * Give the options as a function to resolve them on the first request rather than at import
 * (see {@link NotifyOptionsSource}): `next build` then works without keys in the environment.
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
export function createFetchHandler<Tx = undefined>(
  options: NotifyOptionsSource<NotifyAdapterOptions<Request, Tx>>,
): (request: Request) => Promise<Response> {
  const respond = createNotifyResponder(notifyHandlerSource<Request, Tx>(options), (request, { limit, timeoutMs }) =>
    readWebBody(request, limit, timeoutMs),
  );
  return async (request) => {
    const reply = await respond(request);
    const headers: Record<string, string> = { 'content-type': REPLY_CONTENT_TYPE };
    if (reply.close) headers['connection'] = 'close';
    return new Response(reply.body, { status: reply.status, headers });
  };
}
