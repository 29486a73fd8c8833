import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { AlipayNotifyError, verifyNotify, type NotifyVerifierOptions } from '../../src/index.js';
import { buildSignContent, parseNotifyBody } from '../../src/building-blocks.js';
import { encodeFormBody } from '../../src/testing/index.js';
import { hasWireBody, verified, type Vector } from '../support/vectors.js';

// The real trade_status_sync and refund vectors signed RSA/RSA2 with a plain public key, through
// verifyNotify. (MD5 and MAPI batch vectors: test/map/mapi-notifications.test.ts; certificate vectors:
// test/crypto/certificate-mode.test.ts; the gateway vector: test/map/gateway-messages.test.ts.)
const inScope = verified.filter(
  (v) =>
    (v.kind === 'trade_status_sync' || v.kind === 'refund') &&
    (v.sign_type === 'RSA2' || v.sign_type === 'RSA') &&
    v.public_key,
);

function optionsFor(v: Vector): NotifyVerifierOptions {
  const p = v.params!;
  return {
    alipayPublicKey: v.public_key!,
    appId: p['app_id'] ?? '2000000000000000',
    // MAPI-era notifications carry no app_id: they are checked against the partner (seller_id).
    ...(p['app_id'] === undefined ? { partner: p['seller_id'] ?? '2088000000000000' } : {}),
    signTypes: [v.sign_type as 'RSA2' | 'RSA'],
  };
}

function bodiesOf(v: Vector): [string, Buffer | string | Record<string, string>][] {
  const out: [string, Buffer | string | Record<string, string>][] = [
    ['decoded params object', v.params!],
    ['params re-encoded as Alipay encodes a body', encodeFormBody(v.params!, 'utf-8')],
  ];
  if (hasWireBody(v)) {
    out.push(['raw body as a string', v.raw_body]);
    out.push(['raw body as bytes', Buffer.from(v.raw_body, 'utf8')]);
  }
  return out;
}

test('the scope of this file is not empty', () => {
  assert.ok(inScope.length >= 20, `only ${inScope.length} vectors in scope`);
});

for (const v of inScope) {
  describe(`vector ${v.id} (${v.sign_type})`, () => {
    for (const [label, body] of bodiesOf(v)) {
      test(`verifies from the ${label}`, () => {
        const n = verifyNotify(body, optionsFor(v));
        assert.equal(n.notifyId, v.params!['notify_id']);
        assert.ok(n.kind === 'trade' || n.kind === 'trade_refund');
        assert.equal(n.fields['sign'], v.params!['sign']);
        if (v.kind === 'refund') assert.equal(n.kind, 'trade_refund');
      });
    }

    test('the canonical string hashes to the recorded signed_string_sha256', () => {
      const content = buildSignContent(parseNotifyBody(v.params!));
      assert.equal(createHash('sha256').update(content).digest('hex'), v.signed_string_sha256);
    });

    test('a one-field change is rejected with ERR_SIGNATURE_INVALID', () => {
      for (const field of Object.keys(v.params!).filter((k) => k !== 'sign' && k !== 'sign_type')) {
        // The charset must stay a supported one to reach the signature check: flip its case.
        const value = v.params![field]!;
        const mutated =
          field === 'charset'
            ? value === value.toUpperCase()
              ? value.toLowerCase()
              : value.toUpperCase()
            : `${value}1`;
        const changed = { ...v.params!, [field]: mutated };
        assert.throws(
          () => verifyNotify(changed, optionsFor(v)),
          (err: unknown) => err instanceof AlipayNotifyError && err.code === 'ERR_SIGNATURE_INVALID',
          `changing ${field} was not rejected`,
        );
      }
    });
  });
}
