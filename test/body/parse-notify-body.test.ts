import assert from 'node:assert/strict';
import { test } from 'node:test';
import iconv from 'iconv-lite';
import { NotifyBodyError } from '../../src/index.js';
import { parseNotifyBody } from '../../src/building-blocks.js';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof NotifyBodyError, `not a NotifyBodyError: ${String(err)}`);
    return err.code;
  }
  return undefined;
}

test('+ is a space and %2B stays +, decoded exactly once', () => {
  const p = parseNotifyBody('subject=yansongda%2B%E6%B5%8B%E8%AF%95+-+1&a=1');
  assert.equal(p.fields['subject'], 'yansongda+测试 - 1');
});

test('passback_params keeps its inner escapes: the body is decoded once, never twice', () => {
  const p = parseNotifyBody('passback_params=merchantBizType%253d3C%2526merchantBizNo%253d2016');
  assert.equal(p.fields['passback_params'], 'merchantBizType%3d3C%26merchantBizNo%3d2016');
});

test('a literal % in a decoded value survives (no second decode)', () => {
  assert.equal(parseNotifyBody('body=100%25').fields['body'], '100%');
});

test('values are never trimmed', () => {
  const p = parseNotifyBody('subject=+LEADERS+&body=%0Ax%09');
  assert.equal(p.fields['subject'], ' LEADERS ');
  assert.equal(p.fields['body'], '\nx\t');
});

test('empty values and names without = are kept as empty strings', () => {
  const p = parseNotifyBody('a=&b&c=1');
  assert.deepEqual([...p.names], ['a', 'b', 'c']);
  assert.equal(p.fields['a'], '');
  assert.equal(p.fields['b'], '');
});

test('= inside a value is part of the value (base64 padding)', () => {
  assert.equal(parseNotifyBody('sign=ab%2Bc==').fields['sign'], 'ab+c==');
  assert.equal(parseNotifyBody('sign=abc==').fields['sign'], 'abc==');
});

test('GBK bytes are kept for verification and decoded for display', () => {
  const body = Buffer.concat([Buffer.from('charset=GBK&subject='), Buffer.from('%B2%E2%CA%D4')]);
  const p = parseNotifyBody(body);
  assert.equal(p.charset, 'gbk');
  assert.equal(p.fields['subject'], '测试');
  assert.deepEqual(Buffer.from(p.bytes['subject']!), iconv.encode('测试', 'gbk'));
});

test('GB2312 and GB18030 labels, any case, are accepted', () => {
  assert.equal(parseNotifyBody('charset=gb2312&a=1').charset, 'gb2312');
  assert.equal(parseNotifyBody('charset=GB18030&a=1').charset, 'gb18030');
  assert.equal(parseNotifyBody('charset=Utf-8&a=1').charset, 'utf-8');
  assert.equal(parseNotifyBody('a=1').charset, 'utf-8');
});

test('unknown charsets are ERR_CHARSET_UNSUPPORTED', () => {
  assert.equal(
    code(() => parseNotifyBody('charset=latin1&a=1')),
    'ERR_CHARSET_UNSUPPORTED',
  );
  assert.equal(
    code(() => parseNotifyBody('charset=big5&a=1')),
    'ERR_CHARSET_UNSUPPORTED',
  );
});

test('bad percent-escapes are ERR_BODY_MALFORMED and name the field', () => {
  for (const body of ['a=%zz', 'a=%4', 'a=%', 'a=x%g1', '%zz=1'])
    assert.equal(
      code(() => parseNotifyBody(body)),
      'ERR_BODY_MALFORMED',
      body,
    );
  assert.throws(
    () => parseNotifyBody('ok=1&subject=%E6%B5%'),
    (err: unknown) => err instanceof NotifyBodyError && err.code === 'ERR_BODY_MALFORMED' && err.field === 'subject',
  );
});

test('duplicate fields are ERR_BODY_MALFORMED', () => {
  assert.equal(
    code(() => parseNotifyBody('a=1&b=2&a=1')),
    'ERR_BODY_MALFORMED',
  );
  assert.equal(
    code(() => parseNotifyBody('a=1&%61=2')),
    'ERR_BODY_MALFORMED',
  );
});

test('names that are not plain field names are ERR_BODY_MALFORMED', () => {
  for (const body of [
    '__proto__=x',
    'constructor=x',
    'prototype=x',
    'a[b]=1',
    'a%5Bb%5D=1',
    '__x=1',
    'a+b=1',
    '%E6%B5%8B=1',
    'a%00=1',
  ]) {
    assert.equal(
      code(() => parseNotifyBody(body)),
      'ERR_BODY_MALFORMED',
      body,
    );
  }
});

test('results have no prototype', () => {
  const p = parseNotifyBody('toString=1&hasOwnProperty=2');
  assert.equal(Object.getPrototypeOf(p.fields), null);
  assert.equal(Object.getPrototypeOf(p.bytes), null);
  assert.equal(p.fields['toString'], '1');
});

test('invalid UTF-8 in a UTF-8 notification is ERR_BODY_MALFORMED', () => {
  assert.equal(
    code(() => parseNotifyBody('charset=utf-8&subject=%FF%FE')),
    'ERR_BODY_MALFORMED',
  );
});

test('empty bodies are ERR_BODY_MALFORMED', () => {
  for (const body of ['', '&', '&&&', Buffer.alloc(0)])
    assert.equal(
      code(() => parseNotifyBody(body)),
      'ERR_BODY_MALFORMED',
    );
});

test('size and field-count limits are ERR_BODY_TOO_LARGE with the limit', () => {
  assert.equal(
    code(() => parseNotifyBody(`a=${'x'.repeat(100)}`, { maxBodyBytes: 50 })),
    'ERR_BODY_TOO_LARGE',
  );
  assert.equal(
    code(() => parseNotifyBody(Buffer.from(`a=${'x'.repeat(100)}`), { maxBodyBytes: 50 })),
    'ERR_BODY_TOO_LARGE',
  );
  const many = Array.from({ length: 300 }, (_, i) => `f${i}=1`).join('&');
  assert.throws(
    () => parseNotifyBody(many),
    (err: unknown) => err instanceof NotifyBodyError && err.code === 'ERR_BODY_TOO_LARGE' && err.limit === 200,
  );
});

test('a string body with non-ASCII characters is taken as UTF-8', () => {
  assert.equal(parseNotifyBody('subject=充值&a=1').fields['subject'], '充值');
});

test('object bodies: strings only, UTF-8 only', () => {
  assert.equal(parseNotifyBody({ a: '1', subject: 'x y' }).fields['subject'], 'x y');
  assert.equal(parseNotifyBody({ a: '1' }).fromObject, true);
  assert.equal(
    code(() => parseNotifyBody({ a: ['1', '2'] } as never)),
    'ERR_BODY_MALFORMED',
  );
  assert.equal(
    code(() => parseNotifyBody({ a: { b: '1' } } as never)),
    'ERR_BODY_MALFORMED',
  );
  assert.equal(
    code(() => parseNotifyBody({ a: 1 } as never)),
    'ERR_BODY_MALFORMED',
  );
  assert.equal(
    code(() => parseNotifyBody({ charset: 'GBK', a: '测试' })),
    'ERR_CHARSET_UNSUPPORTED',
  );
  assert.equal(
    code(() => parseNotifyBody(JSON.parse('{"__proto__":"x"}'))),
    'ERR_BODY_MALFORMED',
  );
  assert.equal(
    code(() => parseNotifyBody(null as never)),
    'ERR_BODY_MALFORMED',
  );
  assert.equal(
    code(() => parseNotifyBody({})),
    'ERR_BODY_MALFORMED',
  );
  assert.equal(
    code(() => parseNotifyBody(Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`f${i}`, '1'])))),
    'ERR_BODY_TOO_LARGE',
  );
  assert.equal(
    code(() => parseNotifyBody({ a: 'x'.repeat(100) }, { maxBodyBytes: 50 })),
    'ERR_BODY_TOO_LARGE',
  );
  assert.equal(
    code(() => parseNotifyBody(42 as never)),
    'ERR_BODY_MALFORMED',
  );
});

test('an object body whose getter throws, or a Proxy whose keys repeat, is ERR_BODY_MALFORMED, never a raw TypeError', () => {
  const throwing = Object.defineProperty({ notify_id: '1' }, 'sign', {
    enumerable: true,
    get() {
      throw new RangeError('boom');
    },
  });
  const repeated = new Proxy({ a: '1' }, { ownKeys: () => ['a', 'a'] });
  for (const body of [throwing, repeated]) {
    assert.throws(
      () => parseNotifyBody(body),
      (err: unknown) => {
        assert.ok(err instanceof NotifyBodyError, String(err));
        assert.equal(err.code, 'ERR_BODY_MALFORMED');
        assert.ok(err.cause instanceof Error);
        return true;
      },
    );
  }
});

test('the charset label carried by ERR_CHARSET_UNSUPPORTED is cut short: attacker bytes stay out of logs', () => {
  const label = `x${'A'.repeat(60_000)}`;
  assert.throws(
    () => parseNotifyBody(`charset=${label}&a=1`),
    (err: unknown) => {
      assert.ok(err instanceof NotifyBodyError && err.code === 'ERR_CHARSET_UNSUPPORTED');
      assert.ok(err.charset!.length <= 33, `${err.charset!.length} characters carried`);
      assert.ok(err.charset!.startsWith('xAAA'));
      return true;
    },
  );
});
