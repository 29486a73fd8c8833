// The notifications every runtime test sends: refunds signed by a throwaway "Alipay" key with the
// package's own test signer (UTF-8 and GBK), the same with one value changed, and a real
// Alipay-signed notification from test/fixtures.
import { buildRefundFields, generateTestKeyPair, signNotification } from '../../../src/testing/index.js';
import { verified } from '../../support/vectors.js';

export const APP_ID = '2021000000000000';
const alipay = generateTestKeyPair();
/** The public half of the throwaway key the refunds here are signed with. */
export const ALIPAY_PUBLIC_KEY = alipay.publicKeyBase64;
/** The Chinese subject of the test signer's refunds, which a GBK body carries as GBK bytes. */
export const SUBJECT = buildRefundFields('full')['subject']!;

export interface SignedRefund {
  body: Buffer;
  notifyId: string;
}

/** A refund signed as Alipay signs it, in `charset` (the body is form-encoded in that charset). */
export function signedRefund(type: 'partial' | 'full', charset: 'utf-8' | 'GBK'): SignedRefund {
  const { body, fields } = signNotification(buildRefundFields(type, { charset, appId: APP_ID }), {
    privateKey: alipay.privateKey,
  });
  return { body, notifyId: fields['notify_id']! };
}

/** The same body with `refund_fee` raised after signing: it must not verify. */
export function tampered(refund: SignedRefund): Buffer {
  const text = refund.body.toString('latin1');
  const changed = text.replace(/refund_fee=([\d.]+)/, 'refund_fee=9999.00');
  if (changed === text) throw new Error('no refund_fee to change');
  return Buffer.from(changed, 'latin1');
}

/** A real notification signed by Alipay (a payment), its wire body and its Alipay public key. */
export const realAlipay = (() => {
  const v = verified.find((x) => x.id === 'simontest-gialen-20190927')!;
  // Sent in 2019: an adapter judges its age against a clock set to when it was sent.
  const sentAt = new Date(`${v.params!['notify_time']!.replace(' ', 'T')}+08:00`);
  return {
    body: Buffer.from(v.raw_body!, 'latin1'),
    alipayPublicKey: v.public_key!,
    appId: v.params!['app_id']!,
    notifyId: v.params!['notify_id']!,
    now: () => sentAt,
  };
})();
