// Next.js-style Fetch route: in a Next.js app, the `POST` export below is the whole of
// app/alipay/notify/route.ts. To run it here without Next.js, it is served with @hono/node-server:
//   npm run build && node --import tsx examples/next-route.ts
// and sent a signed refund with
//   npx alipay-notify send http://127.0.0.1:3000/alipay/notify --key examples/alipay-test-private-key.pem
// The contract every example meets is in examples/README.md.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createFetchHandler } from 'alipay-refund-notify/fetch';

// Throwaway defaults: this public key's private half is examples/alipay-test-private-key.pem.
// In production, ALIPAY_PUBLIC_KEY is the 支付宝公钥 from the Alipay console, APP_ID your app id.
const ALIPAY_PUBLIC_KEY =
  process.env.ALIPAY_PUBLIC_KEY ??
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAmbcKoR65I5YQXgIICxBbKjv0DkzuPRfc3IMwnY+9iVZMyJju8n/VJjmm50qF7AKqZcVpotbcLnOb6OSehOpt+jDZtuVJY6C+xvyRgz/RHM/t3MRxBqIOVJbSvAK08L7pcex3MSROkfTphdh6Af5GqgCCkIbyq5oByMg4Be+0XnUjh3Y1F6gVA6iZstCf31gLqvfMmDVVjpJE8Y52A5yhnH02pPZsW4NEYa+GF8nS/srReC29MAZyaUyU3N1RfijMoM3j+5HlB/MjJGs/O1gtdCgMyHaOG7lntH9Eh1Fga0NISGiJGH54gJAoQ8b5W4YnA9cjSAQJ+oftVpYeJz+w1QIDAQAB';
const APP_ID = process.env.APP_ID ?? '2021000000000000';
const PORT = Number(process.env.PORT ?? 3000);

// ---- app/alipay/notify/route.ts ----
export const POST = createFetchHandler({
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
});
// ---- end of route.ts ----

// Standing in for Next.js's router: POST /alipay/notify goes to the route, anything else is a 404.
serve(
  {
    fetch: (request: Request) =>
      request.method === 'POST' && new URL(request.url).pathname === '/alipay/notify'
        ? POST(request)
        : new Response('not found', { status: 404 }),
    port: PORT,
    hostname: '127.0.0.1',
  },
  (info: AddressInfo) => console.log(`listening on http://127.0.0.1:${info.port}/alipay/notify`),
);
