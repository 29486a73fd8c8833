/**
 * Every error this library throws: one base class, {@link AlipayNotifyError}, with a stable `code`
 * (the list is {@link ALIPAY_NOTIFY_ERROR_CODES}), and a subclass per kind of failure with typed context.
 */
export { ALIPAY_NOTIFY_ERROR_CODES, NOTIFY_ADAPTER_ERROR_CODES } from './error-codes.js';
export type { AlipayNotifyErrorCode, NotifyAdapterErrorCode } from './error-codes.js';
export { AlipayNotifyError, isAlipayNotifyError } from './alipay-notify-error.js';
export {
  NotARefundError,
  NotifyBodyError,
  NotifyExpiredError,
  NotifyFieldError,
  NotifyRecipientError,
  NotifySignatureError,
} from './notification-errors.js';
export { NotifyConfigError } from './config-error.js';
export {
  AlipayCertRotationError,
  AlipayGatewayError,
  NotifyIdCheckError,
  RefundStatusUnknownError,
} from './gateway-errors.js';
export type { AlipayGatewayAnswer } from './gateway-errors.js';
export { NotifyAdapterError, RedisStoreTimeoutError } from './adapter-errors.js';
