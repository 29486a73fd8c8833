import { ALIPAY_RETRY_INTERVALS_MS } from '../retry-schedule.js';
import { postNotification, type PostOutcome } from '../post-notification.js';
import type { FakeDelivery } from './fake-gateway-types.js';

/** The gateway's deliveries in flight: their pending retries, so that closing can stop them. */
export interface DeliverySchedule {
  /** Multiplies Alipay's retry intervals. */
  readonly timeScale: number;
  /** The timers of the retries not sent yet. */
  readonly timers: Set<ReturnType<typeof setTimeout>>;
  /** Once set, no attempt schedules another. */
  closed: boolean;
}

/**
 * POSTs a signed notification body to `url` as Alipay does, then again after each of Alipay's
 * retry intervals (times `timeScale`) until an attempt gets exactly `success`, the schedule runs
 * out, or the gateway closes.
 *
 * @example
 * ```ts
 * const schedule: DeliverySchedule = { timeScale: 0.001, timers: new Set(), closed: false };
 * const { done } = deliverNotification('http://127.0.0.1:3000/notify', body, schedule);
 * (await done).acknowledged; // true once the endpoint answered `success`
 * ```
 */
export function deliverNotification(url: string, body: Buffer, schedule: DeliverySchedule): FakeDelivery {
  const attempts: PostOutcome[] = [];
  const done = new Promise<{ acknowledged: boolean; attempts: number }>((resolve) => {
    const attempt = async (n: number): Promise<void> => {
      const outcome = await postNotification(new URL(url), body, 'UTF-8', 10_000);
      attempts.push(outcome);
      const wait = ALIPAY_RETRY_INTERVALS_MS[n];
      if (outcome.acknowledged || wait === undefined || schedule.closed)
        return resolve({ acknowledged: outcome.acknowledged, attempts: attempts.length });
      const timer = setTimeout(() => {
        schedule.timers.delete(timer);
        void attempt(n + 1);
      }, wait * schedule.timeScale);
      schedule.timers.add(timer);
    };
    void attempt(0);
  });
  return { attempts, done };
}
