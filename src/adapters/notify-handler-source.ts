import { AlipayNotifyError, NotifyConfigError } from '../errors/index.js';
import type { NotifyAdapterOptions, NotifyOptionsSource } from './adapter-options.js';
import { createNotifyRequestHandler, type NotifyRequestHandler } from './handle-notify-request.js';
import { replyFor, type AlipayReply } from './reply-to-alipay.js';
import { createNotifyErrorReporter } from './report-notify-error.js';

/**
 * The core for this request, or the `fail` to answer when the options could not be resolved.
 *
 * @example
 * ```ts
 * const core = lookup(request);
 * const reply = 'handle' in core ? await core.handle(rawBody, request) : core;
 * ```
 */
export type NotifyHandlerLookup<R> = (request: R) => NotifyRequestHandler<R> | AlipayReply;

/** The one way options can fail: `ERR_CONFIG`, whatever the options function threw. */
function asConfigError(err: unknown): AlipayNotifyError {
  if (err instanceof AlipayNotifyError && err.code === 'ERR_CONFIG') return err;
  return new NotifyConfigError('options', 'the options function threw', { cause: err });
}

/**
 * Turns an adapter's options into its core. Options given as an object are checked now, so that a
 * bad one throws `ERR_CONFIG` at setup. Options given as a function are resolved on the first
 * request and the core is kept; while the function throws (or returns bad options) each request
 * is answered `500 fail` with the `ERR_CONFIG` reported (to the returned options' `onError` or
 * `logger` when they can be used, else to `console`), and the next request tries again.
 *
 * @example
 * ```ts
 * const lookup = notifyHandlerSource(() => ({ alipayPublicKey: process.env.ALIPAY_PUBLIC_KEY!, appId, onRefund, onNotification: 'retry' }));
 * const core = lookup(request);
 * if ('handle' in core) await core.handle(rawBody, request);
 * ```
 */
export function notifyHandlerSource<
  R,
  Tx = undefined,
  O extends NotifyAdapterOptions<R, Tx> = NotifyAdapterOptions<R, Tx>,
>(
  source: NotifyOptionsSource<O>,
  build: (options: O) => NotifyRequestHandler<R> = createNotifyRequestHandler,
): NotifyHandlerLookup<R> {
  if (typeof source !== 'function') {
    const core = build(source);
    return () => core;
  }
  let core: NotifyRequestHandler<R> | undefined;
  return (request) => {
    if (core !== undefined) return core;
    let options: O | undefined;
    try {
      options = source();
      core = build(options);
      return core;
    } catch (err) {
      const error = asConfigError(err);
      const reply = replyFor(error.code);
      const lenient = typeof options === 'object' && options !== null ? options : undefined;
      createNotifyErrorReporter<R>(lenient)(error, {
        status: reply.status,
        notification: undefined,
        notifyId: undefined,
        rawBody: undefined,
        request,
      });
      return reply;
    }
  };
}
