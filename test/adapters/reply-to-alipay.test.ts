// replyFor (src/adapters/reply-to-alipay.ts): the answer for each error code, checked against the
// README's table "What Alipay is told". Alipay retries on anything but `success`, so the status only
// tells the reader of a log whose fault it was: 4xx the request's, 5xx ours.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replyFor, SUCCESS_REPLY } from '../../src/adapters/reply-to-alipay.js';
import type { AlipayNotifyErrorCode } from '../../src/errors/index.js';

test('handled: 200 and exactly `success`', () => {
  assert.deepEqual(SUCCESS_REPLY, { status: 200, body: 'success' });
});

test('each row of the README table: the status for the code, the body always `fail`', () => {
  const table: [AlipayNotifyErrorCode, number][] = [
    // does not verify (forged, wrong key, wrong app), or verifies but is a replay
    ['ERR_SIGNATURE_INVALID', 400],
    ['ERR_SIGNATURE_MISSING', 400],
    ['ERR_APP_ID_MISMATCH', 400],
    ['ERR_BODY_MALFORMED', 400],
    ['ERR_NOTIFY_EXPIRED', 400],
    // body too large / unsupported charset
    ['ERR_BODY_TOO_LARGE', 413],
    ['ERR_CHARSET_UNSUPPORTED', 415],
    // body already parsed; handler threw or timed out; options not valid
    ['ERR_BODY_ALREADY_PARSED', 500],
    ['ERR_HANDLER_FAILED', 500],
    ['ERR_HANDLER_TIMEOUT', 500],
    ['ERR_CONFIG', 500],
    // duplicate store down; a copy still in flight; onNotification: 'retry'
    ['ERR_STORE_FAILED', 503],
    ['ERR_DUPLICATE_IN_FLIGHT', 503],
    ['ERR_UNHANDLED_NOTIFICATION', 503],
  ];
  for (const [code, status] of table) assert.deepEqual(replyFor(code), { status, body: 'fail' }, code);
});

test('a body that did not arrive in time: 408, and the connection is closed', () => {
  assert.deepEqual(replyFor('ERR_BODY_TIMEOUT'), { status: 408, body: 'fail', close: true });
});

test('an error without a code is answered 500 (our side); a body that broke off, 400 (the request)', () => {
  assert.deepEqual(replyFor(undefined), { status: 500, body: 'fail' });
  assert.deepEqual(replyFor('ERR_BODY_ABORTED'), { status: 400, body: 'fail' });
});
