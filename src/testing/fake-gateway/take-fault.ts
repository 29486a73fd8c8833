import type { FakeGatewayFault } from './fake-gateway-types.js';

/** A fault injected with `injectFault`, waiting for the calls it applies to. */
export interface PendingFault {
  readonly fault: FakeGatewayFault;
  /** The method it applies to; `undefined` for any. */
  readonly method: string | undefined;
  /** How many more calls it applies to. */
  times: number;
}

/**
 * Takes the first pending fault that applies to a call of `method`, counting the call against it
 * and dropping it once used up: faults apply in the order they were injected.
 *
 * @example
 * ```ts
 * const faults: PendingFault[] = [{ fault: 'hang', method: 'alipay.trade.query', times: 1 }];
 * takeFault(faults, 'alipay.trade.refund'); // undefined
 * takeFault(faults, 'alipay.trade.query'); // 'hang' (and `faults` is empty now)
 * ```
 */
export function takeFault(faults: PendingFault[], method: string): FakeGatewayFault | undefined {
  const i = faults.findIndex((f) => f.method === undefined || f.method === method);
  if (i < 0) return undefined;
  const f = faults[i]!;
  if (--f.times <= 0) faults.splice(i, 1);
  return f.fault;
}
