import {
  buildPaymentFields,
  buildRefundFields,
  generateTestKeyPair,
  signNotification,
  type TestKeyPair,
} from '../../src/testing/index.js';
import { referenceDecode, type DecodedField } from './oracle.js';

/** The app id every fuzz verifier is configured with. */
export const FUZZ_APP_ID = '2021000000000000';

/** A body signed by the fuzz "Alipay" key, and what the fuzzer expects of it. */
export interface SignedBody {
  readonly label: string;
  readonly body: Buffer;
  /** The reference decoding of `body` (oracle.ts), to classify its mutations. */
  readonly decoded: readonly DecodedField[];
  /**
   * `verifies`: addressed to FUZZ_APP_ID and signed by the configured key, so it must verify.
   * `foreign`: correctly signed but for another app, or by another key: it must never verify,
   * and neither may any mutation of it.
   */
  readonly expect: 'verifies' | 'foreign';
}

/** The signed bodies mutations start from, with the key pair that verifies them. */
export interface SignedPool {
  readonly alipay: TestKeyPair;
  readonly bodies: readonly SignedBody[];
}

// Text that has broken form parsers: + % & = and spaces, Chinese (two and three bytes in GBK and
// UTF-8), JSON, an escape that must survive (`passback_params` arrives still percent-encoded).
const SUBJECTS = [
  '测试商品-iPhone 15 Pro (官方旗舰店)',
  'a+b=c&d%20e',
  '  spaced  ',
  '退款 100% 成功',
  '{"k":"v","n":[1,2]}',
  'plain',
];
const CHARSETS = ['utf-8', 'UTF-8', 'GBK', 'gbk', 'gb2312', 'GB18030'];

/**
 * Signs a deterministic variety of refund and payment notifications (RSA2; UTF-8 and the GB
 * family), plus two that must never verify: one for another app and one signed by another key.
 *
 * @example
 * ```ts
 * const pool = buildSignedPool(24);
 * createNotifyVerifier({ alipayPublicKey: pool.alipay.publicKey, appId: FUZZ_APP_ID });
 * ```
 */
export function buildSignedPool(size: number): SignedPool {
  const alipay = generateTestKeyPair();
  const bodies: SignedBody[] = [];
  const now = new Date('2024-05-20T04:00:00Z');
  for (let i = 0; i < size; i++) {
    const charset = CHARSETS[i % CHARSETS.length]!;
    const overrides: Record<string, string | undefined> = {
      subject: SUBJECTS[i % SUBJECTS.length]!,
      passback_params: encodeURIComponent(`order=${i}&note=退款 ok`),
    };
    // An empty field now and then exercises the empty-value rule (skipped by the documented signed string).
    if (i % 5 === 4) overrides['body'] = '';
    const kind = i % 3;
    const fields =
      kind === 0
        ? buildRefundFields('partial', { appId: FUZZ_APP_ID, charset, now, overrides })
        : kind === 1
          ? buildRefundFields('full', { appId: FUZZ_APP_ID, charset, now, overrides })
          : buildPaymentFields({ appId: FUZZ_APP_ID, charset, now, overrides });
    const { body } = signNotification(fields, { privateKey: alipay.privateKey });
    bodies.push({
      label: `${['partial', 'full', 'payment'][kind]}/${charset}`,
      body,
      decoded: referenceDecode(body)!,
      expect: 'verifies',
    });
  }
  const other = signNotification(buildRefundFields('partial', { appId: '2021999999999999', now }), {
    privateKey: alipay.privateKey,
  }).body;
  bodies.push({ label: 'other-app', body: other, decoded: referenceDecode(other)!, expect: 'foreign' });
  const stranger = generateTestKeyPair();
  const forged = signNotification(buildRefundFields('full', { appId: FUZZ_APP_ID, now }), {
    privateKey: stranger.privateKey,
  }).body;
  bodies.push({ label: 'other-key', body: forged, decoded: referenceDecode(forged)!, expect: 'foreign' });
  return { alipay, bodies };
}
