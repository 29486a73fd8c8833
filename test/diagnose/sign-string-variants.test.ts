// The candidate signed strings the diagnosis tries (src/diagnose/sign-string-variants.ts): each way
// a body is known to change on its way to the verifier, or a signer to deviate from the documented
// rule, recognised and named in the report. (Their bound: test/diagnose/diagnose-budget.test.ts.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import iconv from 'iconv-lite';
import { parseNotifyBody } from '../../src/body/parse-notify-body.js';
import { buildSignContent } from '../../src/canonical/build-sign-content.js';
import { signContent } from '../../src/crypto/sign.js';
import { diagnoseNotify } from '../../src/diagnose/diagnose-notify.js';
import { encodeFormBody, encodeFormValue } from '../../src/testing/encode-form-body.js';
import { signNotification } from '../../src/testing/index.js';
import { alipay, causes, options, refund, signed, signedWithPlus } from './support/signed-refunds.js';

test('variant: sign_type kept in the signed string of a trade_status_sync', () => {
  const { body } = signed(refund(), { keepSignType: true });
  const report = diagnoseNotify(body, options);
  assert.equal(report.cause, 'variant-match');
  assert.equal(report.matchedVariant!.id, 'none+sign_type');
  assert.equal(report.matchedVariant!.keepSignType, true);
  assert.equal(report.matchedVariant!.triedByVerifier, false);
});

test('variant: empty values kept verifies (the verifier tries it) and the report shows the rule', () => {
  const { body } = signNotification(refund({ body: '' }), { privateKey: alipay.privateKey });
  // signNotification skips empties like the spec rule; sign the keepEmpty string by hand.
  const parsed = parseNotifyBody(body);
  const content = buildSignContent(parsed, { keepEmpty: true });
  const sign = signContent('RSA2', content, { privateKey: alipay.privateKey });
  const report = diagnoseNotify(encodeFormBody({ ...parsed.fields, sign }), options);
  assert.equal(report.ok, true);
  assert.equal(report.matchedVariant!.id, 'none+empty');
  assert.equal(report.canonical!.text, content.toString('utf8'));
  assert.match(report.canonical!.text, /&body=&/);
});

test('variant: GBK bytes signed although the notification declares UTF-8, and the reverse', () => {
  const fields = { ...refund(), sign_type: 'RSA2' };
  const parsed = parseNotifyBody(encodeFormBody(fields));
  const gbk = iconv.encode(buildSignContent(parsed).toString('utf8'), 'gbk');
  const report = diagnoseNotify(
    encodeFormBody({ ...fields, sign: signContent('RSA2', gbk, { privateKey: alipay.privateKey }) }),
    options,
  );
  assert.equal(report.cause, 'variant-match');
  assert.equal(report.matchedVariant!.change, 'other-charset');
  assert.match(report.summary, /GBK instead of the declared utf-8/);

  const gbkFields = { ...refund({ charset: 'GBK' }), sign_type: 'RSA2' };
  const gbkParsed = parseNotifyBody(encodeFormBody(gbkFields));
  const utf8 = Buffer.from(iconv.decode(buildSignContent(gbkParsed), 'gbk'), 'utf8');
  const reverse = diagnoseNotify(
    encodeFormBody({ ...gbkFields, sign: signContent('RSA2', utf8, { privateKey: alipay.privateKey }) }),
    options,
  );
  assert.equal(reverse.matchedVariant!.change, 'other-charset');
  assert.equal(reverse.canonical!.charset, 'gbk');
  assert.match(reverse.canonical!.text, /subject=测试退款 iPhone/);
});

test('variant: values form-encoded twice on the way (and the sign with them)', () => {
  const { fields } = signed(refund({ passback_params: 'merchantBizType%3d3C' }));
  const twice: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) twice[k] = encodeFormValue(v, 'utf-8');
  const report = diagnoseNotify(encodeFormBody(twice), options);
  assert.equal(report.cause, 'variant-match');
  assert.equal(report.matchedVariant!.change, 'decoded-twice');
  assert.equal(report.signature!.repaired, 'percent-encoded');
  assert.ok(causes(report).includes('variant-match'));
});

test('variant: whitespace added around values', () => {
  const { fields } = signed(refund());
  const report = diagnoseNotify(encodeFormBody({ ...fields, out_trade_no: ` ${fields['out_trade_no']}\n` }), options);
  assert.equal(report.matchedVariant!.change, 'trimmed');
});

test("variant: a literal '+' read as a space because the body was decoded before the parser, and '+' in sign", () => {
  const s = signedWithPlus({ subject: 'yansongda+测试' });
  const decoded = decodeURIComponent(s.body.toString('latin1'));
  const report = diagnoseNotify(decoded, options);
  assert.equal(report.cause, 'variant-match');
  assert.equal(report.matchedVariant!.id, 'plus-kept:subject');
  assert.equal(report.signature!.repaired, 'plus-as-space');
  assert.ok(causes(report).includes('sign-plus-as-space'));
});

test('variant: HTML entities from a framework input filter', () => {
  const { fields } = signed(refund());
  const report = diagnoseNotify(
    encodeFormBody({ ...fields, fund_bill_list: fields['fund_bill_list']!.replaceAll('"', '&quot;') }),
    options,
  );
  assert.equal(report.matchedVariant!.change, 'html-unescaped');
});

test('variant: framework-added parameters (_config)', () => {
  const { fields } = signed(refund());
  const report = diagnoseNotify(encodeFormBody({ _config: 'default', ...fields }), options);
  assert.equal(report.matchedVariant!.id, 'framework-params-removed');
  assert.deepEqual(report.matchedVariant!.removed, ['_config']);
});

test('variant: notify_url query-string parameters merged into the body', () => {
  const { fields } = signed(refund());
  const body = encodeFormBody({ ...fields, orderType: 'refund' });
  const withQuery = diagnoseNotify(body, { ...options, query: '/alipay/notify?orderType=refund' });
  assert.equal(withQuery.matchedVariant!.id, 'query-params-removed');
  assert.deepEqual(withQuery.matchedVariant!.removed, ['orderType']);
  assert.equal(
    diagnoseNotify(body, { ...options, query: { orderType: 'refund' } }).matchedVariant!.id,
    'query-params-removed',
  );
  // Without the query, the single-field removals find it.
  const without = diagnoseNotify(body, options);
  assert.equal(without.matchedVariant!.id, 'field-removed:orderType');
  assert.ok(without.variants.some((v) => v.id === 'field-removed:orderType'));
});

test('query as a bare query string, as URLSearchParams, and something that is neither', () => {
  const { fields } = signed(refund());
  const body = encodeFormBody({ ...fields, orderType: 'refund' });
  for (const query of ['orderType=refund', new URLSearchParams({ orderType: 'refund' })]) {
    const report = diagnoseNotify(body, { ...options, query });
    assert.equal(report.matchedVariant!.id, 'query-params-removed', String(query));
    assert.deepEqual(report.matchedVariant!.removed, ['orderType']);
  }
  // A query of another type names no field: the single-field removals still find it.
  const other = diagnoseNotify(body, { ...options, query: 42 as never });
  assert.equal(other.matchedVariant!.change, 'field-removed');
  assert.deepEqual(other.matchedVariant!.removed, ['orderType']);
});
