// The Fetch adapter's body reader (src/adapters/read-web-body.ts) with real WHATWG Request objects:
// an empty POST, a stream that breaks off or stalls, and a body read whole with or without a deadline.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createFetchHandler } from '../../src/adapters/fetch.js';
import { readWebBody } from '../../src/adapters/read-web-body.js';
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
  const res = await handle(new Request(URL_, { method: 'POST', body: stream, duplex: 'half' }));
  // A body that did not arrive whole is the request's fault: 400, as for any body that cannot be read.
  assert.equal(res.status, 400);
  assert.equal(await res.text(), 'fail');
  assert.deepEqual(codes, ['ERR_BODY_ABORTED']);
  assert.equal(ran(), 0);
  // The same body whole is handled: only the broken stream was refused.
  const whole = await handler().handle(new Request(URL_, { method: 'POST', body }));
  assert.equal(await whole.text(), 'success');
});

test('a chunked body that stalls: ERR_BODY_TIMEOUT, and the stream is let go rather than read on', async () => {
  const { body } = refund();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      c.enqueue(new Uint8Array(body.subarray(0, 10)));
    },
  });
  const request = new Request(URL_, { method: 'POST', body: stream, duplex: 'half' });
  await assert.rejects(readWebBody(request, 65536, 50), { code: 'ERR_BODY_TIMEOUT' });
  assert.ok(stream.locked, 'the pending read still holds the stream');
  // The next bytes arrive after the deadline: the reader takes them and lets go.
  controller.enqueue(new Uint8Array(body.subarray(10, 20)));
  for (let i = 0; i < 100 && stream.locked; i++) await new Promise((r) => setTimeout(r, 5));
  assert.equal(stream.locked, false);
});

test('readWebBody: without a deadline, or well within one, the body is read whole', async () => {
  const { body } = refund();
  assert.deepEqual(await readWebBody(new Request(URL_, { method: 'POST', body }), 65536), body);
  const chunked = new Request(URL_, { method: 'POST', body: new Blob([body]).stream(), duplex: 'half' });
  assert.deepEqual(await readWebBody(chunked, 65536, 10_000), body);
});
