// NestJS example (Express platform): an Alipay refund notification endpoint. Run it with
//   npm run build && node --import tsx examples/nest.ts
// and send it a signed refund with
//   npx alipay-notify send http://127.0.0.1:3000/alipay/notify --key examples/alipay-test-private-key.pem
// The contract every example meets is in examples/README.md.
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createExpressHandler } from 'alipay-refund-notify/express';

// Throwaway defaults: this public key's private half is examples/alipay-test-private-key.pem.
// In production, ALIPAY_PUBLIC_KEY is the 支付宝公钥 from the Alipay console, APP_ID your app id.
const ALIPAY_PUBLIC_KEY =
  process.env.ALIPAY_PUBLIC_KEY ??
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAmbcKoR65I5YQXgIICxBbKjv0DkzuPRfc3IMwnY+9iVZMyJju8n/VJjmm50qF7AKqZcVpotbcLnOb6OSehOpt+jDZtuVJY6C+xvyRgz/RHM/t3MRxBqIOVJbSvAK08L7pcex3MSROkfTphdh6Af5GqgCCkIbyq5oByMg4Be+0XnUjh3Y1F6gVA6iZstCf31gLqvfMmDVVjpJE8Y52A5yhnH02pPZsW4NEYa+GF8nS/srReC29MAZyaUyU3N1RfijMoM3j+5HlB/MjJGs/O1gtdCgMyHaOG7lntH9Eh1Fga0NISGiJGH54gJAoQ8b5W4YnA9cjSAQJ+oftVpYeJz+w1QIDAQAB';
const APP_ID = process.env.APP_ID ?? '2021000000000000';
const PORT = Number(process.env.PORT ?? 3000);

// Your app's root module, with its controllers and providers.
@Module({})
class AppModule {}

// Nest's default body parsers stay on: they are mounted in init(), after the handler below.
const app = await NestFactory.create<NestExpressApplication>(AppModule, { logger: false });

// Mounted with app.use() before listen(), so it runs before Nest's body parsers (which refuse GBK
// notifications with 415) and answers 200 "success" itself (a @Post() controller answers 201).
app.use(
  '/alipay/notify',
  createExpressHandler({
    alipayPublicKey: ALIPAY_PUBLIC_KEY,
    appId: APP_ID,
    // Called once per notify_id; "success" is answered only after it resolves. With Nest's DI,
    // take your service from the app first: const refunds = app.get(RefundsService).
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

await app.listen(PORT, '127.0.0.1');
const { port } = app.getHttpServer().address() as AddressInfo;
console.log(`listening on http://127.0.0.1:${port}/alipay/notify`);
