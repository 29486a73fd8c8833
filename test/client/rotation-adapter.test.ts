// Certificate rotation end to end: the fake gateway delivers refund notifications (Alipay's retry
// schedule, compressed) to a real Express 5 app mounting createExpressHandler with
// downloadAlipayCert = the client's download. After a rotation the first notification is answered
// `success` on its first delivery; a certificate from another root is refused on every retry; a
// flood of made-up SNs posted over HTTP costs a bounded number of downloads, counted by the gateway.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import express5 from 'express5';
import { createExpressHandler } from '../../src/adapters/express.js';
import type { NotifyAdapterOptions } from '../../src/adapters/adapter-options.js';
import { createAlipayClient } from '../../src/client/index.js';
import type { AlipayNotifyError } from '../../src/errors/index.js';
import type { RefundNotification } from '../../src/types.js';
import {
  buildRefundFields,
  createFakeAlipayGateway,
  generateTestKeyPair,
  signNotificationWithCertificate,
  type FakeAlipayGateway,
} from '../../src/testing/index.js';
import { post } from '../adapters/support/http.js';

const APP_ID = '2021000000000000';
let gateway: FakeAlipayGateway;
const refunds: RefundNotification[] = [];
const errors: { code: string; reason?: string }[] = [];

async function startApp(options: Partial<NotifyAdapterOptions>): Promise<{ url: string; close(): Promise<void> }> {
  const client = createAlipayClient(gateway.clientOptions());
  const app = express5();
  app.post(
    '/alipay/notify',
    createExpressHandler({
      alipayPublicCert: gateway.alipayPublicCert!,
      alipayRootCert: gateway.alipayRootCert!,
      appId: APP_ID,
      downloadAlipayCert: client.downloadAlipayCert,
      onRefund: (n) => {
        refunds.push(n);
      },
      onNotification: 'acknowledge',
      onError: (err: AlipayNotifyError) => {
        errors.push({ code: err.code, reason: (err as { reason?: string }).reason });
      },
      ...options,
    }),
  );
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alipay/notify`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

before(async () => {
  // 4 minutes → 12 ms: the whole 25-hour schedule takes under 5 seconds.
  gateway = await createFakeAlipayGateway({ mode: 'certificate', appId: APP_ID, timeScale: 0.00005 });
});
after(() => gateway.close());

test('after a rotation, the first refund notification signed with the new certificate is acknowledged on its first delivery', async () => {
  const app = await startApp({});
  try {
    const { outTradeNo } = gateway.createTrade({ totalAmount: '100.00', notifyUrl: app.url });
    const first = gateway.refund({ outTradeNo, outRequestNo: 'R-1', refundAmount: '10.00' });
    assert.deepEqual(await first.delivery!.done, { acknowledged: true, attempts: 1 });
    assert.equal(gateway.downloads, 0);

    const { sn } = gateway.rotateCertificate();
    const second = gateway.refund({ outTradeNo, outRequestNo: 'R-2', refundAmount: '20.00' });
    assert.deepEqual(await second.delivery!.done, { acknowledged: true, attempts: 1 });
    assert.equal(gateway.downloads, 1);
    assert.deepEqual(
      refunds.map((r) => r.kind === 'trade_refund' && r.outBizNo),
      ['R-1', 'R-2'],
    );
    assert.equal(second.delivery!.attempts[0]!.reply, 'success');

    const third = gateway.refund({ outTradeNo, outRequestNo: 'R-3', refundAmount: '5.00' });
    assert.deepEqual(await third.delivery!.done, { acknowledged: true, attempts: 1 });
    assert.equal(gateway.downloads, 1, `the certificate ${sn} is cached`);
    assert.deepEqual(errors, []);
  } finally {
    await app.close();
  }
});

test('a certificate from another root is refused on every retry, and downloaded once per minute at most', async () => {
  const app = await startApp({});
  try {
    const { outTradeNo } = gateway.createTrade({ totalAmount: '100.00', notifyUrl: app.url });
    const before = gateway.downloads;
    const seen = refunds.length;
    errors.length = 0;
    gateway.rotateCertificate({ trusted: false });
    const refused = gateway.refund({ outTradeNo, outRequestNo: 'R-rogue', refundAmount: '10.00' });
    const done = await refused.delivery!.done;
    assert.equal(done.acknowledged, false);
    assert.equal(done.attempts, 8, "the first delivery and Alipay's seven retries");
    assert.ok(refused.delivery!.attempts.every((a) => a.status === 400 && a.reply === 'fail'));
    assert.equal(refunds.length, seen, 'the handler never ran');
    assert.equal(gateway.downloads, before + 1);
    assert.deepEqual(errors[0], { code: 'ERR_CERT_INVALID', reason: 'untrusted' });
    assert.ok(errors.slice(1).every((e) => e.code === 'ERR_CERT_NOT_FOUND' && e.reason === 'recently-failed'));
  } finally {
    gateway.rotateCertificate();
    await app.close();
  }
});

test('a flood of notifications naming made-up certificate SNs: every one answered fail, a bounded number of downloads', async () => {
  const fixed = new Date();
  const app = await startApp({ now: () => fixed });
  try {
    const attacker = generateTestKeyPair();
    const before = gateway.downloads;
    const answers = [];
    for (let i = 0; i < 5; i++) {
      const batch = Array.from({ length: 12 }, () => {
        const { body } = signNotificationWithCertificate(buildRefundFields('partial', { appId: APP_ID }), {
          privateKey: attacker.privateKey,
          alipayCertSn: randomBytes(16).toString('hex'),
        });
        return post(app.url.replace('/alipay/notify', ''), body);
      });
      answers.push(...(await Promise.all(batch)));
    }
    assert.equal(answers.length, 60);
    assert.ok(answers.every((a) => a.status === 400 && a.text === 'fail'));
    const downloads = gateway.downloads - before;
    assert.ok(downloads >= 1 && downloads <= 3, `downloads: ${downloads}`);
  } finally {
    await app.close();
  }
});
