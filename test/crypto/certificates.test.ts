// Certificate SNs (md5 of the RFC 2253 issuer and the decimal serial) against the values Alipay's own Node SDK asserts
// (alipay/alipay-sdk-nodejs-all test/antcertutil.test.ts), computed from the public fixtures in
// test/fixtures/certs/ (see README.md there for where each file comes from).
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { certificateSn, importAlipayCertificate, rootCertificateSn } from '../../src/building-blocks.js';
import { parseCertificates } from '../../src/crypto/certificates.js';

const certs = new URL('../fixtures/certs/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, certs), 'utf8');

test('alipay_root_cert_sn of alipayRootCert.crt keeps only the RSA-signed roots, in file order', () => {
  // 4 certificates: SM2 (dropped), sha256WithRSA R1, ECDSA E1 (dropped), sha1WithRSA iTrusChina G3.
  assert.equal(read('alipayRootCert.crt').match(/BEGIN CERTIFICATE/g)?.length, 4);
  assert.equal(
    rootCertificateSn(read('alipayRootCert.crt')),
    '687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6',
  );
  assert.equal(
    rootCertificateSn(Buffer.from(read('alipayRootCert.crt'))),
    '687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6',
  );
});

test('each kept root SN is md5(RFC 2253 issuer + decimal serial), the inputs spelt out', () => {
  const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');
  assert.equal(
    md5(
      'CN=Ant Financial Certification Authority R1,OU=Certification Authority,O=Ant Financial,C=CN2292228364100439313',
    ),
    '687b59193f3f462dd5336e5abf83c5d8',
  );
  assert.equal(
    md5(
      'CN=iTrusChina Class 2 Root CA - G3,OU=China Trust Network,O=iTrusChina,C=CN95790491425698859646659490580052089075020051350',
    ),
    '02941eef3187dddf3d3b83462e1dfcf6',
  );
});

test('alipay_cert_sn of alipayCertPublicKey_RSA2.crt', () => {
  const cert = new X509Certificate(read('alipayCertPublicKey_RSA2.crt'));
  assert.equal(certificateSn(cert), '7513daaaa48aa3ba2e4018d84402479c');
  assert.equal(BigInt(`0x${cert.serialNumber}`).toString(), '42701552432456004857627230056898180491');
  assert.equal(importAlipayCertificate(read('alipayCertPublicKey_RSA2.crt')).sn, '7513daaaa48aa3ba2e4018d84402479c');
});

test('app_cert_sn of appCertPublicKey_2021001161683774.crt', () => {
  assert.equal(
    certificateSn(new X509Certificate(read('appCertPublicKey_2021001161683774.crt'))),
    '866efef280dec9137a87d047ac446315',
  );
});

test('the SN of a certificate from our own test CA matches the hand-written RFC 2253 rule', () => {
  const leaf = new X509Certificate(read('test-ca/leaf-a.crt'));
  const issuer =
    'CN=Test Financial Certification Authority Class 2 R1,OU=Certification Authority,O=Test Financial,C=CN';
  const expected = createHash('md5')
    .update(issuer + BigInt('0x2024610001').toString(), 'utf8')
    .digest('hex');
  assert.equal(certificateSn(leaf), expected);
});

test('imported certificate exposes its validity window and key fingerprint', () => {
  const c = importAlipayCertificate(read('alipayCertPublicKey_RSA2.crt'));
  assert.equal(c.validFrom.toISOString(), '2020-05-14T14:42:01.000Z');
  assert.equal(c.validTo.toISOString(), '2022-05-14T14:42:01.000Z');
  assert.match(c.fingerprint, /^sha256:[0-9a-f]{16}$/);
  assert.equal(c.bits, 2048);
  assert.equal(c.chain.length, 0);
});

test('no PEM block, and a PEM block that is not a certificate, are ERR_CONFIG for the option', () => {
  assert.throws(() => parseCertificates('not a certificate', 'alipayPublicCert'), {
    code: 'ERR_CONFIG',
    option: 'alipayPublicCert',
    message: /no PEM certificate found/,
  });
  const garbage = `-----BEGIN CERTIFICATE-----\n${Buffer.from('garbage').toString('base64')}\n-----END CERTIFICATE-----`;
  assert.throws(
    () => parseCertificates(garbage, 'alipayRootCert'),
    (err: Error & { code?: string; option?: string; cause?: unknown }) => {
      assert.equal(err.code, 'ERR_CONFIG');
      assert.equal(err.option, 'alipayRootCert');
      assert.match(err.message, /unreadable certificate/);
      assert.ok(err.cause instanceof Error);
      return true;
    },
  );
});
