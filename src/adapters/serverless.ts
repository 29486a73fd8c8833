/**
 * The serverless adapter: AWS Lambda (function URLs, API Gateway HTTP and REST APIs) and Alibaba
 * Cloud Function Compute 3.0 HTTP triggers, whose handlers get the request as an event object
 * (the body a string, base64-encoded when `isBase64Encoded`) and return the response as one.
 * Importable from `alipay-refund-notify/serverless`.
 *
 * @example
 * ```ts
 * import { createServerlessHandler } from 'alipay-refund-notify/serverless';
 * export const handler = createServerlessHandler({ alipayPublicKey, appId, onRefund, onNotification: 'acknowledge' });
 * ```
 * @packageDocumentation
 */
import type { NotifyAdapterOptions } from './adapter-options.js';
import { createNotifyRequestHandler } from './handle-notify-request.js';
import { readEventBody, type ServerlessHttpEvent } from './read-event-body.js';
import { REPLY_CONTENT_TYPE } from './reply-to-alipay.js';

export type { NotifyAdapterOptions, NotifyContext, NotifyErrorContext, NotifyHandler, NonRefundNotification } from './adapter-options.js';
export { NotifyAdapterError } from './notify-adapter-error.js';
export type { NotifyAdapterErrorCode } from './notify-adapter-error.js';
export type { ServerlessHttpEvent } from './read-event-body.js';

/**
 * What the handler returns: the response shape Lambda (payload 1.0 and 2.0) and Function Compute
 * map to an HTTP response. `body` is exactly `success` or `fail`.
 */
export interface ServerlessHttpResponse {
  statusCode: number;
  headers: { 'content-type': string };
  body: 'success' | 'fail';
  isBase64Encoded: false;
}

/**
 * Creates an `async (event) => response` function handler for Alipay's notifications: it takes
 * the raw body from the event (decoding base64 when `isBase64Encoded`), verifies it, runs
 * `onRefund` once per `notify_id`, and returns `success` only after it resolved, `fail`
 * otherwise. The event may be the object Lambda passes, or the JSON `Buffer` (or string)
 * Function Compute passes; handlers get the parsed event as `context.request`.
 *
 * Duplicates are suppressed per instance by default (in memory): several instances run at once,
 * so give a shared `store` (`alipay-refund-notify/redis`) to suppress them across instances.
 *
 * @example
 * ```ts
 * // AWS Lambda (function URL or API Gateway) — and the same for Function Compute 3.0 with an HTTP trigger
 * import { createServerlessHandler } from 'alipay-refund-notify/serverless';
 * export const handler = createServerlessHandler({
 *   alipayPublicKey: process.env.ALIPAY_PUBLIC_KEY!,
 *   appId: '2021000000000000',
 *   onRefund: async (refund) => { await db.recordRefund(refund); },
 *   onNotification: 'acknowledge',
 * });
 * ```
 */
export function createServerlessHandler(
  options: NotifyAdapterOptions<ServerlessHttpEvent>,
): (event: ServerlessHttpEvent | Uint8Array | string, context?: unknown) => Promise<ServerlessHttpResponse> {
  const core = createNotifyRequestHandler(options);
  return async (input) => {
    const { event, body } = readEventBody(input, core.maxBodyBytes);
    const reply = await core.handle(body, event);
    return { statusCode: reply.status, headers: { 'content-type': REPLY_CONTENT_TYPE }, body: reply.body, isBase64Encoded: false };
  };
}
