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
import type { NotifyAdapterOptions, NotifyOptionsSource } from './adapter-options.js';
import { notifyHandlerSource } from './notify-handler-source.js';
import { readEventBody, type ServerlessHttpEvent } from './read-event-body.js';
import { REPLY_CONTENT_TYPE, type AlipayReply } from './reply-to-alipay.js';

export type {
  NotifyAdapterOptions,
  NotifyContext,
  NotifyErrorContext,
  NotifyHandler,
  NonRefundNotification,
} from './adapter-options.js';
export { NotifyAdapterError } from '../errors/index.js';
export type { NotifyAdapterErrorCode } from '../errors/index.js';
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
 * The options may be a function returning them, called on the first invocation (so that a build
 * or a cold start without secrets does not fail at import).
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
export function createServerlessHandler<Tx = undefined>(
  options: NotifyOptionsSource<NotifyAdapterOptions<ServerlessHttpEvent, Tx>>,
): (event: ServerlessHttpEvent | Uint8Array | string, context?: unknown) => Promise<ServerlessHttpResponse> {
  const lookup = notifyHandlerSource<ServerlessHttpEvent, Tx>(options);
  const respond = (reply: AlipayReply): ServerlessHttpResponse => ({
    statusCode: reply.status,
    headers: { 'content-type': REPLY_CONTENT_TYPE },
    body: reply.body,
    isBase64Encoded: false,
  });
  return async (input) => {
    // Options given as a function are resolved before the event is read (the body limit is one of
    // them); a configuration error is reported with the event as it came.
    const core = lookup(input as ServerlessHttpEvent);
    if (!('handle' in core)) return respond(core);
    const { event, body } = readEventBody(input, core.maxBodyBytes);
    return respond(await core.handle(body, event));
  };
}
