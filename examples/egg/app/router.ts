// The Egg app's app/router.ts: the Koa adapter as the notify route's middleware (Egg is built on
// Koa). Egg's body parser and CSRF check skip this path (config/config.default.ts).
import type { Application } from 'egg';
// In your app: import { createKoaMiddleware } from 'alipay-refund-notify/koa';
import { createKoaMiddleware } from '../../egg-koa-adapter.js';

// Throwaway defaults: this public key's private half is examples/alipay-test-private-key.pem.
// In production, ALIPAY_PUBLIC_KEY is the 支付宝公钥 from the Alipay console, APP_ID your app id.
const ALIPAY_PUBLIC_KEY =
  process.env.ALIPAY_PUBLIC_KEY ??
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAmbcKoR65I5YQXgIICxBbKjv0DkzuPRfc3IMwnY+9iVZMyJju8n/VJjmm50qF7AKqZcVpotbcLnOb6OSehOpt+jDZtuVJY6C+xvyRgz/RHM/t3MRxBqIOVJbSvAK08L7pcex3MSROkfTphdh6Af5GqgCCkIbyq5oByMg4Be+0XnUjh3Y1F6gVA6iZstCf31gLqvfMmDVVjpJE8Y52A5yhnH02pPZsW4NEYa+GF8nS/srReC29MAZyaUyU3N1RfijMoM3j+5HlB/MjJGs/O1gtdCgMyHaOG7lntH9Eh1Fga0NISGiJGH54gJAoQ8b5W4YnA9cjSAQJ+oftVpYeJz+w1QIDAQAB';
const APP_ID = process.env.APP_ID ?? '2021000000000000';

export default (app: Application): void => {
  app.router.post(
    '/alipay/notify',
    createKoaMiddleware({
      alipayPublicKey: ALIPAY_PUBLIC_KEY,
      appId: APP_ID,
      // Called once per notify_id; "success" is answered only after it resolves. Your services are
      // reachable from the context: ctx.request is Egg's Context (createKoaMiddleware<Context>).
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
};
