/**
 * The Fastify plugin (Fastify 4 and 5). Importable from `alipay-refund-notify/fastify`; Fastify
 * itself is never imported.
 *
 * @example
 * ```ts
 * import { alipayRefundNotifyPlugin } from 'alipay-refund-notify/fastify';
 * await app.register(alipayRefundNotifyPlugin, { path: '/alipay/notify', alipayPublicKey, appId, onRefund, onNotification: 'acknowledge' });
 * ```
 * @packageDocumentation
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { AlipayNotifyError, NotifyConfigError } from '../errors.js';
import type { NotifyAdapterOptions } from './adapter-options.js';
import { createNotifyRequestHandler } from './handle-notify-request.js';
import { readNodeBody } from './read-node-body.js';
import { REPLY_CONTENT_TYPE } from './reply-to-alipay.js';

export type { NotifyAdapterOptions, NotifyContext, NotifyErrorContext, NotifyHandler, NonRefundNotification } from './adapter-options.js';
export { NotifyAdapterError } from './notify-adapter-error.js';
export type { NotifyAdapterErrorCode } from './notify-adapter-error.js';

/** What the plugin reads of Fastify's request. */
export interface FastifyRequestLike {
  readonly body: unknown;
  readonly raw: IncomingMessage;
}

/** What the plugin calls on Fastify's reply. */
export interface FastifyReplyLike {
  code(statusCode: number): FastifyReplyLike;
  header(name: string, value: string): FastifyReplyLike;
  send(payload: string): FastifyReplyLike;
}

/** What the plugin calls on the (encapsulated) Fastify instance it is registered in. */
export interface FastifyInstanceLike {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(contentType: string, parser: (request: unknown, payload: Readable, done: (err: Error | null, body?: unknown) => void) => void): void;
  post(path: string, handler: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>): unknown;
}

/** The plugin's options: the adapter options plus the route's path. */
export interface FastifyNotifyOptions<Tx = undefined> extends NotifyAdapterOptions<FastifyRequestLike, Tx> {
  /** The notification route, e.g. `'/alipay/notify'` (the path of your `notify_url`). */
  path: string;
}

/**
 * An encapsulated Fastify plugin that registers `POST path` for Alipay's notifications. Inside its
 * own scope it replaces every body parser with one that keeps the raw bytes (bounded by
 * `maxBodyBytes`, whatever the `Content-Type`, PROTOCOL §1.1), so `@fastify/formbody` or any
 * parser elsewhere in the app is neither needed nor disturbed. `success` is answered only after
 * `onRefund` resolved, `fail` otherwise.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { alipayRefundNotifyPlugin } from 'alipay-refund-notify/fastify';
 * const app = Fastify();
 * await app.register(alipayRefundNotifyPlugin, {
 *   path: '/alipay/notify',
 *   alipayPublicKey: process.env.ALIPAY_PUBLIC_KEY!,
 *   appId: '2021000000000000',
 *   onRefund: async (refund) => { await db.recordRefund(refund); },
 *   onNotification: 'acknowledge',
 * });
 * ```
 */
export function alipayRefundNotifyPlugin<Tx = undefined>(instance: FastifyInstanceLike, options: FastifyNotifyOptions<Tx>, done: (err?: Error) => void): void {
  let core: ReturnType<typeof createNotifyRequestHandler<FastifyRequestLike>>;
  try {
    if (typeof options?.path !== 'string' || !options.path.startsWith('/')) throw new NotifyConfigError('path', "required, e.g. '/alipay/notify'");
    core = createNotifyRequestHandler(options);
  } catch (err) {
    done(err as Error);
    return;
  }
  const { maxBodyBytes } = core;
  // Not wrapped in fastify-plugin: this scope's parser must not leak to the rest of the app.
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser('*', (_request, payload, parsed) => {
    readNodeBody(payload, { limit: maxBodyBytes }).then(
      (raw) => parsed(null, raw),
      (err: AlipayNotifyError) => parsed(null, err),
    );
  });
  instance.post(options.path, async (request, reply) => {
    const { body } = request;
    const input = body instanceof Uint8Array || body instanceof AlipayNotifyError ? body : Buffer.alloc(0);
    const answer = await core.handle(input, request);
    return reply.code(answer.status).header('content-type', REPLY_CONTENT_TYPE).send(answer.body);
  });
  done();
}
