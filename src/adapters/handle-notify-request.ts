import { DEFAULT_MAX_BODY_BYTES } from '../body/parse-notify-body.js';
import { AlipayNotifyError, NotifyConfigError } from '../errors.js';
import { createMemoryStore } from '../store/memory-store.js';
import type { DuplicateStore } from '../store/duplicate-store.js';
import type { AlipayNotification } from '../types.js';
import { createNotifyVerifier, isRefundNotification } from '../verifier/create-notify-verifier.js';
import type { NotifyAdapterOptions, NotifyContext } from './adapter-options.js';
import { NotifyAdapterError } from './notify-adapter-error.js';
import { replyFor, SUCCESS_REPLY, type AlipayReply } from './reply-to-alipay.js';
import { runOnce } from './run-once.js';

/** The framework-free core every adapter delegates to. */
export interface NotifyRequestHandler<R> {
  /** The body limit in bytes (the verifier's `maxBodyBytes`): adapters stop reading past it. */
  readonly maxBodyBytes: number;
  /**
   * Verifies the raw body, runs the right handler once per `notify_id` and says what to answer.
   * Pass the error instead of a body when the adapter could not read one. Never rejects.
   */
  handle(body: Uint8Array | AlipayNotifyError, request: R): Promise<AlipayReply>;
}

const DEFAULT_HANDLER_TIMEOUT_MS = 10_000;
const STORE_METHODS = ['claim', 'complete', 'release', 'peek'] as const;

function checkStore(store: unknown): DuplicateStore | undefined {
  if (store === false) return undefined;
  if (store === undefined) return createMemoryStore();
  if (store === null || typeof store !== 'object' || STORE_METHODS.some((m) => typeof (store as Record<string, unknown>)[m] !== 'function')) {
    throw new NotifyConfigError('store', 'must be a DuplicateStore (claim, complete, release, peek) or false');
  }
  return store as DuplicateStore;
}

function checkOptions<R>(options: NotifyAdapterOptions<R>): { store: DuplicateStore | undefined; handlerTimeoutMs: number } {
  if (options === null || typeof options !== 'object') throw new NotifyConfigError('options', 'must be an object');
  if (typeof options.onRefund !== 'function') throw new NotifyConfigError('onRefund', 'required: a function that records the refund');
  const other = options.onNotification;
  if (typeof other !== 'function' && other !== 'acknowledge' && other !== 'retry') {
    // Payments share the refund's notify_url (PROTOCOL §1.5): make the choice explicit at setup.
    throw new NotifyConfigError('onNotification', "required: a handler for payments and other notifications, or 'acknowledge' or 'retry'");
  }
  if (options.onError !== undefined && typeof options.onError !== 'function') throw new NotifyConfigError('onError', 'must be a function');
  const handlerTimeoutMs = options.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS;
  if (!Number.isSafeInteger(handlerTimeoutMs) || handlerTimeoutMs <= 0 || handlerTimeoutMs > 2 ** 31 - 1) {
    throw new NotifyConfigError('handlerTimeoutMs', 'must be a positive integer number of milliseconds');
  }
  return { store: checkStore(options.store), handlerTimeoutMs };
}

function asBuffer(body: Uint8Array): Buffer {
  return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

/**
 * Builds the core shared by the Express, Koa, Fastify and Fetch adapters. Options are checked and
 * keys imported here, once; a bad option is `ERR_CONFIG` at setup, never per request.
 *
 * @example
 * ```ts
 * const core = createNotifyRequestHandler<Request>({ alipayPublicKey, appId, onRefund, onNotification: 'acknowledge' });
 * const { status, body } = await core.handle(rawBytes, request);
 * ```
 */
export function createNotifyRequestHandler<R>(options: NotifyAdapterOptions<R>): NotifyRequestHandler<R> {
  const { store, handlerTimeoutMs } = checkOptions(options);
  const verifier = createNotifyVerifier(options);
  const { onRefund, onNotification, onError } = options;

  return {
    maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    async handle(body, request) {
      let notification: AlipayNotification | undefined;
      const report = (error: AlipayNotifyError, status: number | undefined): void => {
        if (onError === undefined) return;
        try {
          onError(error, { status, notification, request });
        } catch {
          // A failing logger must not change what Alipay is told.
        }
      };
      const fail = (error: AlipayNotifyError): AlipayReply => {
        const reply = replyFor(error.code);
        report(error, reply.status);
        return reply;
      };

      if (body instanceof AlipayNotifyError) return fail(body);
      try {
        notification = options.downloadAlipayCert === undefined ? verifier.verify(body) : await verifier.verifyAsync(body);
      } catch (err) {
        return fail(err instanceof AlipayNotifyError ? err : new AlipayNotifyError('ERR_BODY_MALFORMED', 'notification could not be read', { cause: err }));
      }
      const n = notification;
      const context = (signal: AbortSignal): NotifyContext<R> => ({ notifyId: n.notifyId, rawBody: asBuffer(body), signal, request });
      let task: (signal: AbortSignal) => unknown;
      if (isRefundNotification(n)) task = (signal) => onRefund(n, context(signal));
      else if (onNotification === 'acknowledge') return SUCCESS_REPLY;
      else if (onNotification === 'retry') {
        return fail(new NotifyAdapterError('ERR_UNHANDLED_NOTIFICATION', `no handler for ${n.kind} notifications (onNotification: 'retry')`, { notifyId: n.notifyId }));
      } else task = (signal) => onNotification(n, context(signal));
      return runOnce(n.notifyId, task, { store, handlerTimeoutMs, fail, report });
    },
  };
}
