// createAlipayClient against the fake gateway on loopback: every result status, every error
// code, exact-bytes response verification (odd whitespace and escapes), tampered and unsigned
// answers, transport failures, and option checks.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAlipayClient, type AlipayClient } from '../../src/client/index.js';
import { AlipayGatewayError, NotifyConfigError } from '../../src/errors/index.js';
import { createFakeAlipayGateway, generateTestKeyPair, type FakeAlipayGateway } from '../../src/testing/index.js';
import { rejectsWith, startServer } from './support.js';

for (const style of ['compact', 'odd'] as const) {
  describe(`client results (${style} JSON)`, () => {
    let gateway: FakeAlipayGateway;
    let client: AlipayClient;
    before(async () => {
      gateway = await createFakeAlipayGateway({ responseStyle: style });
      client = createAlipayClient(gateway.clientOptions());
    });
    after(() => gateway.close());

    test('a refund that went through is success, with amounts, gmt_refund_pay and deposit-back info when asked', async () => {
      const { outTradeNo, tradeNo } = gateway.createTrade({ totalAmount: '100.00' });
      gateway.refund({ outTradeNo, outRequestNo: 'R-1', refundAmount: '30.50', depositBack: true });
      const plain = await client.queryRefund({ outTradeNo, outRequestNo: 'R-1' });
      assert.equal(plain.status, 'success');
      assert.deepEqual(plain.refundAmount, { fen: 3050, yuan: '30.50' });
      assert.deepEqual(plain.totalAmount, { fen: 10000, yuan: '100.00' });
      assert.equal(plain.tradeNo, tradeNo);
      assert.equal(plain.outRequestNo, 'R-1');
      assert.equal(plain.gmtRefundPay, undefined, 'gmt_refund_pay only when asked for');
      assert.equal(plain.depositBackInfo, undefined);
      assert.deepEqual(gateway.calls.at(-1)?.biz, { out_trade_no: outTradeNo, out_request_no: 'R-1' });

      const full = await client.queryRefund({
        tradeNo,
        outRequestNo: 'R-1',
        queryOptions: ['gmt_refund_pay', 'deposit_back_info'],
      });
      assert.deepEqual(gateway.calls.at(-1)?.biz, {
        trade_no: tradeNo,
        out_request_no: 'R-1',
        query_options: ['gmt_refund_pay', 'deposit_back_info'],
      });
      assert.ok(full.gmtRefundPay instanceof Date);
      assert.ok(
        Math.abs(full.gmtRefundPay.getTime() - Date.now()) < 3600_000,
        'gmt_refund_pay is read as Beijing time',
      );
      assert.equal(full.depositBackInfo?.hasDepositBack, true);
      assert.equal(full.depositBackInfo?.status, 'S');
      assert.deepEqual(full.depositBackInfo?.amount, { fen: 3050, yuan: '30.50' });
      assert.ok(full.depositBackInfo?.estimatedBankReceiptTime instanceof Date);
      assert.equal(gateway.calls.at(-1)?.signatureValid, true);
    });

    test('no refund_status is not_refunded: a refund never received, and a refund that failed', async () => {
      const { outTradeNo } = gateway.createTrade({ totalAmount: '50.00' });
      const never = await client.queryRefund({ outTradeNo, outRequestNo: 'never-sent' });
      assert.equal(never.status, 'not_refunded');
      assert.equal(never.refundAmount, undefined);
      gateway.refund({ outTradeNo, outRequestNo: 'R-failed', refundAmount: '10.00', outcome: 'failed' });
      assert.equal((await client.queryRefund({ outTradeNo, outRequestNo: 'R-failed' })).status, 'not_refunded');
      gateway.refund({ outTradeNo, outRequestNo: 'R-ok', refundAmount: '10.00' });
      const ok = await client.queryRefund({ outTradeNo, outRequestNo: 'R-ok', queryOptions: ['deposit_back_info'] });
      assert.equal(ok.depositBackInfo?.hasDepositBack, false);
    });

    test("ACQ.SYSTEM_ERROR and 20000 are unknown, with Alipay's codes kept", async () => {
      const { outTradeNo } = gateway.createTrade({ totalAmount: '10.00' });
      gateway.injectFault('system-error');
      const sys = await client.queryRefund({ outTradeNo, outRequestNo: 'R' });
      assert.equal(sys.status, 'unknown');
      assert.equal(sys.answer.alipayCode, '40004');
      assert.equal(sys.answer.subCode, 'ACQ.SYSTEM_ERROR');
      gateway.injectFault('unavailable', { method: 'alipay.trade.fastpay.refund.query' });
      const busy = await client.queryRefund({ outTradeNo, outRequestNo: 'R' });
      assert.equal(busy.status, 'unknown');
      assert.equal(busy.answer.alipayCode, '20000');
      assert.equal(busy.answer.subMsg, '系统繁忙');
    });

    test('queryTrade: status, amounts and send_pay_date; a full refund closes the trade', async () => {
      const { outTradeNo, tradeNo } = gateway.createTrade({ totalAmount: '88.80' });
      const paid = await client.queryTrade({ outTradeNo });
      assert.equal(paid.tradeStatus, 'TRADE_SUCCESS');
      assert.equal(paid.tradeNo, tradeNo);
      assert.deepEqual(paid.totalAmount, { fen: 8880, yuan: '88.80' });
      assert.deepEqual(paid.receiptAmount, { fen: 8880, yuan: '88.80' });
      assert.deepEqual(paid.buyerPayAmount, { fen: 8880, yuan: '88.80' });
      assert.ok(paid.sendPayDate instanceof Date);
      gateway.refund({ tradeNo, outRequestNo: 'all', refundAmount: '88.80' });
      assert.equal((await client.queryTrade({ tradeNo })).tradeStatus, 'TRADE_CLOSED');
      const unpaid = gateway.createTrade({ totalAmount: '1.00', status: 'WAIT_BUYER_PAY' });
      assert.equal((await client.queryTrade(unpaid)).tradeStatus, 'WAIT_BUYER_PAY');
    });

    test('an unknown trade is ERR_GATEWAY_ERROR with ACQ.TRADE_NOT_EXIST on the error', async () => {
      const err = await rejectsWith<AlipayGatewayError>(
        client.queryTrade({ outTradeNo: 'no-such-order' }),
        'ERR_GATEWAY_ERROR',
      );
      assert.ok(err instanceof AlipayGatewayError);
      assert.equal(err.method, 'alipay.trade.query');
      assert.equal(err.alipayCode, '40004');
      assert.equal(err.subCode, 'ACQ.TRADE_NOT_EXIST');
      assert.equal(err.subMsg, '交易不存在');
      assert.doesNotMatch(err.message, /交易不存在/, "Alipay's text stays on the error, out of the message");
      const r = await rejectsWith<AlipayGatewayError>(
        client.queryRefund({ outTradeNo: 'no-such-order', outRequestNo: 'x' }),
        'ERR_GATEWAY_ERROR',
      );
      assert.equal(r.subCode, 'ACQ.TRADE_NOT_EXIST');
      gateway.injectFault('unavailable', { method: 'alipay.trade.query' });
      assert.equal(
        (await rejectsWith<AlipayGatewayError>(client.queryTrade({ outTradeNo: 'x' }), 'ERR_GATEWAY_ERROR')).alipayCode,
        '20000',
      );
    });

    for (const fault of ['tampered', 'respaced', 'wrong-key', 'unsigned', 'duplicate'] as const) {
      test(`a ${fault} response is ERR_SIGNATURE_INVALID, never a result`, async () => {
        const { outTradeNo } = gateway.createTrade({ totalAmount: '10.00' });
        gateway.injectFault(fault);
        await rejectsWith(client.queryRefund({ outTradeNo, outRequestNo: 'not-refunded' }), 'ERR_SIGNATURE_INVALID');
        gateway.injectFault(fault);
        await rejectsWith(client.queryTrade({ outTradeNo }), 'ERR_SIGNATURE_INVALID');
        // The same query, answered honestly, says there was no refund.
        assert.equal((await client.queryRefund({ outTradeNo, outRequestNo: 'not-refunded' })).status, 'not_refunded');
      });
    }
  });
}

describe('client transport and gateway errors', () => {
  let gateway: FakeAlipayGateway;
  before(async () => {
    gateway = await createFakeAlipayGateway();
  });
  after(() => gateway.close());

  test('HTTP 502 and a body that is not JSON are ERR_GATEWAY_ERROR', async () => {
    const client = createAlipayClient(gateway.clientOptions());
    gateway.injectFault('http-error');
    const http = await rejectsWith<AlipayGatewayError>(client.queryTrade({ outTradeNo: 'x' }), 'ERR_GATEWAY_ERROR');
    assert.equal(http.httpStatus, 502);
    gateway.injectFault('garbage');
    const garbage = await rejectsWith<AlipayGatewayError>(client.queryTrade({ outTradeNo: 'x' }), 'ERR_GATEWAY_ERROR');
    assert.equal(garbage.httpStatus, 200);
    assert.ok(garbage.cause instanceof SyntaxError);
  });

  test('no answer within timeoutMs is ERR_GATEWAY_TIMEOUT; a dropped connection and a closed port are ERR_GATEWAY_UNREACHABLE', async () => {
    const slow = createAlipayClient({ ...gateway.clientOptions(), timeoutMs: 300 });
    gateway.injectFault('hang');
    await rejectsWith(slow.queryTrade({ outTradeNo: 'x' }), 'ERR_GATEWAY_TIMEOUT');
    gateway.injectFault('reset');
    await rejectsWith(slow.queryTrade({ outTradeNo: 'x' }), 'ERR_GATEWAY_UNREACHABLE');
    const closed = await startServer(() => undefined);
    await closed.close();
    const nowhere = createAlipayClient({ ...gateway.clientOptions(), gateway: `${closed.url}/gateway.do` });
    await rejectsWith(nowhere.queryTrade({ outTradeNo: 'x' }), 'ERR_GATEWAY_UNREACHABLE');
  });

  test('an oversized answer is cut off: ERR_GATEWAY_ERROR', async () => {
    const big = await startServer((_req, res) => {
      res.writeHead(200);
      res.end(Buffer.alloc(2 << 20, 0x20));
    });
    try {
      const client = createAlipayClient({ ...gateway.clientOptions(), gateway: big.url });
      await rejectsWith(client.queryTrade({ outTradeNo: 'x' }), 'ERR_GATEWAY_ERROR');
    } finally {
      await big.close();
    }
  });

  test('a redirect is not followed', async () => {
    const redirect = await startServer((_req, res) => {
      res.writeHead(302, { location: gateway.url });
      res.end();
    });
    try {
      const client = createAlipayClient({ ...gateway.clientOptions(), gateway: redirect.url });
      assert.equal(
        (await rejectsWith<AlipayGatewayError>(client.queryTrade({ outTradeNo: 'x' }), 'ERR_GATEWAY_ERROR')).httpStatus,
        302,
      );
    } finally {
      await redirect.close();
    }
  });

  test('a wrong app key is answered isv.invalid-signature (signed); a wrong app id comes unsigned and is still ERR_GATEWAY_ERROR', async () => {
    const wrongKey = createAlipayClient({ ...gateway.clientOptions(), privateKey: generateTestKeyPair().privateKey });
    const sig = await rejectsWith<AlipayGatewayError>(wrongKey.queryTrade({ outTradeNo: 'x' }), 'ERR_GATEWAY_ERROR');
    assert.equal(sig.subCode, 'isv.invalid-signature');
    assert.equal(gateway.calls.at(-1)?.signatureValid, false);
    const wrongApp = createAlipayClient({ ...gateway.clientOptions(), appId: '2021999999999999' });
    const app = await rejectsWith<AlipayGatewayError>(
      wrongApp.queryRefund({ outTradeNo: 'x', outRequestNo: 'y' }),
      'ERR_GATEWAY_ERROR',
    );
    assert.equal(app.subCode, 'isv.invalid-app-id');
  });

  test('the request: signed by the app key, Beijing timestamp, biz_content JSON; methods work detached', async () => {
    const fixed = new Date('2026-03-01T16:30:05Z');
    const seen: Record<string, string>[] = [];
    const spy = await startServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push(Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))));
        res.writeHead(502);
        res.end();
      });
    });
    try {
      const { queryRefund } = createAlipayClient({ ...gateway.clientOptions(), gateway: spy.url, now: () => fixed });
      await rejectsWith(queryRefund({ outTradeNo: '订单-1', outRequestNo: 'R 1&2' }), 'ERR_GATEWAY_ERROR');
      const p = seen[0]!;
      assert.equal(p['timestamp'], '2026-03-02 00:30:05');
      assert.equal(p['method'], 'alipay.trade.fastpay.refund.query');
      assert.deepEqual(
        [p['format'], p['charset'], p['sign_type'], p['version'], p['app_id']],
        ['JSON', 'utf-8', 'RSA2', '1.0', gateway.appId],
      );
      assert.deepEqual(JSON.parse(p['biz_content']!), { out_trade_no: '订单-1', out_request_no: 'R 1&2' });
      assert.equal(p['app_cert_sn'], undefined);
    } finally {
      await spy.close();
    }
  });

  test('bad options and parameters are ERR_CONFIG', async () => {
    const good = gateway.clientOptions();
    const config = (fn: () => unknown, option: string): void => {
      assert.throws(fn, (err: unknown) => err instanceof NotifyConfigError && err.option === option);
    };
    config(() => createAlipayClient(null as never), 'options');
    config(() => createAlipayClient({ ...good, appId: '' }), 'appId');
    config(() => createAlipayClient({ ...good, privateKey: 'not a key' }), 'privateKey');
    config(() => createAlipayClient({ ...good, privateKey: 42 as never }), 'privateKey');
    config(() => createAlipayClient({ ...good, alipayPublicKey: undefined }), 'alipayPublicKey');
    config(() => createAlipayClient({ ...good, gateway: 'not a url' }), 'gateway');
    config(() => createAlipayClient({ ...good, timeoutMs: 0 }), 'timeoutMs');
    config(() => createAlipayClient({ ...good, now: 'now' as never }), 'now');
    config(() => createAlipayClient({ ...good, appCert: 'x' }), 'alipayPublicCert');
    const { privateKey } = await import('node:crypto').then((c) =>
      c.generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    );
    config(() => createAlipayClient({ ...good, privateKey }), 'privateKey');
    const client = createAlipayClient(good);
    await assert.rejects(client.queryRefund({ outTradeNo: 'x' } as never), NotifyConfigError);
    await assert.rejects(client.queryRefund({ outRequestNo: 'x' } as never), NotifyConfigError);
    await assert.rejects(client.queryRefund(null as never), NotifyConfigError);
    await assert.rejects(client.queryTrade({} as never), NotifyConfigError);
    await assert.rejects(client.queryTrade(null as never), NotifyConfigError);
    await assert.rejects(client.downloadAlipayCert(''), NotifyConfigError);
    await assert.rejects(
      client.downloadAlipayCert('0'.repeat(32)),
      (err: unknown) => err instanceof NotifyConfigError && err.option === 'alipayRootCert',
    );
  });

  test('keys in every form the console and tools give: PKCS#1 and PKCS#8, PEM and bare base64; sandbox and default gateways', async () => {
    const { createPrivateKey } = await import('node:crypto');
    const pem = gateway.clientOptions().privateKey;
    const key = createPrivateKey(pem);
    const forms = [
      key,
      key.export({ format: 'pem', type: 'pkcs1' }).toString(),
      key.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      key.export({ format: 'der', type: 'pkcs1' }).toString('base64'),
    ];
    const { outTradeNo } = gateway.createTrade({ totalAmount: '1.00' });
    for (const privateKey of forms) {
      const client = createAlipayClient({ ...gateway.clientOptions(), privateKey });
      assert.equal((await client.queryTrade({ outTradeNo })).tradeStatus, 'TRADE_SUCCESS');
    }
    const { ALIPAY_GATEWAY_URL, ALIPAY_SANDBOX_GATEWAY_URL } = await import('../../src/client/index.js');
    assert.equal(ALIPAY_GATEWAY_URL, 'https://openapi.alipay.com/gateway.do');
    assert.equal(ALIPAY_SANDBOX_GATEWAY_URL, 'https://openapi-sandbox.dl.alipaydev.com/gateway.do');
    const { gateway: _g, ...noGateway } = gateway.clientOptions();
    assert.equal(typeof createAlipayClient({ ...noGateway, sandbox: true }).queryTrade, 'function');
  });
});
