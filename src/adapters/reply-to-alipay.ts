import type { AlipayNotifyErrorCode } from '../errors/index.js';

/** What an adapter writes back: always `text/plain`, the body exactly `success` or `fail`. */
export interface AlipayReply {
  readonly status: number;
  readonly body: 'success' | 'fail';
  /**
   * Close the connection after this reply: the body was not read to its end, so the socket must
   * not wait for the rest (RFC 9110 §15.5.9: a 408 "SHOULD send the close connection option").
   */
  readonly close?: true;
}

/** The `Content-Type` of every reply. */
export const REPLY_CONTENT_TYPE = 'text/plain; charset=utf-8';

/** The acknowledgement: exactly the 7 characters `success`, status 200 (https://opendocs.alipay.com/open/270/105902). */
export const SUCCESS_REPLY: AlipayReply = Object.freeze({ status: 200, body: 'success' });

// The one place HTTP statuses live. Alipay retries on anything but `success` (https://opendocs.alipay.com/open/270/105902), so the
// status only tells people reading logs apart: 4xx when the request is at fault (Alipay's retry
// will not help), 5xx when our side is (a retry may).
const STATUS: Partial<Record<AlipayNotifyErrorCode, number>> = {
  // A replay or a body from the future: the request is at fault, and a retry of it will not help.
  ERR_NOTIFY_EXPIRED: 400,
  ERR_BODY_TIMEOUT: 408,
  ERR_BODY_TOO_LARGE: 413,
  ERR_CHARSET_UNSUPPORTED: 415,
  ERR_BODY_ALREADY_PARSED: 500,
  ERR_HANDLER_FAILED: 500,
  ERR_HANDLER_TIMEOUT: 500,
  ERR_CONFIG: 500,
  ERR_STORE_FAILED: 503,
  ERR_DUPLICATE_IN_FLIGHT: 503,
  ERR_UNHANDLED_NOTIFICATION: 503,
};

/**
 * The `fail` reply for an error code: 400 for a body that does not verify (or is not ours, or is
 * too old), 408 for a body that did not arrive in time, 413/415 for its size and charset, 5xx when
 * our side failed.
 *
 * @example
 * ```ts
 * replyFor('ERR_SIGNATURE_INVALID'); // { status: 400, body: 'fail' }
 * ```
 */
export function replyFor(code: AlipayNotifyErrorCode | undefined): AlipayReply {
  const status = code === undefined ? 500 : (STATUS[code] ?? 400);
  return code === 'ERR_BODY_TIMEOUT' ? { status, body: 'fail', close: true } : { status, body: 'fail' };
}
