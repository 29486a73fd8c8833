import { AlipayGatewayError, NotifyConfigError, RefundStatusUnknownError } from '../errors/index.js';
import type { AlipayClient } from './create-alipay-client.js';
import type { QueryRefundParams, RefundQueryResult } from './refund-query-result.js';

/**
 * The refund query's docs advise querying no sooner than about 10 s after the refund: earlier, a
 * refund still being processed reads as "not refunded" (`alipay.trade.fastpay.refund.query` docs,
 * `refund_status`: 建议商户在退款发起后间隔10秒以上再发起退款查询请求).
 *
 * @example
 * ```ts
 * await pollRefund(client, params, { delayMs: MIN_REFUND_QUERY_DELAY_MS * 3 });
 * ```
 */
export const MIN_REFUND_QUERY_DELAY_MS = 10_000;

/** How `pollRefund` paces its queries. */
export interface PollRefundOptions {
  /** Wait before the first query, at least {@link MIN_REFUND_QUERY_DELAY_MS}. Default 10 000. */
  delayMs?: number;
  /** How many queries at most. Default 6 (10 s, 20 s, 40 s, 80 s, 160 s, 320 s apart: about 10 minutes). */
  attempts?: number;
  /** Longest wait between two queries. Default 300 000 (5 min). */
  maxDelayMs?: number;
  /** Stops waiting: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** How to wait; default a timer. Tests pass their own to see the waits without sleeping. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

function timerSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// Worth asking again: no answer, a 5xx, or Alipay's "ask later" codes.
function transient(err: unknown): boolean {
  if (!(err instanceof AlipayGatewayError)) return false;
  if (err.code !== 'ERR_GATEWAY_ERROR') return true;
  return (err.httpStatus !== undefined && err.httpStatus >= 500) || err.alipayCode === '20000';
}

/**
 * Asks `alipay.trade.fastpay.refund.query` until Alipay gives a final answer: waits `delayMs`
 * (≥ 10 s) first, then doubles the wait. Resolves with a `success` or `not_refunded` result;
 * rejects with {@link RefundStatusUnknownError} (`ERR_REFUND_STATUS_UNKNOWN`) when every attempt was
 * `unknown` or failed in transit, and at once with any other error (a bad signature, an unknown
 * trade). Use it next to notifications, never instead of recording them.
 *
 * @example
 * ```ts
 * import { createAlipayClient, pollRefund } from 'alipay-refund-notify/client';
 * const result = await pollRefund(client, { outTradeNo: 'order-1', outRequestNo: 'refund-1' });
 * await recordRefund(result); // same idempotent write as the notification handler
 * ```
 */
export async function pollRefund(
  client: Pick<AlipayClient, 'queryRefund'>,
  params: QueryRefundParams,
  options: PollRefundOptions = {},
): Promise<RefundQueryResult> {
  const delayMs = options.delayMs ?? MIN_REFUND_QUERY_DELAY_MS;
  const attempts = options.attempts ?? 6;
  const maxDelayMs = options.maxDelayMs ?? 300_000;
  if (!Number.isSafeInteger(delayMs) || delayMs < MIN_REFUND_QUERY_DELAY_MS)
    throw new NotifyConfigError(
      'delayMs',
      'must be at least 10 000 ms: Alipay advises querying no sooner than ~10 s after the refund',
    );
  if (!Number.isSafeInteger(attempts) || attempts < 1)
    throw new NotifyConfigError('attempts', 'must be a positive integer');
  if (!Number.isSafeInteger(maxDelayMs) || maxDelayMs < delayMs)
    throw new NotifyConfigError('maxDelayMs', 'must be an integer no smaller than delayMs');
  const sleep = options.sleep ?? timerSleep;
  let wait = delayMs;
  let last: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await sleep(wait, options.signal);
    wait = Math.min(wait * 2, maxDelayMs);
    try {
      const result = await client.queryRefund(params);
      if (result.status !== 'unknown') return result;
      last = undefined;
    } catch (err) {
      if (!transient(err)) throw err;
      last = err;
    }
  }
  throw new RefundStatusUnknownError(attempts, last === undefined ? undefined : { cause: last });
}
