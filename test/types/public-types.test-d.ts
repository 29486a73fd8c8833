// Type-level tests for the public types: this file is type-checked by
// test/types/types.test.ts (tsc on test/tsconfig.json) and never run. Every `@ts-expect-error`
// is an assertion: tsc fails if the line below it stops being an error.
import {
  isRefundNotification,
  verifyNotify,
  verifyRefundNotify,
  type AlipayNotification,
  type AlipayNotifyError,
  type AlipayNotifyErrorCode,
  type Amount,
  type NonRefundNotification,
  type NotifyAdapterOptions,
  type NotifyVerifierOptions,
  type RefundNotification,
} from '../../src/index.js';
import { createExpressHandler } from '../../src/adapters/express.js';
import { alipayRefundNotifyPlugin, type FastifyInstanceLike } from '../../src/adapters/fastify.js';
import { createFetchHandler } from '../../src/adapters/fetch.js';
import { createKoaMiddleware } from '../../src/adapters/koa.js';
import { createRedisStore, type RedisLikeClient } from '../../src/store/redis-store.js';

/** Compiles only when A and B are the same type (not merely assignable). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_: T): void {}
function expectType<T>(_: T): void {}

declare const notification: AlipayNotification;
declare const refund: RefundNotification;
declare const amount: Amount;
const key = '-----BEGIN PUBLIC KEY-----';
const base = { alipayPublicKey: key, appId: '2021000000000000' };

// --- AlipayNotification narrows by `kind`, and the switch is exhaustive ---
export function narrowsByKind(n: AlipayNotification): string {
  switch (n.kind) {
    case 'trade':
      expectType<string>(n.tradeNo);
      expectType<Amount | undefined>(n.totalAmount);
      // @ts-expect-error a payment has no refund fee
      void n.refundFee;
      return n.tradeStatus;
    case 'trade_refund':
      expectType<'partial' | 'full'>(n.refundType);
      expectType<Amount | undefined>(n.refundFee);
      expectType<string | undefined>(n.outBizNo);
      return n.outTradeNo;
    case 'refund_depositback':
      expectType<'S' | 'F'>(n.dbackStatus);
      // @ts-expect-error deposit-back carries no refundType
      void n.refundType;
      return n.outRequestNo;
    case 'batch_refund':
      expectType<Amount>(n.details[0]!.amount);
      return n.batchNo;
    case 'gateway_message':
      expectType<Date | undefined>(n.notifyTime);
      expectType<unknown>(n.bizContent);
      return n.method;
    case 'other':
      expectType<string>(n.notifyType);
      expectType<string | undefined>(n.method);
      return n.notifyType;
    default: {
      const unreachable: never = n;
      return unreachable;
    }
  }
}
assertType<
  Equal<
    AlipayNotification['kind'],
    'trade' | 'trade_refund' | 'refund_depositback' | 'batch_refund' | 'gateway_message' | 'other'
  >
>(true);
assertType<Equal<Extract<AlipayNotification, { kind: 'trade_refund' }>['refundType'], 'partial' | 'full'>>(true);

// --- Amount is an object of fen and yuan, never a number ---
expectType<number>(amount.fen);
expectType<string>(amount.yuan);
// @ts-expect-error Amount is not a number
export const asNumber: number = amount;
// @ts-expect-error no arithmetic on Amount: use amount.fen
export const doubled = amount * 2;
// @ts-expect-error a number is not an Amount either
export const fromNumber: Amount = 10.5;

// --- RefundNotification excludes payments and gateway messages ---
assertType<Equal<RefundNotification['kind'], 'trade_refund' | 'refund_depositback' | 'batch_refund'>>(true);
assertType<Equal<Extract<RefundNotification, { kind: 'trade' }>, never>>(true);
assertType<Equal<NonRefundNotification['kind'], 'trade' | 'gateway_message' | 'other'>>(true);
// @ts-expect-error a refund notification is never a plain trade
export const isTrade = refund.kind === 'trade';
expectType<RefundNotification>(verifyRefundNotify('', base));
expectType<AlipayNotification>(verifyNotify('', base));
if (isRefundNotification(notification)) expectType<RefundNotification>(notification);
else expectType<NonRefundNotification>(notification);

// --- Verified objects are read-only ---
// @ts-expect-error notifyId is readonly
refund.notifyId = 'changed';
// @ts-expect-error fields are readonly
notification.fields['sign'] = 'changed';

// --- Options: only the known signature types, and the usual shapes ---
export const rsa: NotifyVerifierOptions = { ...base, signTypes: ['RSA2', 'RSA'] };
export const md5: NotifyVerifierOptions = { partner: '2088000000000000', md5Key: 'k', signTypes: ['MD5'] };
// @ts-expect-error 'RSA256' is not a signature type Alipay uses
export const unknownSignType: NotifyVerifierOptions = { ...base, signTypes: ['RSA256'] };
// @ts-expect-error sign types are upper case, as Alipay sends them
export const lowerCase: NotifyVerifierOptions = { ...base, signTypes: ['rsa2'] };
// @ts-expect-error a misspelt option is caught
export const typo: NotifyVerifierOptions = { ...base, alipayPublickey: key };

// --- Error codes are a closed union ---
export declare const error: AlipayNotifyError;
assertType<Equal<typeof error.code, AlipayNotifyErrorCode>>(true);
export const code: AlipayNotifyErrorCode = 'ERR_SIGNATURE_INVALID';
// @ts-expect-error not a code this library throws
export const unknownCode: AlipayNotifyErrorCode = 'ERR_SIGNATURE_BAD';

// --- Adapter options require onRefund and onNotification ---
const onRefund = (n: RefundNotification): void => void n.notifyId;
export const adapterOptions: NotifyAdapterOptions = { ...base, onRefund, onNotification: 'acknowledge' };
// @ts-expect-error onRefund is required
export const noRefundHandler: NotifyAdapterOptions = { ...base, onNotification: 'retry' };
// @ts-expect-error onNotification is required: an explicit choice for payments and gateway messages
export const noOtherHandler: NotifyAdapterOptions = { ...base, onRefund };
// @ts-expect-error onNotification is a handler, 'acknowledge' or 'retry'
export const badChoice: NotifyAdapterOptions = { ...base, onRefund, onNotification: 'ignore' };
export const paymentHandler = (n: Extract<AlipayNotification, { kind: 'trade' }>): string => n.tradeNo;
// @ts-expect-error onRefund is given refunds only, so a payment handler does not fit
export const tradeHandler: NotifyAdapterOptions = { ...base, onRefund: paymentHandler, onNotification: 'retry' };
export const handlers: NotifyAdapterOptions = {
  ...base,
  onRefund: (n, context) => {
    expectType<RefundNotification>(n);
    expectType<string>(context.notifyId);
    expectType<Buffer>(context.rawBody);
    expectType<AbortSignal>(context.signal);
  },
  onNotification: (n) => expectType<NonRefundNotification>(n),
};

createExpressHandler({ ...base, onRefund, onNotification: 'retry' });
// @ts-expect-error Express: onRefund is required
createExpressHandler({ ...base, onNotification: 'retry' });
// @ts-expect-error Express: onNotification is required
createExpressHandler({ ...base, onRefund });

createKoaMiddleware({ ...base, onRefund, onNotification: 'retry', path: '/alipay/notify' });
// @ts-expect-error Koa: onRefund is required
createKoaMiddleware({ ...base, onNotification: 'retry' });
// @ts-expect-error Koa: onNotification is required
createKoaMiddleware({ ...base, onRefund });

declare const fastify: FastifyInstanceLike;
const done = (): void => {};
alipayRefundNotifyPlugin(fastify, { ...base, onRefund, onNotification: 'retry', path: '/alipay/notify' }, done);
// @ts-expect-error Fastify: onRefund is required
alipayRefundNotifyPlugin(fastify, { ...base, onNotification: 'retry', path: '/alipay/notify' }, done);
// @ts-expect-error Fastify: onNotification is required
alipayRefundNotifyPlugin(fastify, { ...base, onRefund, path: '/alipay/notify' }, done);
// @ts-expect-error Fastify: the route's path is required
alipayRefundNotifyPlugin(fastify, { ...base, onRefund, onNotification: 'retry' }, done);

expectType<(request: Request) => Promise<Response>>(createFetchHandler({ ...base, onRefund, onNotification: 'retry' }));
// @ts-expect-error Fetch: onRefund is required
createFetchHandler({ ...base, onNotification: 'retry' });
// @ts-expect-error Fetch: onNotification is required
createFetchHandler({ ...base, onRefund });

// --- The Redis store takes a client, from either Redis library ---
declare const client: RedisLikeClient;
createRedisStore({ client });
// @ts-expect-error a Redis URL is not a client
createRedisStore({ client: 'redis://127.0.0.1:6379' });
