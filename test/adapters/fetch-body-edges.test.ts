// Edges of the Fetch adapter's body reader (src/adapters/read-web-body.ts) and of the answer for an
// error without a code (src/adapters/reply-to-alipay.ts), with real WHATWG Request objects.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createFetchHandler } from '../../src/adapters/fetch.js';
import { replyFor } from '../../src/adapters/reply-to-alipay.js';
import { ALIPAY_PUBLIC_KEY, APP_ID, refund } from './support/adapter-cases.js';

const URL_ = 'http://127.0.0.1/alipay/notify';

function handler() {
  const codes: string[] = [];
  let ran = 0;
  const handle = createFetchHandler({
    alipayPublicKey: ALIPAY_PUBLIC_KEY,
    appId: APP_ID,
    onRefund: () => void ran++,
    onNotification: 'acknowledge',
    onError: (e) => void codes.push(e.code),
  });
  return { handle, codes, ran: () => ran };
}

test('a POST without a body is read as empty and refused as a malformed notification', async () => {
  const { handle, codes, ran } = handler();
  const res = await handle(new Request(URL_, { method: 'POST' }));
  assert.equal(res.status, 400);
  assert.equal(await res.text(), 'fail');
  assert.equal(codes.length, 1);
  assert.match(codes[0]!, /^ERR_BODY_/);
  assert.equal(ran(), 0);
});

test('a body stream that breaks off is ERR_BODY_ABORTED, and the handler does not run', async () => {
  const { handle, codes, ran } = handler();
  const { body } = refund();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array(body.subarray(0, 100)));
      controller.error(new Error('connection lost'));
    },
  });
  const res = await handle(new Request(URL_, { method: 'POST', body: stream, duplex: 'half' } as RequestInit));
  assert.equal(res.status, replyFor('ERR_BODY_ABORTED').status);
  assert.deepEqual(codes, ['ERR_BODY_ABORTED']);
  assert.equal(ran(), 0);
  // The same body whole is handled: only the broken stream was refused.
  const whole = await handler().handle(new Request(URL_, { method: 'POST', body }));
  assert.equal(await whole.text(), 'success');
});

test('an error without a code is answered 500 (our side), an unlisted code 400 (the body)', () => {
  assert.deepEqual(replyFor(undefined), { status: 500, body: 'fail' });
  assert.deepEqual(replyFor('ERR_SIGNATURE_INVALID'), { status: 400, body: 'fail' });
});
