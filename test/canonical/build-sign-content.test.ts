import assert from 'node:assert/strict';
import { test } from 'node:test';
import iconv from 'iconv-lite';
import { buildSignContent, parseNotifyBody } from '../../src/building-blocks.js';

test('drops sign and sign_type, sorts by name, joins k=v with &', () => {
  const p = parseNotifyBody('b=2&sign=xx&a=1&sign_type=RSA2&c=3');
  assert.equal(buildSignContent(p).toString(), 'a=1&b=2&c=3');
});

test('keeps sign_type when asked (gateway rule V2)', () => {
  const p = parseNotifyBody('b=2&sign=xx&sign_type=RSA2');
  assert.equal(buildSignContent(p, { keepSignType: true }).toString(), 'b=2&sign_type=RSA2');
});

test('skips empty values unless asked to keep them', () => {
  const p = parseNotifyBody('b=&a=1&c=');
  assert.equal(buildSignContent(p).toString(), 'a=1');
  assert.equal(buildSignContent(p, { keepEmpty: true }).toString(), 'a=1&b=&c=');
});

test('excludes named fields', () => {
  const p = parseNotifyBody('a=1&alipay_cert_sn=x');
  assert.equal(buildSignContent(p, { exclude: ['alipay_cert_sn'] }).toString(), 'a=1');
});

test('uses the decoded bytes as they arrived: GBK stays GBK, nothing re-encoded', () => {
  const p = parseNotifyBody('charset=gbk&subject=%B2%E2%CA%D4+1');
  const expected = Buffer.concat([Buffer.from('charset=gbk&subject='), iconv.encode('测试 1', 'gbk')]);
  assert.deepEqual(buildSignContent(p), expected);
});

test('whitespace-only values are kept (Java would skip them; Alipay signs them)', () => {
  assert.equal(buildSignContent(parseNotifyBody('a=+&b=1')).toString(), 'a= &b=1');
});

test('an empty notification builds an empty string', () => {
  assert.equal(buildSignContent(parseNotifyBody('sign=x')).length, 0);
});
