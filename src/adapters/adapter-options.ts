import type { AlipayNotifyError } from '../errors.js';
import type { DuplicateStore } from '../store/duplicate-store.js';
import type { NotifyInbox } from '../inbox/notify-inbox.js';
import type { AlipayNotification, RefundNotification } from '../types.js';
import type { NotifyVerifierOptions } from '../verifier/resolve-options.js';

/** The verified notifications that are not refunds: payments, closes, gateway messages. */
export type NonRefundNotification = Exclude<AlipayNotification, RefundNotification>;

/**
 * What a handler gets besides the notification. `R` is the framework's request (or Koa context);
 * `Tx` is the inbox's transaction handle (`ctx.tx`), `undefined` with other stores.
 */
export interface NotifyContext<R = unknown, Tx = undefined> {
  /** The notification's `notify_id`: the same on every retry (PROTOCOL §3). */
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
  /** The framework's request object (the Koa context for Koa). */
  readonly request: R;
}

/**
 * Options of every adapter: the verifier's options plus what to do with verified notifications.
 *
 * Payments and refunds arrive at the same `notify_url` (PROTOCOL §1.5), so `onNotification` is
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
  /** Sees every `fail` answered, and problems found after answering. Nothing is printed by default. */
  onError?: (error: AlipayNotifyError, context: NotifyErrorContext<R>) => void;
}
