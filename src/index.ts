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
export { verifySignature } from './verifier/verify-signature.js';
export type { SignatureKeys } from './verifier/verify-signature.js';

export { parseNotifyBody } from './body/parse-notify-body.js';
export type { NotifyBody, ParsedNotifyBody, ParseNotifyBodyOptions } from './body/parse-notify-body.js';
export { normalizeCharset } from './body/charset.js';
export type { NotifyCharset } from './body/charset.js';
export { buildSignContent } from './canonical/build-sign-content.js';
export type { SignContentRule } from './canonical/build-sign-content.js';
export { importAlipayPublicKey, importAlipayCertificate, certificateSn, rootCertificateSn } from './crypto.js';
export type { AlipayPublicKeyInput, ImportedPublicKey, ImportedCertificate } from './crypto.js';

export { parseAmount } from './map/amount.js';
export type { Amount } from './map/amount.js';
export { parseBeijingTime } from './map/beijing-time.js';
export { parseFundBillList } from './map/fund-bill-list.js';
export type { FundBill } from './map/fund-bill-list.js';

export {
  AlipayNotifyError,
  isAlipayNotifyError,
  NotARefundError,
  NotifyBodyError,
  NotifyConfigError,
  NotifyExpiredError,
  NotifyFieldError,
  NotifyRecipientError,
  NotifySignatureError,
} from './errors.js';
export type { AlipayNotifyErrorCode } from './errors.js';
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
export type { DiagnosisCause, DiagnosisFinding, KeyDiagnosis, NotifyDiagnosis, VariantChange, VariantDiagnosis } from './diagnose/notify-diagnosis.js';
export type { DiagnosisNotTried, DiagnosisWork } from './diagnose/notify-diagnosis.js';
export { openRsaSignature } from './crypto.js';
export type { DigestAlgorithm, OpenedSignature } from './crypto.js';

export { confirmNotifyId, MAPI_GATEWAY_URL } from './mapi/confirm-notify-id.js';
export type { ConfirmNotifyIdOptions, ConfirmNotifyIdResult } from './mapi/confirm-notify-id.js';
export { NotifyIdCheckError } from './mapi/notify-id-check-error.js';

export { createMemoryStore } from './store/memory-store.js';
export type { MemoryStoreOptions } from './store/memory-store.js';
export type { ClaimResult, DuplicateStore } from './store/duplicate-store.js';
export { NotifyAdapterError } from './adapters/notify-adapter-error.js';
export type { NotifyAdapterErrorCode } from './errors.js';
export type { NotifyAdapterOptions, NotifyContext, NotifyErrorContext, NotifyHandler, NonRefundNotification } from './adapters/adapter-options.js';
export { AlipayCertRotationError, AlipayGatewayError, RefundStatusUnknownError } from './errors.js';
