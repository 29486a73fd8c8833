// The typing of verified answers, on bodies that the fake gateway does not produce: answers about
// another trade or refund, undocumented statuses, malformed amounts; and downloads whose content is
// not the certificate asked for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createAlipayClient } from '../../src/client/index.js';
import { toRefundQueryResult } from '../../src/client/refund-query-result.js';
import { toTradeQueryResult } from '../../src/client/trade-query-result.js';
import { AlipayCertRotationError, AlipayNotifyError } from '../../src/errors/index.js';
import { createFakeAlipayGateway, generateTestKeyPair } from '../../src/testing/index.js';
import { createTestCertificateAuthority } from '../../src/testing/generate-test-certificates.js';
import { rejectsWith, startServer } from './support.js';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return 'none';
  } catch (err) {
    return err instanceof AlipayNotifyError ? err.code : 'other';
  }
};

test('refund answers: another refund or trade is ERR_GATEWAY_ERROR; an undocumented refund_status is unknown; a bad amount ERR_FIELD_INVALID', () => {
  const ok = {
    code: '10000',
    msg: 'Success',
    trade_no: 'T',
    out_trade_no: 'O',
    out_request_no: 'R',
    refund_amount: '1.00',
    refund_status: 'REFUND_SUCCESS',
  };
  assert.equal(toRefundQueryResult(ok, { outTradeNo: 'O', tradeNo: 'T', outRequestNo: 'R' }).status, 'success');
  assert.equal(
    codeOf(() => toRefundQueryResult(ok, { outTradeNo: 'O', outRequestNo: 'other' })),
    'ERR_GATEWAY_ERROR',
  );
  assert.equal(
    codeOf(() => toRefundQueryResult(ok, { tradeNo: 'other', outRequestNo: 'R' })),
    'ERR_GATEWAY_ERROR',
  );
  assert.equal(
    codeOf(() => toRefundQueryResult(ok, { outTradeNo: 'other', outRequestNo: 'R' })),
    'ERR_GATEWAY_ERROR',
  );
  assert.equal(
    toRefundQueryResult({ ...ok, refund_status: 'REFUND_PROCESSING' }, { outTradeNo: 'O', outRequestNo: 'R' }).status,
    'unknown',
  );
  assert.equal(
    codeOf(() => toRefundQueryResult({ ...ok, refund_amount: '1.0.0' }, { outTradeNo: 'O', outRequestNo: 'R' })),
    'ERR_FIELD_INVALID',
  );
  assert.equal(
    codeOf(() => toRefundQueryResult({ ...ok, gmt_refund_pay: 'yesterday' }, { outTradeNo: 'O', outRequestNo: 'R' })),
    'ERR_FIELD_INVALID',
  );
  const odd = toRefundQueryResult(
    { ...ok, deposit_back_info: { dback_status: 'P' } },
    { outTradeNo: 'O', outRequestNo: 'R' },
  );
  assert.deepEqual(odd.depositBackInfo, {
    hasDepositBack: undefined,
    status: 'P',
    amount: undefined,
    bankAckTime: undefined,
    estimatedBankReceiptTime: undefined,
  });
  assert.equal(
    toRefundQueryResult({ ...ok, deposit_back_info: [] }, { outTradeNo: 'O', outRequestNo: 'R' }).depositBackInfo,
    undefined,
  );
  assert.equal(
    codeOf(() => toRefundQueryResult({ code: '40004' }, { outTradeNo: 'O', outRequestNo: 'R' })),
    'ERR_GATEWAY_ERROR',
  );
  assert.equal(
    codeOf(() => toRefundQueryResult({}, { outTradeNo: 'O', outRequestNo: 'R' })),
    'ERR_GATEWAY_ERROR',
  );
});

test('trade answers: another trade is ERR_GATEWAY_ERROR, no trade_status too; other statuses pass through', () => {
  const ok = { code: '10000', trade_no: 'T', out_trade_no: 'O', trade_status: 'TRADE_FINISHED', total_amount: '2.00' };
  assert.equal(toTradeQueryResult(ok, { outTradeNo: 'O', tradeNo: 'T' }).tradeStatus, 'TRADE_FINISHED');
  assert.equal(
    codeOf(() => toTradeQueryResult(ok, { tradeNo: 'other' })),
    'ERR_GATEWAY_ERROR',
  );
  assert.equal(
    codeOf(() => toTradeQueryResult(ok, { outTradeNo: 'other' })),
    'ERR_GATEWAY_ERROR',
  );
  assert.equal(
    codeOf(() => toTradeQueryResult({ ...ok, trade_status: '' }, { outTradeNo: 'O' })),
    'ERR_GATEWAY_ERROR',
  );
  assert.equal(
    toTradeQueryResult({ code: '10000', trade_status: 'TRADE_PENDING' }, { outTradeNo: 'O' }).tradeStatus,
    'TRADE_PENDING',
  );
});

test('a configured certificate outside its validity period does not verify answers (ERR_CERT_INVALID)', async () => {
  const gateway = await createFakeAlipayGateway({ mode: 'certificate' });
  try {
    const future = createAlipayClient({
      ...gateway.clientOptions(),
      now: () => new Date(Date.now() + 20 * 365 * 86_400_000),
    });
    await rejectsWith(future.queryTrade({ outTradeNo: 'x' }), 'ERR_CERT_INVALID');
  } finally {
    await gateway.close();
  }
});

test('a download whose content is unreadable, or another certificate, is refused before anything is trusted', async () => {
  const ca = createTestCertificateAuthority();
  const wanted = ca.issue('wanted');
  const other = ca.issue('other');
  let content = '';
  const server = await startServer((_req, res) => {
    res.end(
      JSON.stringify({
        alipay_open_app_alipaycert_download_response: { code: '10000', msg: 'Success', alipay_cert_content: content },
        sign: 'AAAA',
      }),
    );
  });
  try {
    const client = createAlipayClient({
      appId: '2021000000000000',
      privateKey: generateTestKeyPair().privateKey,
      alipayPublicKey: generateTestKeyPair().publicKey,
      alipayRootCert: ca.rootCert,
      gateway: server.url,
    });
    content = Buffer.from('not a certificate').toString('base64');
    assert.equal(
      (await rejectsWith<AlipayCertRotationError>(client.downloadAlipayCert(wanted.sn), 'ERR_CERT_INVALID')).reason,
      'unreadable',
    );
    content = Buffer.from(other.cert).toString('base64');
    assert.equal(
      (await rejectsWith<AlipayCertRotationError>(client.downloadAlipayCert(wanted.sn), 'ERR_CERT_INVALID')).reason,
      'sn-mismatch',
    );
    content = Buffer.from(wanted.cert).toString('base64');
    await rejectsWith(client.downloadAlipayCert(wanted.sn), 'ERR_SIGNATURE_INVALID');
  } finally {
    await server.close();
  }
});
