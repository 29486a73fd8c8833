/**
 * `alipay-refund-notify/building-blocks`: the steps `verifyNotify` is made of, for tools and for
 * merchants who need one step alone (re-reading a stored body, computing a certificate SN, looking
 * inside a signature). They check less than the verifier on their own: a notification is verified only
 * by `verifyNotify`, `verifyRefundNotify` or a `createNotifyVerifier` verifier.
 *
 * @example
 * ```ts
 * import { parseNotifyBody, buildSignContent, verifySignature } from 'alipay-refund-notify/building-blocks';
 * const parsed = parseNotifyBody(rawBody);
 * const content = buildSignContent(parsed);
 * ```
 * @packageDocumentation
 */
export { verifySignature } from './verifier/verify-signature.js';
export type { SignatureKeys } from './verifier/verify-signature.js';

export { parseNotifyBody } from './body/parse-notify-body.js';
export type { NotifyBody, ParsedNotifyBody, ParseNotifyBodyOptions } from './body/parse-notify-body.js';
export { normalizeCharset } from './body/charset.js';
export type { NotifyCharset } from './body/charset.js';
export { buildSignContent } from './canonical/build-sign-content.js';
export type { SignContentRule } from './canonical/build-sign-content.js';

export { importAlipayPublicKey } from './crypto/import-public-key.js';
export type { AlipayPublicKeyInput, ImportedPublicKey } from './crypto/import-public-key.js';
export { certificateSn, importAlipayCertificate, rootCertificateSn } from './crypto/certificates.js';
export type { ImportedCertificate } from './crypto/certificates.js';
export { openRsaSignature } from './crypto/open-rsa-signature.js';
export type { DigestAlgorithm, OpenedSignature } from './crypto/open-rsa-signature.js';

export { parseAmount } from './map/amount.js';
export type { Amount } from './map/amount.js';
export { parseBeijingTime } from './map/beijing-time.js';
export { parseFundBillList } from './map/fund-bill-list.js';
export type { FundBill } from './map/fund-bill-list.js';
