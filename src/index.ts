/**
 * alipay-refund-notify: verify Alipay asynchronous notifications from their raw bytes and get
 * typed, verified refund objects.
 *
 * @example
 * ```ts
 * import { verifyRefundNotify } from 'alipay-refund-notify';
 * const refund = verifyRefundNotify(rawBody, { alipayPublicKey: ALIPAY_PUBLIC_KEY, appId: APP_ID });
 * ```
 * @packageDocumentation
 */
export { verifyNotify, verifyRefundNotify } from './verifier/verify-notify.js';
export { createNotifyVerifier, isRefundNotification } from './verifier/create-notify-verifier.js';
export type { NotifyVerifier } from './verifier/create-notify-verifier.js';
export type { NotifyVerifierOptions } from './verifier/resolve-options.js';
export { DEFAULT_MAX_NOTIFY_AGE_MS, MAX_FUTURE_SKEW_MS } from './verifier/check-freshness.js';
export type { AlipayPublicKeyInput } from './crypto/import-public-key.js';
export type { Amount } from './map/amount.js';
export type { FundBill } from './map/fund-bill-list.js';

export {
  ALIPAY_NOTIFY_ERROR_CODES,
  AlipayCertRotationError,
  AlipayGatewayError,
  AlipayNotifyError,
  isAlipayNotifyError,
  NotARefundError,
  NotifyAdapterError,
  NotifyBodyError,
  NotifyConfigError,
  NotifyExpiredError,
  NotifyFieldError,
  NotifyIdCheckError,
  NotifyRecipientError,
  NotifySignatureError,
  RefundStatusUnknownError,
} from './errors/index.js';
export type { AlipayGatewayAnswer, AlipayNotifyErrorCode, NotifyAdapterErrorCode } from './errors/index.js';
export type {
  AlipayNotification,
  BatchRefundDetail,
  BatchRefundNotification,
  GatewayMessageNotification,
  NotificationBase,
  OtherNotification,
  RefundDepositbackNotification,
  RefundNotification,
  SignType,
  TradeNotification,
  TradeNotificationBase,
  TradeRefundNotification,
  TradeStatus,
} from './types.js';

export { diagnoseNotify } from './diagnose/diagnose-notify.js';
export type { DiagnoseNotifyOptions } from './diagnose/diagnose-notify.js';
export type {
  DiagnosisCause,
  DiagnosisFinding,
  KeyDiagnosis,
  NotifyDiagnosis,
  VariantChange,
  VariantDiagnosis,
} from './diagnose/notify-diagnosis.js';
export type { DiagnosisNotTried, DiagnosisWork } from './diagnose/notify-diagnosis.js';

export { confirmNotifyId, MAPI_GATEWAY_URL } from './legacy-mapi/confirm-notify-id.js';
export type { ConfirmNotifyIdOptions, ConfirmNotifyIdResult } from './legacy-mapi/confirm-notify-id.js';

export { createMemoryStore } from './store/memory-store.js';
export type { MemoryStoreOptions } from './store/memory-store.js';
export type { ClaimResult, DuplicateStore } from './store/duplicate-store.js';
export type {
  NotifyAdapterOptions,
  NotifyContext,
  NotifyErrorContext,
  NotifyHandler,
  NonRefundNotification,
} from './adapters/adapter-options.js';
