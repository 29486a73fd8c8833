/**
 * The stable error codes, in one list: the union type below is derived from it, and a test checks the
 * README's table of codes against it. Codes are the contract; messages may change.
 */

/** The codes only the HTTP adapters and the duplicate stores raise, never the verifier. */
export const NOTIFY_ADAPTER_ERROR_CODES = [
  'ERR_BODY_ALREADY_PARSED',
  'ERR_BODY_ABORTED',
  'ERR_BODY_TIMEOUT',
  'ERR_HANDLER_FAILED',
  'ERR_HANDLER_TIMEOUT',
  'ERR_UNHANDLED_NOTIFICATION',
  'ERR_DUPLICATE_IN_FLIGHT',
  'ERR_DUPLICATE_OVERLAP',
  'ERR_STORE_FAILED',
  'ERR_STORE_TIMEOUT',
] as const;

/** The codes that describe a refused notification: its body, signature, recipient, fields or age. */
export const NOTIFICATION_ERROR_CODES = [
  'ERR_BODY_MALFORMED',
  'ERR_BODY_TOO_LARGE',
  'ERR_CHARSET_UNSUPPORTED',
  'ERR_SIGNATURE_MISSING',
  'ERR_SIGN_TYPE_UNSUPPORTED',
  'ERR_SIGNATURE_INVALID',
  'ERR_SIGNATURE_AMBIGUOUS',
  'ERR_CERT_NOT_FOUND',
  'ERR_CERT_INVALID',
  'ERR_APP_ID_MISMATCH',
  'ERR_SELLER_ID_MISMATCH',
  'ERR_NOT_A_REFUND',
  'ERR_FIELD_INVALID',
  'ERR_NOTIFY_EXPIRED',
] as const;

/**
 * Every code an {@link AlipayNotifyError} can carry.
 *
 * @example
 * ```ts
 * import { ALIPAY_NOTIFY_ERROR_CODES } from 'alipay-refund-notify';
 * for (const code of ALIPAY_NOTIFY_ERROR_CODES) metrics.declare(`alipay_notify_${code}`);
 * ```
 */
export const ALIPAY_NOTIFY_ERROR_CODES = [
  ...NOTIFICATION_ERROR_CODES,
  'ERR_CONFIG',
  // Raised by confirmNotifyId (legacy MAPI notify_verify round-trip):
  'ERR_NOTIFY_ID_CHECK',
  // Raised by the OpenAPI client (alipay-refund-notify/client):
  'ERR_GATEWAY_UNREACHABLE',
  'ERR_GATEWAY_TIMEOUT',
  'ERR_GATEWAY_ERROR',
  'ERR_REFUND_STATUS_UNKNOWN',
  ...NOTIFY_ADAPTER_ERROR_CODES,
] as const;

/** The stable error codes. They are the contract; messages may change. */
export type AlipayNotifyErrorCode = (typeof ALIPAY_NOTIFY_ERROR_CODES)[number];

/** The codes only the HTTP adapters and the duplicate stores raise, never the verifier. */
export type NotifyAdapterErrorCode = (typeof NOTIFY_ADAPTER_ERROR_CODES)[number];
