import type { AlipayNotifyError } from '../errors/index.js';
import type { NotifyAdapterOptions, NotifyErrorContext, NotifyLogDetails, NotifyLogger } from './adapter-options.js';

/**
 * Reports one problem: to `onError` when given, else to the logger. Never throws, never rejects.
 *
 * @example
 * ```ts
 * const report: ReportNotifyError<Request> = createNotifyErrorReporter({ logger: console });
 * ```
 */
export type ReportNotifyError<R> = (error: AlipayNotifyError, context: NotifyErrorContext<R>) => void;

/**
 * Whether `value` can be used as a logger: an object with an `error` method.
 *
 * @example
 * ```ts
 * isNotifyLogger(console); // true
 * ```
 */
export function isNotifyLogger(value: unknown): value is NotifyLogger {
  return typeof value === 'object' && value !== null && typeof (value as { error?: unknown }).error === 'function';
}

function describe(error: AlipayNotifyError, status: number | undefined): string {
  const answer =
    status === undefined
      ? 'after the answer was sent'
      : status === 200
        ? 'answered 200 success'
        : `answered ${status} fail`;
  return `alipay-refund-notify: ${error.code} (${answer}): ${error.message}`;
}

function details(error: AlipayNotifyError, context: NotifyErrorContext<unknown>, err: unknown): NotifyLogDetails {
  const own = (error as { notifyId?: unknown }).notifyId;
  return { code: error.code, notifyId: typeof own === 'string' ? own : context.notifyId, status: context.status, err };
}

/**
 * Builds the reporter of an adapter from its options, leniently: an `onError` that is not a
 * function is ignored and a `logger` that is not one falls back to `console`, so that even options
 * that failed validation can report their own `ERR_CONFIG`.
 *
 * A rejected promise from an async `onError` is caught here: left unhandled, it would end the
 * process (Node's default `--unhandled-rejections=throw`), so one bad request could take the
 * server down.
 *
 * @example
 * ```ts
 * const report = createNotifyErrorReporter({ onError, logger: pino() });
 * report(error, { status: 400, notification: undefined, notifyId: undefined, rawBody, request });
 * ```
 */
export function createNotifyErrorReporter<R>(
  options: Partial<Pick<NotifyAdapterOptions<R>, 'onError' | 'logger'>> | undefined,
): ReportNotifyError<R> {
  const onError = typeof options?.onError === 'function' ? options.onError : undefined;
  const given = options?.logger;
  const logger: NotifyLogger | undefined = given === false ? undefined : isNotifyLogger(given) ? given : console;

  const log = (
    error: AlipayNotifyError,
    context: NotifyErrorContext<R>,
    onErrorFailure?: { failure: unknown },
  ): void => {
    if (logger === undefined) return;
    try {
      if (onErrorFailure === undefined)
        logger.error(details(error, context, error.cause), describe(error, context.status));
      else
        logger.error(
          details(error, context, onErrorFailure.failure),
          `${describe(error, context.status)} [onError failed while reporting it]`,
        );
    } catch {
      // A failing logger must not change what Alipay is told.
    }
  };

  return (error, context) => {
    if (onError === undefined) {
      log(error, context);
      return;
    }
    try {
      const result = onError(error, context);
      if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
        Promise.resolve(result).catch((failure: unknown) => log(error, context, { failure }));
      }
    } catch (failure) {
      log(error, context, { failure });
    }
  };
}
