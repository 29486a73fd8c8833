// Automatic certificate rotation in certificate mode: the verifier's asynchronous path downloads a
// certificate it does not know (through the client, from the fake gateway), checks it against the
// root, caches it, and verifies; the synchronous path keeps ERR_CERT_NOT_FOUND. Downloads are
// single-flight per SN, rate-limited and failures remembered; the fake gateway counts them.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createAlipayClient, type AlipayClient } from '../../src/client/index.js';
import { AlipayCertRotationError, AlipayGatewayError, NotifyConfigError } from '../../src/errors/index.js';
import { createNotifyVerifier, type NotifyVerifier, type NotifyVerifierOptions } from '../../src/index.js';
import {
  buildRefundFields,
  createFakeAlipayGateway,
  generateTestKeyPair,
  signNotificationWithCertificate,
  type FakeAlipayGateway,
} from '../../src/testing/index.js';
import { createTestCertificateAuthority } from '../../src/testing/generate-test-certificates.js';
import { rejectsWith } from '../client/support.js';

const APP_ID = '2021000000000000';
const refundFields = (): Record<string, string> => buildRefundFields('partial', { appId: APP_ID });

describe('rotation through the verifier', () => {
  let gateway: FakeAlipayGateway;
  let client: AlipayClient;
  let options: NotifyVerifierOptions;
  before(async () => {
    gateway = await createFakeAlipayGateway({ mode: 'certificate', appId: APP_ID });
    client = createAlipayClient(gateway.clientOptions());
    options = {
      alipayPublicCert: gateway.alipayPublicCert!,
      alipayRootCert: gateway.alipayRootCert!,
      appId: APP_ID,
      downloadAlipayCert: client.downloadAlipayCert,
    };
  });
  after(() => gateway.close());

  test('the configured certificate verifies on both paths, with no download', async () => {
    const verifier = createNotifyVerifier(options);
    const body = gateway.sign(refundFields());
    assert.equal(verifier.verify(body).kind, 'trade_refund');
    assert.equal((await verifier.verifyAsync(body)).kind, 'trade_refund');
    assert.equal(gateway.downloads, 0);
  });

  test('a rotated certificate: the sync path says to use verifyAsync; verifyAsync downloads it once, then both paths use it', async () => {
    const verifier = createNotifyVerifier(options);
    const before = gateway.downloads;
    const { sn } = gateway.rotateCertificate();
    const body = gateway.sign(refundFields());
    const sync = (() => {
      try {
        verifier.verify(body);
      } catch (err) {
        return err as Error & { code: string };
      }
      return undefined;
    })();
    assert.equal(sync?.code, 'ERR_CERT_NOT_FOUND');
    assert.match(sync.message, /verifyAsync/);
    assert.equal(gateway.downloads, before, 'the sync path never downloads');
    const n = await verifier.verifyRefundAsync(body);
    assert.equal(n.kind, 'trade_refund');
    assert.equal(gateway.downloads, before + 1);
    assert.equal(verifier.verify(gateway.sign(refundFields())).kind, 'trade_refund');
    await verifier.verifyAsync(gateway.sign(refundFields()));
    assert.equal(gateway.downloads, before + 1, 'cached by SN');
    assert.equal(gateway.alipayCertSn, sn);
  });

  test('single flight: twenty notifications naming the same new certificate at once cost one download', async () => {
    const verifier = createNotifyVerifier(options);
    gateway.rotateCertificate();
    const bodies = Array.from({ length: 20 }, () => gateway.sign(refundFields()));
    const before = gateway.downloads;
    const results = await Promise.all(bodies.map((b) => verifier.verifyAsync(b)));
    assert.equal(results.length, 20);
    assert.equal(gateway.downloads, before + 1);
  });

  test('a certificate from another root with the same names is refused (ERR_CERT_INVALID), and not asked for again at once', async () => {
    const verifier = createNotifyVerifier(options);
    gateway.rotateCertificate({ trusted: false });
    const body = gateway.sign(refundFields());
    const before = gateway.downloads;
    const err = await rejectsWith<AlipayCertRotationError>(verifier.verifyAsync(body), 'ERR_CERT_INVALID');
    assert.ok(err instanceof AlipayCertRotationError);
    assert.equal(err.reason, 'untrusted');
    const again = await rejectsWith<AlipayCertRotationError>(verifier.verifyAsync(body), 'ERR_CERT_NOT_FOUND');
    assert.equal(again.reason, 'recently-failed');
    assert.equal(gateway.downloads, before + 1);
    gateway.rotateCertificate();
  });

  test('an expired certificate is refused (ERR_CERT_INVALID, expired)', async () => {
    const verifier = createNotifyVerifier(options);
    gateway.rotateCertificate({ validTo: new Date(Date.now() - 3600_000) });
    const err = await rejectsWith<AlipayCertRotationError>(
      verifier.verifyAsync(gateway.sign(refundFields())),
      'ERR_CERT_INVALID',
    );
    assert.equal(err.reason, 'expired');
    gateway.rotateCertificate();
  });

  test('a flood of made-up SNs costs a handful of downloads (rate limit), each refused ERR_CERT_NOT_FOUND', async () => {
    const fixed = new Date();
    const verifier = createNotifyVerifier({ ...options, now: () => fixed });
    const attacker = generateTestKeyPair();
    const before = gateway.downloads;
    const reasons = new Map<string, number>();
    for (let i = 0; i < 10; i++) {
      const batch = Array.from({ length: 20 }, () =>
        verifier
          .verifyAsync(
            signNotificationWithCertificate(refundFields(), {
              privateKey: attacker.privateKey,
              alipayCertSn: randomBytes(16).toString('hex'),
            }).body,
          )
          .then(
            () => 'verified',
            (err: AlipayCertRotationError) => `${err.code}:${err.reason}`,
          ),
      );
      for (const r of await Promise.all(batch)) reasons.set(r, (reasons.get(r) ?? 0) + 1);
    }
    const downloads = gateway.downloads - before;
    const seen = JSON.stringify([...reasons]);
    assert.ok(downloads >= 1 && downloads <= 3, `downloads: ${downloads}, ${seen}`);
    assert.equal(reasons.get('ERR_CERT_NOT_FOUND:rate-limited'), 200 - downloads, seen);
    assert.equal(reasons.get('ERR_CERT_NOT_FOUND:download-failed'), downloads, seen);
  });

  test('an alipay_cert_sn that is not an SN is refused without a download', async () => {
    const verifier = createNotifyVerifier(options);
    const before = gateway.downloads;
    const body = signNotificationWithCertificate(refundFields(), {
      privateKey: generateTestKeyPair().privateKey,
      alipayCertSn: '../../etc/passwd',
    }).body;
    const err = await rejectsWith<AlipayCertRotationError>(verifier.verifyAsync(body), 'ERR_CERT_NOT_FOUND');
    assert.equal(err.reason, 'not-an-sn');
    assert.equal(gateway.downloads, before);
  });
});

describe('rotation with other downloaders', () => {
  const ca = createTestCertificateAuthority();
  const first = ca.issue('Test Alipay Notify Certificate');
  const base = { alipayPublicCert: first.cert, alipayRootCert: ca.rootCert, appId: APP_ID };
  const bodyFor = (c: { privateKey: string; sn: string }): Buffer =>
    signNotificationWithCertificate(refundFields(), { privateKey: c.privateKey, alipayCertSn: c.sn }).body;

  test('a downloader that fails, returns another certificate, or returns something that is not a PEM', async () => {
    const next = ca.issue('next');
    const other = ca.issue('other');
    const cases: [NotifyVerifierOptions['downloadAlipayCert'], string, string][] = [
      [
        async () => {
          throw new Error('network down');
        },
        'ERR_CERT_NOT_FOUND',
        'download-failed',
      ],
      [async () => other.cert, 'ERR_CERT_INVALID', 'sn-mismatch'],
      [async () => 42 as unknown as string, 'ERR_CERT_INVALID', 'unreadable'],
      [async () => 'not a certificate', 'ERR_CERT_INVALID', 'unreadable'],
      [async () => createTestCertificateAuthority().issue('rogue').cert, 'ERR_CERT_INVALID', 'sn-mismatch'],
    ];
    for (const [downloadAlipayCert, code, reason] of cases) {
      const verifier = createNotifyVerifier({ ...base, downloadAlipayCert });
      const err = await rejectsWith<AlipayCertRotationError>(verifier.verifyAsync(bodyFor(next)), code);
      assert.equal(err.reason, reason);
    }
    const failing = await rejectsWith<AlipayCertRotationError>(
      createNotifyVerifier({
        ...base,
        downloadAlipayCert: async () => {
          throw new Error('network down');
        },
      }).verifyAsync(bodyFor(next)),
      'ERR_CERT_NOT_FOUND',
    );
    assert.equal((failing.cause as Error).message, 'network down');
    const good = createNotifyVerifier({ ...base, downloadAlipayCert: async (sn) => (sn === next.sn ? next.cert : '') });
    assert.equal((await good.verifyAsync(bodyFor(next))).kind, 'trade_refund');
    assert.equal((await good.verifyAsync(bodyFor(first))).kind, 'trade_refund');
  });

  test('downloadAlipayCert needs alipayRootCert and must be a function (ERR_CONFIG)', () => {
    assert.throws(
      () => createNotifyVerifier({ alipayPublicCert: first.cert, appId: APP_ID, downloadAlipayCert: async () => '' }),
      (err: unknown) => err instanceof NotifyConfigError && err.option === 'alipayRootCert',
    );
    assert.throws(
      () => createNotifyVerifier({ ...base, downloadAlipayCert: 'yes' as never }),
      (err: unknown) => err instanceof NotifyConfigError && err.option === 'downloadAlipayCert',
    );
  });

  test('a notification without alipay_cert_sn still verifies with the configured certificate', async () => {
    const verifier: NotifyVerifier = createNotifyVerifier({ ...base, downloadAlipayCert: async () => '' });
    const { signNotification } = await import('../../src/testing/index.js');
    const body = signNotification(refundFields(), { privateKey: first.privateKey }).body;
    assert.equal((await verifier.verifyAsync(body)).kind, 'trade_refund');
    assert.equal(verifier.verify(body).kind, 'trade_refund');
  });
});

describe('rotation inside the client (responses signed with a new certificate)', () => {
  let gateway: FakeAlipayGateway;
  before(async () => {
    gateway = await createFakeAlipayGateway({ mode: 'certificate', responseStyle: 'odd' });
  });
  after(() => gateway.close());

  test('certificate mode: app_cert_sn and alipay_root_cert_sn are sent; a rotated certificate is downloaded once and used', async () => {
    const client = createAlipayClient(gateway.clientOptions());
    const { outTradeNo } = gateway.createTrade({ totalAmount: '10.00' });
    assert.equal((await client.queryTrade({ outTradeNo })).tradeStatus, 'TRADE_SUCCESS');
    const before = gateway.downloads;
    const { sn, cert } = gateway.rotateCertificate();
    assert.equal((await client.queryTrade({ outTradeNo })).tradeStatus, 'TRADE_SUCCESS');
    assert.equal((await client.queryRefund({ outTradeNo, outRequestNo: 'x' })).status, 'not_refunded');
    assert.equal(gateway.downloads, before + 1);
    assert.equal(await client.downloadAlipayCert(sn), cert);
  });

  test('a response signed by a certificate from another root is refused; an expired configured certificate too', async () => {
    const client = createAlipayClient(gateway.clientOptions());
    gateway.rotateCertificate({ trusted: false });
    const err = await rejectsWith<AlipayCertRotationError>(client.queryTrade({ outTradeNo: 'x' }), 'ERR_CERT_INVALID');
    assert.equal(err.reason, 'untrusted');
    gateway.rotateCertificate({ validTo: new Date(Date.now() - 3600_000) });
    assert.equal(
      (
        await rejectsWith<AlipayCertRotationError>(
          createAlipayClient(gateway.clientOptions()).queryTrade({ outTradeNo: 'x' }),
          'ERR_CERT_INVALID',
        )
      ).reason,
      'expired',
    );
    gateway.rotateCertificate();
    const future = createAlipayClient({
      ...gateway.clientOptions(),
      now: () => new Date(Date.now() + 20 * 365 * 86_400_000),
    });
    await rejectsWith(future.downloadAlipayCert(gateway.alipayCertSn!), 'ERR_CERT_INVALID');
  });

  test('downloads: an unknown SN is ERR_GATEWAY_ERROR; a download signed by a third, unknown certificate is ERR_CERT_NOT_FOUND', async () => {
    const client = createAlipayClient(gateway.clientOptions());
    // Learns the certificate signing now (the answer itself is an error: no such trade).
    await rejectsWith(client.queryTrade({ outTradeNo: 'no-such-order' }), 'ERR_GATEWAY_ERROR');
    const missing = await rejectsWith<AlipayGatewayError>(
      client.downloadAlipayCert('0'.repeat(32)),
      'ERR_GATEWAY_ERROR',
    );
    assert.equal(missing.subCode, 'CERT_NOT_EXIST');
    const middle = gateway.rotateCertificate();
    gateway.rotateCertificate();
    const fresh = createAlipayClient(gateway.clientOptions());
    await rejectsWith(fresh.downloadAlipayCert(middle.sn), 'ERR_CERT_NOT_FOUND');
    gateway.injectFault('unsigned', { method: 'alipay.open.app.alipaycert.download' });
    await rejectsWith(fresh.downloadAlipayCert(gateway.alipayCertSn!), 'ERR_SIGNATURE_INVALID');
  });

  test('public-key mode with a root: downloads are verified with the public key', async () => {
    const keyGateway = await createFakeAlipayGateway();
    try {
      const client = createAlipayClient({ ...keyGateway.clientOptions(), alipayRootCert: gateway.alipayRootCert! });
      assert.equal(
        (await rejectsWith<AlipayGatewayError>(client.downloadAlipayCert('0'.repeat(32)), 'ERR_GATEWAY_ERROR')).subCode,
        'CERT_NOT_EXIST',
      );
    } finally {
      await keyGateway.close();
    }
  });
});
