/**
 * Test helpers: sign realistic Alipay notifications with a throwaway key, so that refund handling
 * can be tested without Alipay. Import from `alipay-refund-notify/testing`.
 *
 * @example
 * ```ts
 * import { generateTestKeyPair, buildRefundFields, signNotification } from 'alipay-refund-notify/testing';
 * const alipay = generateTestKeyPair();
 * const { body } = signNotification(buildRefundFields('partial'), { privateKey: alipay.privateKey });
 * ```
 * @packageDocumentation
 */
export { generateTestKeyPair, signNotification } from './sign-notification.js';
export type { SignedNotification, SignNotificationOptions, TestKeyPair } from './sign-notification.js';
export { buildPaymentFields, buildRefundFields } from './build-notification-fields.js';
export type { BuildNotificationOptions } from './build-notification-fields.js';
export type { FieldOverrides } from './field-helpers.js';
export { encodeFormBody } from './encode-form-body.js';
export { buildBatchRefundFields, buildDepositbackFields, buildGatewayMessageFields } from './build-message-fields.js';
export type { BuildBatchRefundOptions, BuildDepositbackOptions } from './build-message-fields.js';
export { generateTestCertificates, signNotificationWithCertificate } from './generate-test-certificates.js';
export type { GenerateTestCertificatesOptions, TestCertificates } from './generate-test-certificates.js';
export {
  createFakeAlipayGateway,
  type FakeAlipayGateway,
  type FakeAlipayGatewayOptions,
  type FakeDelivery,
  type FakeDeliveryAttempt,
  type FakeGatewayFault,
  type FakeRefund,
  type FakeRefundResult,
  type FakeTrade,
  type ResponseStyle,
} from './fake-gateway/create-fake-alipay-gateway.js';
