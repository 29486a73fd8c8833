import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { parseNotifyBody, type NotifyBody } from '../../src/body/parse-notify-body.js';
import { buildSignContent } from '../../src/canonical/build-sign-content.js';
import { diagnoseNotify, type DiagnoseNotifyOptions } from '../../src/diagnose/diagnose-notify.js';
import type { DiagnosisCause } from '../../src/diagnose/notify-diagnosis.js';
import { hasWireBody, unverified, verified, type Vector } from '../support/vectors.js';

// A correct, specific report for each broken vector that has a key, and an
// "ok" report for the real notifications that verify.

function bodyOf(v: Vector): NotifyBody {
  return hasWireBody(v) ? v.raw_body : v.params!;
}

function beijing(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}+08:00`);
}

function optionsFor(v: Vector): DiagnoseNotifyOptions {
  const fields = parseNotifyBody(bodyOf(v)).fields;
  const o: DiagnoseNotifyOptions = { signTypes: [v.sign_type ?? 'RSA2'] };
  if (v.public_key !== undefined) o.alipayPublicKey = v.public_key;
  if (v.cert !== undefined) {
    o.alipayPublicCert = v.cert;
    // Archived: the certificates have expired since; check them at the time the message was sent.
    const when = fields['notify_time'] ?? fields['timestamp']!;
    o.now = () => beijing(when);
  }
  if (v.md5_key !== undefined) o.md5Key = v.md5_key;
  if (fields['app_id'] !== undefined) o.appId = fields['app_id'];
  else o.partner = fields['seller_id'] ?? '2088000000000000';
  return o;
}

const withKey = (v: Vector): boolean => v.public_key !== undefined || v.cert !== undefined || v.md5_key !== undefined;

for (const v of verified.filter(withKey)) {
  test(`verified ${v.id} (${v.kind}, ${v.sign_type}): the report is ok and shows the string Alipay signed`, () => {
    const report = diagnoseNotify(bodyOf(v), optionsFor(v));
    assert.equal(report.matchedVariant?.change, 'none');
    // A real notification is small: every candidate is tried, with one RSA opening per key.
    assert.equal(report.notTried, null);
    assert.equal(report.work.rsaOpens, v.sign_type === 'MD5' ? 0 : 1);
    assert.equal(report.canonical!.sha256, v.signed_string_sha256);
    if (v.kind === 'return_url') {
      // Return URLs are not notifications (no notify_id): the signature part must still be right.
      assert.ok(['ok', 'field-invalid'].includes(report.cause), report.summary);
    } else {
      assert.equal(report.ok, true, report.summary);
      assert.equal(report.cause, 'ok');
    }
    if (v.sign_type !== 'MD5') {
      const key = report.keys.find((k) => k.opens)!;
      assert.equal(key.hash, v.sign_type === 'RSA2' ? 'sha256' : 'sha1');
      if (v.sign_type === 'RSA2') assert.equal(key.recoveredDigest, v.signed_string_sha256);
    }
  });

  test(`verified ${v.id} with one field changed: the report says the content changed`, () => {
    const params = { ...v.params! };
    const field = ['notify_id', 'out_trade_no', 'batch_no'].find((f) => params[f] !== undefined)!;
    params[field] = `${params[field]}0`;
    const report = diagnoseNotify(params, optionsFor(v));
    assert.equal(report.ok, false);
    assert.equal(report.cause, v.sign_type === 'MD5' ? 'md5-mismatch' : 'content-changed', report.summary);
  });
}

interface Expected {
  cause: DiagnosisCause;
  status: 'opened' | 'wrong-length' | 'out-of-range' | 'bad-padding';
  hash?: 'sha1' | 'sha256';
  /** The vector whose untampered signed string the recovered digest must belong to. */
  original?: string;
  also?: DiagnosisCause[];
  repaired?: 'plus-as-space';
}

const expected: Record<string, Expected> = {
  // Tampered copies: the right key made the signature, over the original content.
  'nodesdk-tpxy-tampered': {
    cause: 'content-changed',
    status: 'opened',
    hash: 'sha256',
    original: 'nodesdk-tpxy-20190523',
  },
  'nodesdk-servicemarket-tampered': {
    cause: 'content-changed',
    status: 'opened',
    hash: 'sha256',
    original: 'nodesdk-servicemarket-20190308',
  },
  'nodesdk-yuque-621257-mangled': {
    cause: 'content-changed',
    status: 'opened',
    hash: 'sha256',
    original: 'nodesdk-yuque-20190815-621257',
  },
  'wjusa-refund-copy': { cause: 'content-changed', status: 'opened', hash: 'sha1', original: 'wjusa-refund-20141030' },
  // A genuine MAPI-key SHA-1 signature over edited content, labelled RSA2.
  'alipay-doc-2016-daletou': { cause: 'content-changed', status: 'opened', hash: 'sha1', also: ['hash-mismatch'] },
  // Pasted decoded ('+' in sign became spaces), and even restored it exceeds the modulus.
  'alipay-doc-2013': {
    cause: 'wrong-key',
    status: 'out-of-range',
    repaired: 'plus-as-space',
    also: ['sign-plus-as-space'],
  },
  'gopay-fake-20200102': { cause: 'wrong-key', status: 'wrong-length' },
  'paylog-sql-20160318': { cause: 'wrong-key', status: 'bad-padding', repaired: 'plus-as-space' },
  // The merchant's app public key given as the Alipay key.
  'qianyou-rsa2-20171030': { cause: 'wrong-key', status: 'bad-padding' },
};

function originalDigest(id: string, hash: string): string {
  const v = verified.find((x) => x.id === id)!;
  const parsed = parseNotifyBody(bodyOf(v));
  return createHash(hash)
    .update(buildSignContent(parsed, { keepSignType: v.kind === 'servicemarket_order_notify' }))
    .digest('hex');
}

for (const v of unverified.filter((x) => x.public_key !== undefined)) {
  test(`unverified ${v.id}: a specific report`, () => {
    const want = expected[v.id];
    assert.ok(want !== undefined, `no expectation written for ${v.id}`);
    const report = diagnoseNotify(bodyOf(v), optionsFor(v));
    assert.equal(report.ok, false);
    assert.equal(report.cause, want.cause, report.summary);
    assert.equal(report.keys.length, 1);
    const key = report.keys[0]!;
    assert.equal(key.status, want.status);
    assert.equal(key.opens, want.status === 'opened');
    if (want.hash !== undefined) assert.equal(key.hash, want.hash);
    if (want.original !== undefined) assert.equal(key.recoveredDigest, originalDigest(want.original, want.hash!));
    for (const c of want.also ?? [])
      assert.ok(
        report.findings.some((f) => f.cause === c),
        `${c} in ${report.summary}`,
      );
    assert.equal(report.signature!.repaired, want.repaired ?? 'none');
    if (want.cause === 'wrong-key')
      assert.match(report.summary, /is this your app public key instead of the Alipay public key\?/);
    if (want.cause === 'content-changed') {
      assert.equal(report.matchedVariant, null);
      assert.match(report.summary, /the key is right/);
    }
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
  });
}
