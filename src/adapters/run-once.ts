import { setTimeout as sleep } from 'node:timers/promises';
import type { DuplicateStore } from '../store/duplicate-store.js';
import { MAX_FUTURE_SKEW_MS } from '../verifier/check-freshness.js';
import { NotifyAdapterError } from '../errors/index.js';
import { SUCCESS_REPLY, type AlipayReply } from './reply-to-alipay.js';
import { runHandler, type SignalSource } from './run-handler.js';

/**
 * How much longer than the freshness window a handled `notify_id` is remembered: room for the
 * difference between our clock and the store's, and for the time the handler ran.
 *
 * @example
 * ```ts
 * doneTtlMs(maxNotifyAgeMs) - maxNotifyAgeMs - MAX_FUTURE_SKEW_MS === DONE_TTL_MARGIN_MS; // true
 * ```
 */
export const DONE_TTL_MARGIN_MS = 3600_000;

/**
 * How long a handled `notify_id` is remembered, from the adapter's `maxNotifyAgeMs`: past the last
 * moment a notification could still pass the freshness check (its time may be up to
 * {@link MAX_FUTURE_SKEW_MS} ahead of ours), so that a replay after the mark expired is refused by
 * its age instead of running the handler again. With the 25-hour default: 26 h 5 min.
 *
 * @example
 * ```ts
 * doneTtlMs(DEFAULT_MAX_NOTIFY_AGE_MS); // 25 h + 5 min + 1 h
 * ```
 */
export function doneTtlMs(maxNotifyAgeMs: number): number {
  return maxNotifyAgeMs + MAX_FUTURE_SKEW_MS + DONE_TTL_MARGIN_MS;
}
/**
 * A claim outlives the handler's timeout by this much: a handler that overruns keeps its claim (a
 * retry meanwhile is not run twice) until the lease ends, which bounds a crashed instance's hold.
 */
export const LEASE_MARGIN_MS = 60_000;

/** What `runOnce` needs from the adapter. */
export interface RunOnceOptions {
  readonly store: DuplicateStore | undefined;
  readonly handlerTimeoutMs: number;
  /** How long a done mark lasts: {@link doneTtlMs} of the adapter's `maxNotifyAgeMs`. */
  readonly doneTtlMs: number;
  /** Reports an error and returns the `fail` reply for it. */
  readonly fail: (error: NotifyAdapterError) => AlipayReply;
  /** Reports a problem found when the answer is already decided (`status`) or sent (undefined). */
  readonly report: (error: NotifyAdapterError, status: number | undefined) => void;
}

async function markDone(
  store: DuplicateStore,
  notifyId: string,
  token: string,
  o: RunOnceOptions,
  status: number | undefined,
): Promise<void> {
  try {
    if (!(await store.complete(notifyId, token, o.doneTtlMs))) {
      // The lease ran out while the handler ran, so another delivery may have run it too.
      o.report(
        new NotifyAdapterError(
          'ERR_DUPLICATE_OVERLAP',
          'the claim expired before the handler finished: another copy may have run',
          { notifyId },
        ),
        status,
      );
    }
  } catch (cause) {
    o.report(
      new NotifyAdapterError('ERR_STORE_FAILED', 'handled, but the duplicate store could not mark it done', {
        notifyId,
        cause,
      }),
      status,
    );
  }
}

async function release(
  store: DuplicateStore,
  notifyId: string,
  token: string,
  o: RunOnceOptions,
  status: number | undefined,
): Promise<void> {
  try {
    await store.release(notifyId, token);
  } catch (cause) {
    o.report(
      new NotifyAdapterError('ERR_STORE_FAILED', 'the duplicate store could not release a failed claim', {
        notifyId,
        cause,
      }),
      status,
    );
  }
}

// Another copy holds the claim: wait for its outcome rather than run the handler a second time.
async function waitForCopy(store: DuplicateStore, notifyId: string, o: RunOnceOptions): Promise<AlipayReply> {
  const deadline = Date.now() + o.handlerTimeoutMs + 1000;
  for (let delay = 5; ; delay = Math.min(delay * 2, 200)) {
    let state: 'done' | 'in_progress' | 'absent';
    try {
      state = await store.peek(notifyId);
    } catch (cause) {
      return o.fail(
        new NotifyAdapterError('ERR_STORE_FAILED', 'the duplicate store could not be read', { notifyId, cause }),
      );
    }
    if (state === 'done') return SUCCESS_REPLY;
    if (state === 'absent') {
      return o.fail(
        new NotifyAdapterError(
          'ERR_DUPLICATE_IN_FLIGHT',
          'another copy of this notification failed; Alipay will retry',
          { notifyId },
        ),
      );
    }
    if (Date.now() >= deadline) {
      return o.fail(
        new NotifyAdapterError('ERR_DUPLICATE_IN_FLIGHT', 'another copy of this notification is still being handled', {
          notifyId,
        }),
      );
    }
    await sleep(delay);
  }
}

/**
 * Runs `task` at most once per `notifyId` (a retry keeps its `notify_id`: https://opendocs.alipay.com/open/270/105902): a done
 * notification is acknowledged without running it, a copy in flight waits for the other's outcome,
 * and a failure releases the claim so that Alipay's retry runs it again. `success` is returned only
 * after the task resolved.
 *
 * @example
 * ```ts
 * const reply = await runOnce(n.notifyId, (signal) => onRefund(n, { ...ctx, get signal() { return signal(); } }), runOptions);
 * ```
 */
export async function runOnce(
  notifyId: string,
  task: (signal: SignalSource) => unknown,
  o: RunOnceOptions,
): Promise<AlipayReply> {
  const { store } = o;
  if (store === undefined) {
    const r = await runHandler(task, o.handlerTimeoutMs, notifyId);
    return r.ok ? SUCCESS_REPLY : o.fail(r.error);
  }
  let claim;
  try {
    claim = await store.claim(notifyId, o.handlerTimeoutMs + LEASE_MARGIN_MS);
  } catch (cause) {
    return o.fail(
      new NotifyAdapterError('ERR_STORE_FAILED', 'the duplicate store could not be reached', { notifyId, cause }),
    );
  }
  if (claim.status === 'done') return SUCCESS_REPLY;
  if (claim.status === 'in_progress') return waitForCopy(store, notifyId, o);

  const { token } = claim;
  const r = await runHandler(task, o.handlerTimeoutMs, notifyId);
  if (r.ok) {
    await markDone(store, notifyId, token, o, SUCCESS_REPLY.status);
    return SUCCESS_REPLY;
  }
  const reply = o.fail(r.error);
  if (r.late === undefined) await release(store, notifyId, token, o, reply.status);
  // A handler that overran keeps its claim until it settles, so that a retry meanwhile waits
  // instead of running it a second time; then it is marked done, or released for the next retry.
  else
    r.late.then(
      () => markDone(store, notifyId, token, o, undefined),
      () => release(store, notifyId, token, o, undefined),
    );
  return reply;
}
