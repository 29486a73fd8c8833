// The fake gateway itself: Alipay's official Node SDK (alipay-sdk, a devDependency) talks to it in
// both modes — its request signatures and certificate SNs pass the gateway's checks, and the
// gateway's signed answers pass the SDK's own response check — so the fake is held to the real
// protocol, not to our client. Plus refunds, closing, notification delivery with the retry schedule.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { AlipaySdk } from 'alipay-sdk';
import { createFakeAlipayGateway, type FakeAlipayGateway } from '../../src/testing/index.js';
import { startServer } from '../client/support.js';

const open: FakeAlipayGateway[] = [];
after(() => Promise.all(open.map((g) => g.close())));
async function gatewayFor(options: Parameters<typeof createFakeAlipayGateway>[0] = {}): Promise<FakeAlipayGateway> {
  const g = await createFakeAlipayGateway(options);
  open.push(g);
  return g;
}

function officialSdk(g: FakeAlipayGateway): AlipaySdk {
  const o = g.clientOptions();
  return new AlipaySdk({
    appId: o.appId,
    privateKey: o.privateKey,
    keyType: 'PKCS8',
    gateway: o.gateway,
    camelcase: false,
    ...(o.alipayPublicKey !== undefined
      ? { alipayPublicKey: o.alipayPublicKey }
      : {
          alipayPublicCertContent: o.alipayPublicCert!,
          appCertContent: o.appCert!,
          alipayRootCertContent: o.alipayRootCert!,
        }),
  });
}

for (const mode of ['key', 'certificate'] as const) {
  test(`${mode} mode: the official alipay-sdk's signed requests pass, and the gateway's signed answers verify in it`, async () => {
    const g = await gatewayFor({ mode });
    const sdk = officialSdk(g);
    const { outTradeNo } = g.createTrade({ totalAmount: '66.60' });
    const refund = await sdk.exec(
      'alipay.trade.refund',
      { bizContent: { out_trade_no: outTradeNo, refund_amount: '6.60', out_request_no: 'SDK-1' } },
      { validateSign: true },
    );
    assert.equal(refund['code'], '10000');
    assert.equal(refund['refund_fee'], '6.60');
    assert.equal(g.calls.at(-1)?.signatureValid, true);
    const again = await sdk.exec(
      'alipay.trade.refund',
      { bizContent: { out_trade_no: outTradeNo, refund_amount: '6.60', out_request_no: 'SDK-1' } },
      { validateSign: true },
    );
    assert.equal(again['fund_change'], 'N', 'the same out_request_no refunds once');
    const query = await sdk.exec(
      'alipay.trade.fastpay.refund.query',
      { bizContent: { out_trade_no: outTradeNo, out_request_no: 'SDK-1', query_options: ['gmt_refund_pay'] } },
      { validateSign: true },
    );
    assert.equal(query['refund_status'], 'REFUND_SUCCESS');
    assert.match(String(query['gmt_refund_pay']), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const trade = await sdk.exec(
      'alipay.trade.query',
      { bizContent: { out_trade_no: outTradeNo } },
      { validateSign: true },
    );
    assert.equal(trade['trade_status'], 'TRADE_SUCCESS');
    g.injectFault('wrong-key');
    await assert.rejects(
      sdk.exec('alipay.trade.query', { bizContent: { out_trade_no: outTradeNo } }, { validateSign: true }),
      /验签失败/,
    );
  });
}

test('refund and close rules: over-refund, refund of an unpaid trade, closing paid and unpaid trades', async () => {
  const g = await gatewayFor();
  const sdk = officialSdk(g);
  const paid = g.createTrade({ totalAmount: '10.00' });
  const over = await sdk.exec('alipay.trade.refund', {
    bizContent: { trade_no: paid.tradeNo, refund_amount: '10.01' },
  });
  assert.equal(over['sub_code'], 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL');
  const zero = await sdk.exec('alipay.trade.refund', { bizContent: { trade_no: paid.tradeNo, refund_amount: '0' } });
  assert.equal(zero['sub_code'], 'ACQ.INVALID_PARAMETER');
  const full = await sdk.exec('alipay.trade.refund', {
    bizContent: { trade_no: paid.tradeNo, refund_amount: '10.00' },
  });
  assert.equal(full['code'], '10000');
  assert.equal(g.tradeStatus(paid), 'TRADE_CLOSED');
  const closedAgain = await sdk.exec('alipay.trade.refund', {
    bizContent: { trade_no: paid.tradeNo, refund_amount: '1.00', out_request_no: 'more' },
  });
  assert.equal(closedAgain['sub_code'], 'ACQ.TRADE_STATUS_ERROR');
  assert.equal(
    (await sdk.exec('alipay.trade.close', { bizContent: { trade_no: paid.tradeNo } }))['sub_code'],
    'ACQ.TRADE_STATUS_ERROR',
  );
  const unpaid = g.createTrade({ totalAmount: '5.00', status: 'WAIT_BUYER_PAY' });
  assert.equal(
    (await sdk.exec('alipay.trade.close', { bizContent: { out_trade_no: unpaid.outTradeNo } }))['code'],
    '10000',
  );
  assert.equal(g.tradeStatus(unpaid), 'TRADE_CLOSED');
  for (const method of ['alipay.trade.close', 'alipay.trade.refund']) {
    assert.equal(
      (await sdk.exec(method, { bizContent: { out_trade_no: 'nope', refund_amount: '1.00' } }))['sub_code'],
      'ACQ.TRADE_NOT_EXIST',
    );
  }
  assert.equal((await sdk.exec('alipay.no.such.method', { bizContent: {} }))['sub_code'], 'isv.invalid-method');
  assert.throws(() => g.refund({ outTradeNo: 'nope', outRequestNo: 'x', refundAmount: '1.00' }), TypeError);
  assert.throws(() => g.refund({ tradeNo: unpaid.tradeNo, outRequestNo: 'x', refundAmount: '99.00' }), TypeError);
  assert.throws(() => g.createTrade({ totalAmount: 'free' }), TypeError);
  assert.throws(() => g.rotateCertificate(), TypeError);
});

test("notifications: delivered with Alipay's headers and retry schedule until exactly `success`", async () => {
  const g = await gatewayFor({ timeScale: 0.0001 });
  const received: { body: string; contentType: string | undefined }[] = [];
  const answers = ['fail', 'SUCCESS', 'success'];
  const endpoint = await startServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), contentType: req.headers['content-type'] });
      res.end(answers[received.length - 1] ?? 'success');
    });
  });
  try {
    const { outTradeNo, tradeNo } = g.createTrade({
      totalAmount: '100.00',
      notifyUrl: endpoint.url,
      notifyFullRefund: true,
    });
    const partial = g.refund({ outTradeNo, outRequestNo: 'P-1', refundAmount: '40.00' });
    const done = await partial.delivery!.done;
    assert.deepEqual(done, { acknowledged: true, attempts: 3 });
    assert.deepEqual(
      partial.delivery!.attempts.map((a) => a.acknowledged),
      [false, false, true],
    );
    assert.equal(received[0]!.contentType, 'application/x-www-form-urlencoded; text/html; charset=UTF-8');
    const fields = new URLSearchParams(received[0]!.body);
    assert.equal(fields.get('trade_no'), tradeNo);
    assert.equal(fields.get('out_biz_no'), 'P-1');
    assert.equal(fields.get('refund_fee'), '40.00');
    assert.equal(fields.get('trade_status'), 'TRADE_SUCCESS');
    assert.equal(new Set(received.map((r) => r.body)).size, 1, 'every retry is the same body');
    const full = g.refund({ outTradeNo, outRequestNo: 'P-2', refundAmount: '60.00' });
    assert.equal((await full.delivery!.done).acknowledged, true);
    assert.equal(new URLSearchParams(received.at(-1)!.body).get('trade_status'), 'TRADE_CLOSED');
    assert.equal(new URLSearchParams(received.at(-1)!.body).get('refund_fee'), '100.00');
  } finally {
    await endpoint.close();
  }
});

test('options: an app public key of your own (no clientOptions then), a bad timeScale', async () => {
  const own = await gatewayFor({ appPublicKey: (await gatewayFor()).app.publicKey });
  assert.equal(own.app.privateKey, undefined);
  assert.throws(() => own.clientOptions(), TypeError);
  await assert.rejects(createFakeAlipayGateway({ timeScale: 0 }), TypeError);
});
