import { NotifyAdapterError } from '../errors/index.js';

/** How a handler run ended: resolved, threw, or ran past its time (`late`: it is still running). */
export type HandlerResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: NotifyAdapterError; readonly late?: Promise<unknown> };

/**
 * Runs the merchant's handler with a deadline: an `AbortSignal` that aborts at `timeoutMs`, a
 * handler that throws (synchronously or not) is `ERR_HANDLER_FAILED`, one still running at the
 * deadline is `ERR_HANDLER_TIMEOUT` with its promise as `late`, so that the caller can keep a
 * claim or close a connection until it settles. Shared by the duplicate stores and the inbox.
 *
 * @example
 * ```ts
 * const r = await runHandler((signal) => onRefund(n, { ...ctx, signal }), 10_000, n.notifyId);
 * ```
 */
export async function runHandler(task: (signal: AbortSignal) => unknown, timeoutMs: number, notifyId: string): Promise<HandlerResult> {
  const controller = new AbortController();
  // A handler that throws synchronously rejects `running` like an async one.
  const running = Promise.resolve().then(() => task(controller.signal));
  // A handler that rejects after its deadline has nobody left to tell: never an unhandled rejection.
  running.catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(resolve, timeoutMs, 'timeout');
  });
  try {
    if ((await Promise.race([running, timedOut])) !== 'timeout') return { ok: true };
    const error = new NotifyAdapterError('ERR_HANDLER_TIMEOUT', `the handler did not finish within ${timeoutMs} ms`, { notifyId });
    controller.abort(error);
    return { ok: false, error, late: running };
  } catch (cause) {
    return { ok: false, error: new NotifyAdapterError('ERR_HANDLER_FAILED', 'the handler threw', { notifyId, cause }) };
  } finally {
    clearTimeout(timer);
  }
}
