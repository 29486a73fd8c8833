import { AlipayNotifyError, NotifyAdapterError, NotifyConfigError } from '../errors/index.js';
import { isNotifyInbox } from './notify-inbox.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { DuplicateStore } from '../store/duplicate-store.js';
import type { AlipayNotification } from '../types.js';
import { checkFreshness, DEFAULT_MAX_NOTIFY_AGE_MS } from '../verifier/check-freshness.js';
import { isRefundNotification, verifierFor } from '../verifier/create-notify-verifier.js';
import { resolveOptions } from '../verifier/resolve-options.js';
import type { NotifyAdapterOptions, NotifyContext } from './adapter-options.js';
import { replyFor, SUCCESS_REPLY, type AlipayReply } from './reply-to-alipay.js';
import { createNotifyErrorReporter, isNotifyLogger } from './report-notify-error.js';
import { HandlerContext } from './handler-context.js';
import type { SignalSource } from './run-handler.js';
import { doneTtlMs, runOnce } from './run-once.js';

/** The framework-free core every adapter delegates to. */
export interface NotifyRequestHandler<R> {
  /** The body limit in bytes (the verifier's `maxBodyBytes`): adapters stop reading past it. */
  readonly maxBodyBytes: number;
  /** How long adapters wait for the whole body (`bodyTimeoutMs`) before answering 408. */
  readonly bodyTimeoutMs: number;
  /**
   * Verifies the raw body, runs the right handler once per `notify_id` and says what to answer.
   * Pass the error instead of a body when the adapter could not read one. Never rejects.
   */
  handle(body: Uint8Array | AlipayNotifyError, request: R): Promise<AlipayReply>;
}

const DEFAULT_HANDLER_TIMEOUT_MS = 10_000;
const DEFAULT_BODY_TIMEOUT_MS = 10_000;
const MAX_TIMER_MS = 2 ** 31 - 1; // setTimeout's limit: a larger delay fires at once
const STORE_METHODS = ['claim', 'complete', 'release', 'peek'] as const;

function timeoutOption(value: number | undefined, fallback: number, option: string): number {
  const ms = value ?? fallback;
  if (!Number.isSafeInteger(ms) || ms <= 0 || ms > MAX_TIMER_MS)
    throw new NotifyConfigError(option, 'must be a positive integer number of milliseconds');
  return ms;
}

function checkStore(store: unknown): DuplicateStore | undefined {
  if (store === false || isNotifyInbox(store)) return undefined;
  if (store === undefined) return createMemoryStore();
  if (
    store === null ||
    typeof store !== 'object' ||
    STORE_METHODS.some((m) => typeof (store as Record<string, unknown>)[m] !== 'function')
  ) {
    throw new NotifyConfigError('store', 'must be a DuplicateStore (claim, complete, release, peek) or false');
  }
  return store as DuplicateStore;
}

interface CheckedOptions {
  readonly store: DuplicateStore | undefined;
  readonly handlerTimeoutMs: number;
  readonly bodyTimeoutMs: number;
}

function checkOptions<R, Tx>(options: NotifyAdapterOptions<R, Tx>): CheckedOptions {
  if (options === null || typeof options !== 'object') throw new NotifyConfigError('options', 'must be an object');
  if (typeof options.onRefund !== 'function')
    throw new NotifyConfigError('onRefund', 'required: a function that records the refund');
  const other = options.onNotification;
  if (typeof other !== 'function' && other !== 'acknowledge' && other !== 'retry') {
    // Payments share the refund's notify_url (https://opendocs.alipay.com/open/203/105286): make the choice explicit at setup.
    throw new NotifyConfigError(
      'onNotification',
      "required: a handler for payments and other notifications, or 'acknowledge' or 'retry'",
    );
  }
  if (options.onError !== undefined && typeof options.onError !== 'function')
    throw new NotifyConfigError('onError', 'must be a function');
  const { logger } = options;
  if (logger !== undefined && logger !== false && !isNotifyLogger(logger)) {
    throw new NotifyConfigError(
      'logger',
      'must be console, a pino-style logger (an object with an error method) or false',
    );
  }
  const handlerTimeoutMs = timeoutOption(options.handlerTimeoutMs, DEFAULT_HANDLER_TIMEOUT_MS, 'handlerTimeoutMs');
  const bodyTimeoutMs = timeoutOption(options.bodyTimeoutMs, DEFAULT_BODY_TIMEOUT_MS, 'bodyTimeoutMs');
  return { store: checkStore(options.store), handlerTimeoutMs, bodyTimeoutMs };
}

function asBuffer(body: Uint8Array): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/**
 * Builds the core shared by the Express, Koa, Fastify and Fetch adapters. Options are checked and
 * keys imported here, once; a bad option is `ERR_CONFIG` when this is called (at setup for options
 * given as an object, on the first request for options given as a function).
 *
 * @example
 * ```ts
 * const core = createNotifyRequestHandler<Request>({ alipayPublicKey, appId, onRefund, onNotification: 'acknowledge' });
 * const { status, body } = await core.handle(rawBytes, request);
 * ```
 */
export function createNotifyRequestHandler<R, Tx = undefined>(
  options: NotifyAdapterOptions<R, Tx>,
): NotifyRequestHandler<R> {
  const { store, handlerTimeoutMs, bodyTimeoutMs } = checkOptions(options);
  // Freshness is on by default here, unlike in the core: a genuine notification replayed after its
  // done mark expired must not run the handler again. The options are resolved once, here.
  const resolved = resolveOptions({ ...options, maxNotifyAgeMs: options.maxNotifyAgeMs ?? DEFAULT_MAX_NOTIFY_AGE_MS });
  const maxNotifyAgeMs = resolved.maxNotifyAgeMs!;
  // The age is checked after verification rather than in the verifier, so that onError learns
  // which notification was refused.
  const verifier = verifierFor({ ...resolved, maxNotifyAgeMs: undefined });
  const { now } = resolved;
  const { onRefund, onNotification } = options;
  const reportError = createNotifyErrorReporter<R>(options);
  const doneTtl = doneTtlMs(maxNotifyAgeMs);
  const inbox = isNotifyInbox(options.store) ? options.store : undefined;

  return {
    maxBodyBytes: resolved.maxBodyBytes,
    bodyTimeoutMs,
    async handle(body, request) {
      let notification: AlipayNotification | undefined;
      const rawBody = body instanceof AlipayNotifyError ? undefined : asBuffer(body);
      const report = (error: AlipayNotifyError, status: number | undefined): void => {
        reportError(error, { status, notification, notifyId: notification?.notifyId, rawBody, request });
      };
      const fail = (error: AlipayNotifyError): AlipayReply => {
        const reply = replyFor(error.code);
        report(error, reply.status);
        return reply;
      };

      if (body instanceof AlipayNotifyError) return fail(body);
      try {
        notification =
          resolved.downloadAlipayCert === undefined ? verifier.verify(body) : await verifier.verifyAsync(body);
      } catch (err) {
        return fail(
          err instanceof AlipayNotifyError
            ? err
            : new AlipayNotifyError('ERR_BODY_MALFORMED', 'notification could not be read', { cause: err }),
        );
      }
      const n = notification;
      try {
        checkFreshness(n, maxNotifyAgeMs, now());
      } catch (err) {
        return fail(err as AlipayNotifyError);
      }
      // `tx` is the inbox's transaction; with other stores there is none (undefined is their Tx).
      const context = (signal: SignalSource, tx?: Tx): NotifyContext<R, Tx> =>
        new HandlerContext(n.notifyId, asBuffer(body), signal, request, tx as Tx);
      let task: (signal: SignalSource, tx?: Tx) => unknown;
      if (isRefundNotification(n)) task = (signal, tx) => onRefund(n, context(signal, tx));
      else if (onNotification === 'acknowledge') return SUCCESS_REPLY;
      else if (onNotification === 'retry') {
        return fail(
          new NotifyAdapterError(
            'ERR_UNHANDLED_NOTIFICATION',
            `no handler for ${n.kind} notifications (onNotification: 'retry')`,
            { notifyId: n.notifyId },
          ),
        );
      } else task = (signal, tx) => onNotification(n, context(signal, tx));
      if (inbox !== undefined)
        return inbox.deliver(n.notifyId, asBuffer(body), (signal, tx) => task(() => signal, tx), {
          handlerTimeoutMs,
          fail,
          report,
        });
      return runOnce(n.notifyId, task, { store, handlerTimeoutMs, doneTtlMs: doneTtl, fail, report });
    },
  };
}
