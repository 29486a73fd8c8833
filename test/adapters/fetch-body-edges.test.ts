// Edges of the Fetch adapter's body reader (src/adapters/read-web-body.ts) and of the answer for an
// error without a code (src/adapters/reply-to-alipay.ts), with real WHATWG Request objects.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createFetchHandler } from '../../src/adapters/fetch.js';
import { readWebBody } from '../../src/adapters/read-web-body.js';
import { replyFor } from '../../src/adapters/reply-to-alipay.js';
import { NotifyBodyError, NotifyConfigError } from '../../src/errors/index.js';
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

test('options as a function that throws ERR_CONFIG or returns nothing: 500 fail; options that do not validate report through their own logger', async () => {
  const thrown = new NotifyConfigError('alipayPublicKey', 'not set');
  const logged: { code: string; err: unknown; message: string }[] = [];
  const seen: unknown[] = [];
  for (const factory of [
    (): never => {
      throw thrown;
    },
    (): never => {
      throw new NotifyBodyError('ERR_BODY_MALFORMED', 'not options');
    },
    () => undefined as never,
  ]) {
    const res = await createFetchHandler(() => {
      seen.push(factory);
      return factory();
    })(new Request(URL_, { method: 'POST', body: refund().body }));
    assert.equal(res.status, 500);
    assert.equal(await res.text(), 'fail');
  }
  assert.equal(seen.length, 3);
  // The errors themselves: through a logger given in options that do resolve but do not validate.
  const res = await createFetchHandler(() => ({
    alipayPublicKey: ALIPAY_PUBLIC_KEY,
    appId: APP_ID,
    onRefund: () => undefined,
    onNotification: 'later' as never,
    logger: { error: (d: { code: string; err: unknown }, message: string) => void logged.push({ ...d, message }) },
  }))(new Request(URL_, { method: 'POST', body: refund().body }));
  assert.equal(res.status, 500);
  assert.deepEqual(logged.map((l) => l.code), ['ERR_CONFIG']);
  assert.match(logged[0]!.message, /onNotification/);
});
