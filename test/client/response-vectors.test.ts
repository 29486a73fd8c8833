// A real signed answer of Alipay's gateway (test/client/fixtures/README.md says where it comes
// from) checked the way the client checks every answer: over the exact received bytes of the
// `…_response` value. Plus the edges of cutting that value out of the text.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { readGatewayResponse } from '../../src/client/index.js';
import { importAlipayPublicKey } from '../../src/crypto/import-public-key.js';
import { decodeSignature, verifyRsaSignature } from '../../src/crypto/verify-rsa.js';
import { AlipayNotifyError } from '../../src/errors/index.js';

interface ResponseVector {
  id: string;
  method: string;
  alipay_public_key: string;
  response: string;
  signed_text: string;
}
const vectors: ResponseVector[] = JSON.parse(
  readFileSync(new URL('./fixtures/gateway-response-vectors.json', import.meta.url), 'utf8'),
);

const verifies = (bytes: Buffer, v: ResponseVector): boolean => {
  const r = readGatewayResponse(bytes, v.method);
  return (
    r.sign !== undefined &&
    verifyRsaSignature('sha256', r.signedBytes, decodeSignature(r.sign), [
      importAlipayPublicKey(v.alipay_public_key),
    ]) === 0
  );
};

test('there is a real signed gateway answer to check', () => assert.equal(vectors.length, 1));

for (const v of vectors) {
  test(`${v.id}: the exact received span verifies with the app's Alipay public key`, () => {
    const bytes = Buffer.from(v.response, 'utf8');
    const r = readGatewayResponse(bytes, v.method);
    assert.equal(r.signedBytes.toString('utf8'), v.signed_text);
    assert.equal(r.isErrorResponse, false);
    assert.equal(r.body['sub_code'], 'isv.decryption-error-unknown');
    assert.equal(r.certSn, undefined);
    assert.ok(verifies(bytes, v));
  });

  test(`${v.id}: a changed value, whitespace or escapes inside the span break the signature; whitespace and order around it do not`, () => {
    assert.equal(verifies(Buffer.from(v.response.replace('40003', '40004'), 'utf8'), v), false);
    assert.equal(verifies(Buffer.from(v.response.replace('"code":"40003",', '"code": "40003",'), 'utf8'), v), false);
    // Re-serialising would escape nothing and keep the order here, but the received bytes are the
    // truth: the span is found wherever it is and whatever surrounds it.
    const parsed = JSON.parse(v.response) as Record<string, unknown>;
    const key = `${v.method.replaceAll('.', '_')}_response`;
    const reordered = ` {\n "sign" : ${JSON.stringify(parsed['sign'])},\n "${key}"\t:\t${v.signed_text} }\n`;
    assert.ok(verifies(Buffer.from(reordered, 'utf8'), v));
    // A re-serialisation with escaped non-ASCII is the same JSON and not the signed bytes.
    const escaped = v.signed_text.replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    assert.deepEqual(JSON.parse(escaped), JSON.parse(v.signed_text));
    assert.equal(verifies(Buffer.from(v.response.replace(v.signed_text, escaped), 'utf8'), v), false);
  });
}

test('readGatewayResponse: error_response, alipay_cert_sn, nested values and strings with braces and escapes', () => {
  const text =
    '{"error_response":{"code":"40002","sub_msg":"a \\"}\\" {[ x","list":[{"a":[1,2]},"]"],"n":-1.5e3,"t":true,"z":null},"alipay_cert_sn":"abc"}';
  const r = readGatewayResponse(Buffer.from(text), 'alipay.trade.query');
  assert.equal(r.isErrorResponse, true);
  assert.equal(r.certSn, 'abc');
  assert.equal(r.sign, undefined);
  assert.equal(r.body['sub_msg'], 'a "}" {[ x');
  assert.deepEqual(r.body['list'], [{ a: [1, 2] }, ']']);
  const empty = readGatewayResponse(Buffer.from('{"alipay_trade_query_response":{},"sign":""}'), 'alipay.trade.query');
  assert.equal(empty.sign, undefined, 'an empty sign is no sign');
});

test('readGatewayResponse: what is not an OpenAPI answer is ERR_GATEWAY_ERROR; a duplicated member ERR_SIGNATURE_INVALID', () => {
  const code = (text: string): string => {
    try {
      readGatewayResponse(Buffer.from(text), 'alipay.trade.query');
      return 'none';
    } catch (err) {
      return err instanceof AlipayNotifyError ? err.code : 'other';
    }
  };
  assert.equal(code('{}'), 'ERR_GATEWAY_ERROR');
  assert.equal(code('[]'), 'ERR_GATEWAY_ERROR');
  assert.equal(code('"x"'), 'ERR_GATEWAY_ERROR');
  assert.equal(code('{"other_response":{}}'), 'ERR_GATEWAY_ERROR');
  assert.equal(code('{"alipay_trade_query_response":"encrypted"}'), 'ERR_GATEWAY_ERROR');
  assert.equal(code('{"alipay_trade_query_response":[]}'), 'ERR_GATEWAY_ERROR');
  assert.equal(code('{"alipay_trade_query_response":{} '), 'ERR_GATEWAY_ERROR');
  assert.equal(
    code('{"alipay_trade_query_response":{"code":"10000"},"alipay_trade_query_response":{"code":"10000","x":1}}'),
    'ERR_SIGNATURE_INVALID',
  );
  assert.equal(code('{"sign":"a","alipay_trade_query_response":{},"sign":"b"}'), 'ERR_SIGNATURE_INVALID');
  assert.equal(code(' \r\n{ "alipay_trade_query_response" : { } }\n'), 'none');
});
