/**
 * A small signed client for Alipay's OpenAPI gateway, for what refund handling needs: the refund
 * query, the trade query, the certificate download, and `pollRefund` for reconciliation. Import
 * from `alipay-refund-notify/client`.
 *
 * @example
 * ```ts
 * import { createAlipayClient, pollRefund } from 'alipay-refund-notify/client';
 * const client = createAlipayClient({ appId, privateKey: APP_PRIVATE_KEY, alipayPublicKey: ALIPAY_PUBLIC_KEY });
 * const result = await pollRefund(client, { outTradeNo: 'order-1', outRequestNo: 'refund-1' });
 * ```
 * @packageDocumentation
 */
export { createAlipayClient } from './create-alipay-client.js';
export type { AlipayClient } from './create-alipay-client.js';
export { ALIPAY_GATEWAY_URL, ALIPAY_SANDBOX_GATEWAY_URL } from './client-options.js';
export type { AlipayClientOptions } from './client-options.js';
export { pollRefund, MIN_REFUND_QUERY_DELAY_MS } from './poll-refund.js';
export type { PollRefundOptions } from './poll-refund.js';
export type {
  DepositBackInfo,
  QueryRefundParams,
  RefundQueryOption,
  RefundQueryResult,
} from './refund-query-result.js';
export type { QueryTradeParams, TradeQueryResult } from './trade-query-result.js';
export { readGatewayResponse } from './read-gateway-response.js';
export type { GatewayResponse } from './read-gateway-response.js';
export { beijingTimestamp, requestSignContent, signRequestParams } from './request-params.js';
export { AlipayCertRotationError, AlipayGatewayError, RefundStatusUnknownError } from '../errors/index.js';
export type { AlipayGatewayAnswer } from '../errors/index.js';
export type { DownloadAlipayCert } from '../verifier/cert-rotation.js';
