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
import { AlipayNotifyError, NotifyConfigError } from '../errors/index.js';
import { asBodyReadError } from './create-notify-responder.js';
import type { NotifyAdapterOptions, NotifyOptionsSource } from './adapter-options.js';
import type { NotifyRequestHandler } from './handle-notify-request.js';
import { notifyHandlerSource, type NotifyHandlerLookup } from './notify-handler-source.js';
import { readNodeBody } from './read-node-body.js';
import { REPLY_CONTENT_TYPE, type AlipayReply } from './reply-to-alipay.js';

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
  addContentTypeParser(
    contentType: string,
    parser: (request: unknown, payload: Readable, done: (err: Error | null, body?: unknown) => void) => void,
  ): void;
  post(path: string, handler: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>): unknown;
}

/** The plugin's options: the adapter options plus the route's path. */
export interface FastifyNotifyOptions<Tx = undefined> extends NotifyAdapterOptions<FastifyRequestLike, Tx> {
  /** The notification route, e.g. `'/alipay/notify'` (the path of your `notify_url`). */
  path: string;
}

/**
 * The plugin's options with the adapter options resolved on the first request (see
 * {@link NotifyOptionsSource}). A property, because a function given as `register`'s options is
 * called by Fastify itself at registration (https://fastify.dev/docs/latest/Reference/Plugins/#plugin-options).
 *
 * @example
 * ```ts
 * await app.register(alipayRefundNotifyPlugin, {
 *   path: '/alipay/notify',
 *   options: () => ({ alipayPublicKey: process.env.ALIPAY_PUBLIC_KEY!, appId, onRefund, onNotification: 'acknowledge' }),
 * });
 * ```
 */
export interface FastifyLazyNotifyOptions<Tx = undefined> {
  /** As {@link FastifyNotifyOptions.path}: routes are registered at setup. */
  path: string;
  /** Returns the adapter options. */
  options: () => NotifyAdapterOptions<FastifyRequestLike, Tx>;
}

/** What the raw-body parser hands the route: the bytes, the error reading them, or a config failure. */
class UnresolvedOptions {
  constructor(readonly reply: AlipayReply) {}
}

function sourceOf<Tx>(
  options: FastifyNotifyOptions<Tx> | FastifyLazyNotifyOptions<Tx>,
): NotifyOptionsSource<NotifyAdapterOptions<FastifyRequestLike, Tx>> {
  const lazy = (options as Partial<FastifyLazyNotifyOptions<Tx>>).options;
  return typeof lazy === 'function' ? lazy : (options as FastifyNotifyOptions<Tx>);
}

/**
 * An encapsulated Fastify plugin that registers `POST path` for Alipay's notifications. Inside its
 * own scope it replaces every body parser with one that keeps the raw bytes (bounded by
 * `maxBodyBytes`, whatever the `Content-Type`, Alipay sends `application/x-www-form-urlencoded; text/html; charset=…`), so `@fastify/formbody` or any
 * parser elsewhere in the app is neither needed nor disturbed. `success` is answered only after
 * `onRefund` resolved, `fail` otherwise. To resolve the options on the first request instead of
 * at registration, pass `{ path, options: () => ({ … }) }`.
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
// Fastify infers a plugin's options type from the plugin itself, where a type parameter becomes
// `unknown` and would refuse every handler typed for another store; `ctx.tx` cannot be inferred
// through `app.register` anyway, so the plugin takes options of any transaction type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyTx = any;

export function alipayRefundNotifyPlugin(
  instance: FastifyInstanceLike,
  options: FastifyNotifyOptions<AnyTx> | FastifyLazyNotifyOptions<AnyTx>,
  done: (err?: Error) => void,
): void {
  let lookup: NotifyHandlerLookup<FastifyRequestLike>;
  try {
    if (typeof options?.path !== 'string' || !options.path.startsWith('/'))
      throw new NotifyConfigError('path', "required, e.g. '/alipay/notify'");
    lookup = notifyHandlerSource<FastifyRequestLike, AnyTx>(sourceOf(options));
  } catch (err) {
    done(err as Error);
    return;
  }
  // Not wrapped in fastify-plugin: this scope's parser must not leak to the rest of the app.
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser('*', (request, payload, parsed) => {
    const core = lookup(request as FastifyRequestLike);
    if (!('handle' in core)) {
      parsed(null, new UnresolvedOptions(core));
      return;
    }
    readNodeBody(payload, { limit: core.maxBodyBytes, timeoutMs: core.bodyTimeoutMs }).then(
      (raw) => parsed(null, raw),
      (err: unknown) => parsed(null, asBodyReadError(err)),
    );
  });
  const answer = async (
    core: NotifyRequestHandler<FastifyRequestLike>,
    request: FastifyRequestLike,
  ): Promise<AlipayReply> => {
    const { body } = request;
    const input = body instanceof Uint8Array || body instanceof AlipayNotifyError ? body : Buffer.alloc(0);
    return core.handle(input, request);
  };
  instance.post(options.path, async (request, reply) => {
    // A config failure the parser met is answered as it is, rather than resolved (and reported) twice.
    const core = request.body instanceof UnresolvedOptions ? request.body.reply : lookup(request);
    const result = 'handle' in core ? await answer(core, request) : core;
    if (result.close) reply.header('connection', 'close');
    return reply.code(result.status).header('content-type', REPLY_CONTENT_TYPE).send(result.body);
  });
  done();
}
