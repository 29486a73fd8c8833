import { NotifyConfigError } from '../errors/index.js';
import { NotifyIdCheckError } from '../errors/index.js';

/** Alipay's legacy MAPI gateway, where the `notify_verify` service lives (Alipay's legacy MAPI documentation). */
export const MAPI_GATEWAY_URL = 'https://mapi.alipay.com/gateway.do';

/** What `confirmNotifyId` needs. */
export interface ConfirmNotifyIdOptions {
  /** Your partner id (`2088…`, 16 digits). */
  partner: string;
  /** The notification's `notify_id`. */
  notifyId: string;
  /** Default {@link MAPI_GATEWAY_URL}; change it only to point at a test server. */
  gatewayUrl?: string;
  /** A `fetch` implementation; default the global one (Node ≥ 18). */
  fetch?: (
    input: string,
    init: { method: 'GET'; signal: AbortSignal; redirect: 'manual' },
  ) => Promise<{ status: number; text(): Promise<string> }>;
  /** Give up after this many milliseconds. Default 5000. */
  timeoutMs?: number;
}

/**
 * Alipay's answer. Only a body of exactly `true` confirms; `false` (unknown or expired id: the
 * docs mention a one-minute window), `invalid` (bad partner or id) and anything else do not.
 */
export type ConfirmNotifyIdResult =
  | { readonly confirmed: true; readonly answer: 'true' }
  | {
      readonly confirmed: false;
      readonly answer: 'false' | 'invalid' | 'unexpected';
      /** The HTTP status of the answer. */
      readonly status: number;
    };

/**
 * Asks Alipay whether it sent the notification with this `notify_id` (ATN, `service=notify_verify`,
 * Alipay's legacy MAPI documentation). Optional and legacy: a verified signature already proves the origin; this adds a
 * network round-trip that some MAPI-era integrations and the Antom docs still require. The result
 * is an object, never a bare boolean, so that `if (await confirmNotifyId(…))` cannot be written
 * by mistake: test `result.confirmed`.
 *
 * Throws `ERR_CONFIG` for an empty partner or id and {@link NotifyIdCheckError} when no answer
 * arrives (network failure or timeout).
 *
 * @example
 * ```ts
 * import { confirmNotifyId } from 'alipay-refund-notify';
 * const n = verifyNotify(rawBody, options);
 * const check = await confirmNotifyId({ partner: '2088101122136241', notifyId: n.notifyId });
 * if (!check.confirmed) return reply('fail');
 * ```
 */
export async function confirmNotifyId(options: ConfirmNotifyIdOptions): Promise<ConfirmNotifyIdResult> {
  const { partner, notifyId } = options;
  if (typeof partner !== 'string' || partner === '') throw new NotifyConfigError('partner', 'required');
  if (typeof notifyId !== 'string' || notifyId === '') throw new NotifyConfigError('notifyId', 'required');
  const timeoutMs = options.timeoutMs ?? 5000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new NotifyConfigError('timeoutMs', 'must be a positive number');
  let url: URL;
  try {
    url = new URL(options.gatewayUrl ?? MAPI_GATEWAY_URL);
  } catch (err) {
    throw new NotifyConfigError('gatewayUrl', 'not a URL', { cause: err });
  }
  url.searchParams.set('service', 'notify_verify');
  url.searchParams.set('partner', partner);
  url.searchParams.set('notify_id', notifyId);
  const doFetch = options.fetch ?? globalThis.fetch;

  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Raced as well as passed as the signal, so that a custom fetch that ignores the signal still
  // cannot hang the merchant's endpoint.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new NotifyIdCheckError('timeout'));
    }, timeoutMs);
  });
  try {
    // Redirects are not followed: the answer must come from the gateway asked, so a 3xx is 'unexpected'.
    const exchange = (async () => {
      const res = await doFetch(url.toString(), { method: 'GET', signal: controller.signal, redirect: 'manual' });
      return { status: res.status, body: await res.text() };
    })();
    exchange.catch(() => undefined); // its failure after a timeout is not an unhandled rejection
    const { status, body } = await Promise.race([exchange, timeout]);
    if (status === 200 && body === 'true') return { confirmed: true, answer: 'true' };
    const answer = status === 200 && (body === 'false' || body === 'invalid') ? body : 'unexpected';
    return { confirmed: false, answer, status };
  } catch (err) {
    if (err instanceof NotifyIdCheckError) throw err;
    if (controller.signal.aborted) throw new NotifyIdCheckError('timeout', { cause: err });
    throw new NotifyIdCheckError('network', { cause: err });
  } finally {
    clearTimeout(timer);
  }
}
