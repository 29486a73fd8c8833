// A Midway app's src/configuration.ts (Midway 4, @midwayjs/koa), started by examples/midway.ts:
// the Alipay adapter mounted first, ahead of the body parser @midwayjs/koa adds.
import { Configuration, type IMidwayContainer } from '@midwayjs/core';
import * as koa from '@midwayjs/koa';
import { createKoaMiddleware, insertMiddlewareFirst } from 'alipay-refund-notify/koa';

// Throwaway defaults: this public key's private half is examples/alipay-test-private-key.pem.
// In production, ALIPAY_PUBLIC_KEY is the 支付宝公钥 from the Alipay console, APP_ID your app id.
const ALIPAY_PUBLIC_KEY =
  process.env.ALIPAY_PUBLIC_KEY ??
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAmbcKoR65I5YQXgIICxBbKjv0DkzuPRfc3IMwnY+9iVZMyJju8n/VJjmm50qF7AKqZcVpotbcLnOb6OSehOpt+jDZtuVJY6C+xvyRgz/RHM/t3MRxBqIOVJbSvAK08L7pcex3MSROkfTphdh6Af5GqgCCkIbyq5oByMg4Be+0XnUjh3Y1F6gVA6iZstCf31gLqvfMmDVVjpJE8Y52A5yhnH02pPZsW4NEYa+GF8nS/srReC29MAZyaUyU3N1RfijMoM3j+5HlB/MjJGs/O1gtdCgMyHaOG7lntH9Eh1Fga0NISGiJGH54gJAoQ8b5W4YnA9cjSAQJ+oftVpYeJz+w1QIDAQAB';
const APP_ID = process.env.APP_ID ?? '2021000000000000';

@Configuration({
  imports: [koa],
  // koa.port null: examples/midway.ts starts the HTTP server itself, to print the port it got.
  importConfigs: [{ default: { keys: 'example-only-cookie-key', koa: { port: null } } }],
})
export class MainConfiguration {
  async onReady(_container: IMidwayContainer, app: koa.Application): Promise<void> {
    // First, ahead of the koa-bodyparser @midwayjs/koa adds: app.useMiddleware() would append
    // after it, and it would consume the body before the adapter.
    insertMiddlewareFirst(
      app,
      createKoaMiddleware({
        path: '/alipay/notify',
        alipayPublicKey: ALIPAY_PUBLIC_KEY,
        appId: APP_ID,
        // Called once per notify_id; "success" is answered only after it resolves.
        onRefund: async (refund) => {
          if (refund.kind === 'trade_refund') {
            console.log(
              `refund ${refund.refundType} out_trade_no=${refund.outTradeNo} out_biz_no=${refund.outBizNo} refund_fee=${refund.refundFee?.yuan} charset=${refund.charset}`,
            );
          } else {
            console.log(`refund ${refund.kind} notify_id=${refund.notifyId}`);
          }
        },
        // Payments reach the same notify_url; this example only acknowledges them.
        onNotification: 'acknowledge',
        onError: (error) => console.log(`answered fail: ${error.code}`),
      }),
    );
  }
}
