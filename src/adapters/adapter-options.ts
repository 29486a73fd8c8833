import type { AlipayNotifyError } from '../errors/index.js';
import type { DuplicateStore } from '../store/duplicate-store.js';
import type { NotifyInbox } from './notify-inbox.js';
import type { AlipayNotification, NonRefundNotification, RefundNotification } from '../types.js';
import type { NotifyVerifierOptions } from '../verifier/resolve-options.js';

export type { NonRefundNotification } from '../types.js';

/**
 * What a handler gets besides the notification. `R` is the framework's request (or Koa context);
 * `Tx` is the inbox's transaction handle (`ctx.tx`), `undefined` with other stores.
 */
export interface NotifyContext<R = unknown, Tx = undefined> {
  /** The notification's `notify_id`: the same on every retry (https://opendocs.alipay.com/open/270/105902). */
  readonly notifyId: string;
  /** The exact bytes that arrived, for an audit log. */
  readonly rawBody: Buffer;
  /** Aborted when `handlerTimeoutMs` passes: stop work you can stop, Alipay is told `fail`. */
  readonly signal: AbortSignal;
  /** The framework's request object (the Koa context for Koa). */
  readonly request: R;
  /**
   * With an inbox as `store` (`createPostgresInbox`, `createMysqlInbox`): the open transaction's
   * connection. Write the refund through it, and it commits together with the inbox row.
   */
  readonly tx: Tx;
}

/** A handler: resolve once the notification is durably recorded; throw to have Alipay retry. */
export type NotifyHandler<N, R = unknown, Tx = undefined> = (notification: N, context: NotifyContext<R, Tx>) => unknown;

/** What `onError` gets besides the error. */
export interface NotifyErrorContext<R = unknown> {
  /** The HTTP status answered; undefined when reported after the answer (a late handler). */
  readonly status: number | undefined;
  /** The verified notification, when the error came after verification. */
  readonly notification: AlipayNotification | undefined;
  /** The notification's `notify_id`, once it verified (also on `NotifyAdapterError`s as `notifyId`). */
  readonly notifyId: string | undefined;
  /**
   * The bytes of the body exactly as received, for `diagnoseNotify(context.rawBody, options)` or
   * an audit log; undefined when no body could be read (too large, cut off, too slow, consumed by
   * a body parser, or the options could not be resolved).
   */
  readonly rawBody: Buffer | undefined;
  /** The framework's request object (the Koa context for Koa). */
  readonly request: R;
}

/**
 * What the adapters log for each problem when no `onError` is given: one call, one object.
 *
 * @example
 * ```ts
 * const logger: NotifyLogger = {
 *   error: ({ code, notifyId, status, err }, message) => metrics.count(code, { status }),
 * };
 * ```
 */
export interface NotifyLogDetails {
  /** The error's stable code, e.g. `'ERR_SIGNATURE_INVALID'`. */
  readonly code: string;
  /** The notification's `notify_id`, once it verified. */
  readonly notifyId: string | undefined;
  /** The HTTP status answered; undefined when the problem came after the answer. */
  readonly status: number | undefined;
  /**
   * The cause: what your handler threw, the store's error, or (when `onError` itself failed)
   * what `onError` threw; undefined for a request that simply did not verify. Named `err` because
   * pino serializes that key as an error (message, stack, causes); under another key an `Error`
   * would be logged as `{}`.
   */
  readonly err: unknown;
}

/**
 * Where the adapters log when no `onError` is given (or when `onError` itself fails): `console`
 * (the default) or a pino-style logger. Both read well with the one call the adapters make,
 * `logger.error({ code, notifyId, status, err }, 'alipay-refund-notify: ERR_… (answered 400 fail): …')`:
 * pino takes the object as the line's fields and the string as its message (`logger.error(obj, msg)`),
 * `console.error` prints the object, then the message. The message never contains the
 * notification's content.
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * const options = { ...adapterOptions, logger: pino() }; // or app.log in Fastify, or console
 * ```
 */
export interface NotifyLogger {
  error(details: NotifyLogDetails, message: string): void;
}

/**
 * Adapter options, or a function that returns them. The function is called on the first request
 * (not at setup, so that `next build` works without keys in the environment); its result is kept.
 * While it throws, or returns options that are not valid, each request is answered `500 fail` and
 * the `ERR_CONFIG` is reported, and the next request calls it again.
 *
 * @example
 * ```ts
 * export const POST = createFetchHandler(() => ({
 *   alipayPublicKey: process.env.ALIPAY_PUBLIC_KEY!,
 *   appId: process.env.ALIPAY_APP_ID!,
 *   onRefund,
 *   onNotification: 'acknowledge',
 * }));
 * ```
 */
export type NotifyOptionsSource<O> = O | (() => O);

/**
 * Options of every adapter: the verifier's options plus what to do with verified notifications.
 *
 * Payments and refunds arrive at the same `notify_url` (https://opendocs.alipay.com/open/203/105286), so `onNotification` is
 * required: a handler for the other kinds, or an explicit `'acknowledge'` (answer `success`
 * without handling them) or `'retry'` (answer `fail`, and Alipay resends for about 25 hours).
 *
 * @example
 * ```ts
 * const options: NotifyAdapterOptions = {
 *   alipayPublicKey: process.env.ALIPAY_PUBLIC_KEY!,
 *   appId: '2021000000000000',
 *   onRefund: async (refund) => { await db.recordRefund(refund); },
 *   onNotification: 'acknowledge', // payments are confirmed elsewhere
 * };
 * ```
 */
export interface NotifyAdapterOptions<R = unknown, Tx = undefined> extends NotifyVerifierOptions {
  /** Called once per refund notification; `success` is answered only after it resolves. */
  onRefund: NotifyHandler<RefundNotification, R, Tx>;
  /** A handler for the other verified kinds, or the explicit choice `'acknowledge'` / `'retry'`. */
  onNotification: NotifyHandler<NonRefundNotification, R, Tx> | 'acknowledge' | 'retry';
  /**
   * Where handled `notify_id`s are remembered. Default: an in-memory store per adapter (one
   * process only). `false` turns duplicate suppression off. An inbox (`createPostgresInbox`,
   * `createMysqlInbox`) runs the handler in a transaction of your database, with `ctx.tx`.
   */
  store?: DuplicateStore | NotifyInbox<Tx> | false;
  /** How long a handler may run before Alipay is told `fail`. Default 10 000 ms. */
  handlerTimeoutMs?: number;
  /**
   * How long the whole body may take to arrive, in ms. Default 10 000. A slower body (a client
   * dripping bytes) is answered `408 fail` with `Connection: close`, reported as `ERR_BODY_TIMEOUT`,
   * and no longer read, so that slow clients cannot hold sockets open.
   */
  bodyTimeoutMs?: number;
  /**
   * Refuse (`400 fail`, `ERR_NOTIFY_EXPIRED`, the handler is not run) a notification whose signed
   * `notify_time` (`utc_timestamp` for gateway messages) is older than this, or more than five
   * minutes in the future. In the adapters the default is 25 hours (`DEFAULT_MAX_NOTIFY_AGE_MS`:
   * Alipay's last retry comes about 24 h 22 min after the first delivery); any positive number of
   * ms may be given. Handled `notify_id`s are remembered for longer than this window, so that an
   * old genuine body replayed after its mark expired is refused by its age, never run again.
   */
  maxNotifyAgeMs?: number;
  /**
   * Sees every `fail` answered, and problems found after answering, with the raw body
   * (`context.rawBody`) and the `notify_id` when known. It may be async; if it throws or its
   * promise rejects, the failure is logged through `logger` and never changes what Alipay is told.
   * When given, `logger` is not used for the problems themselves.
   */
  onError?: (error: AlipayNotifyError, context: NotifyErrorContext<R>) => unknown;
  /**
   * Where problems are logged when there is no `onError`: every `fail` once (and every problem
   * found after answering), as `logger.error({ code, notifyId, status, err }, 'alipay-refund-notify: …')`
   * where `err` is the cause (see {@link NotifyLogDetails}). Default `console`; a pino-style logger
   * (`pino()`, Fastify's `app.log`) works as it is; `false` turns logging off.
   */
  logger?: NotifyLogger | false;
}
