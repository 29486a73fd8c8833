// What every framework recipe of the README must do, checked against a real server on 127.0.0.1
// that mounts the adapter exactly as the README says, next to the global body parsers real apps
// already have. The notifications are posted with Alipay's exact headers (the malformed
// `Content-Type`, `charset=GBK` for GBK bodies), the way src/cli/post-notification.ts sends them.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { alipayHeaders } from '../../../src/testing/post-notification.js';
import type { NotifyAdapterOptions } from '../../../src/adapters/adapter-options.js';
import type { AlipayNotifyError } from '../../../src/errors/index.js';
import {
  buildPaymentFields,
  buildRefundFields,
  generateTestKeyPair,
  signNotification,
} from '../../../src/testing/index.js';
import type { AlipayNotification } from '../../../src/types.js';

/** One path everywhere, as in the README. */
export const NOTIFY_PATH = '/alipay/notify';
/** A route of the app itself, served through its global body parsers: it echoes the parsed body. */
export const ECHO_PATH = '/echo';
export const APP_ID = '2021000000000000';
const alipay = generateTestKeyPair();
export const ALIPAY_PUBLIC_KEY = alipay.publicKeyBase64;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOptions = NotifyAdapterOptions<any>;

export interface Running {
  url: string;
  close(): Promise<void>;
}

export interface Answer {
  status: number;
  text: string;
}

export interface Signed {
  body: Buffer;
  notifyId: string;
  charsetLabel: string;
}

function sign(fields: Record<string, string>, charsetLabel: string): Signed {
  const { body, fields: f } = signNotification(fields, { privateKey: alipay.privateKey });
  return { body, notifyId: f['notify_id']!, charsetLabel };
}

export const utf8Refund = (): Signed => sign(buildRefundFields('partial', { appId: APP_ID }), 'UTF-8');
export const gbkRefund = (): Signed => sign(buildRefundFields('full', { appId: APP_ID, charset: 'GBK' }), 'GBK');
export const payment = (): Signed => sign(buildPaymentFields({ appId: APP_ID }), 'UTF-8');
export function tampered(n: Signed = utf8Refund()): Signed {
  return { ...n, body: tamperRefundFee(n.body) };
}

/** The same signed body with its refund amount changed: a forgery the signature must catch. */
export function tamperRefundFee(body: Buffer): Buffer {
  const forged = Buffer.from(body.toString('latin1').replace(/refund_fee=\d+\.00/, 'refund_fee=99.99'), 'latin1');
  assert.notDeepEqual(forged, body, 'the body has a refund_fee to change');
  return forged;
}

/** POSTs a notification as Alipay does: its headers, `charset` in the `Content-Type` as in the body. */
export function postAsAlipay(base: string, n: Signed, path = NOTIFY_PATH, contentType?: string): Promise<Answer> {
  const headers = alipayHeaders(n.charsetLabel, n.body.length);
  if (contentType !== undefined) headers['Content-Type'] = contentType;
  return send(base, path, n.body, headers);
}

/** POSTs the app's own kind of request (JSON or a plain form) to `path`. */
export function postPlain(base: string, path: string, contentType: string, body: string): Promise<Answer> {
  return send(base, path, Buffer.from(body), {
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(body)),
  });
}

function send(base: string, path: string, body: Buffer, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** What the handlers and `onError` saw. */
export interface Recorder {
  refunds: AlipayNotification[];
  others: AlipayNotification[];
  errors: { code: string; status: number | undefined; message: string }[];
}

export function recorder(): Recorder {
  return { refunds: [], others: [], errors: [] };
}

/** The adapter options of the README, recording into `rec`. */
export function recipeOptions(rec: Recorder): AnyOptions {
  return {
    alipayPublicKey: ALIPAY_PUBLIC_KEY,
    appId: APP_ID,
    onRefund: async (refund) => {
      rec.refunds.push(refund);
    },
    onNotification: async (payment) => {
      rec.others.push(payment);
    },
    onError: (err: AlipayNotifyError, { status }: { status: number | undefined }) => {
      rec.errors.push({ code: err.code, status, message: err.message });
    },
  };
}

function assertSuccess(a: Answer, what: string): void {
  assert.deepEqual(a, { status: 200, text: 'success' }, what);
}

/**
 * The recipe's contract, on one running app: exactly `success` to a UTF-8 and a GBK refund and to a
 * payment, `fail` to a tampered refund, the handler once per `notify_id`, and the app's own routes
 * still parsed by its global parsers (`echo`: what the app's echo route answers for `a=1` as a form).
 */
export async function checkRecipe(
  url: string,
  rec: Recorder,
  echo: { form: boolean; json: boolean } = { form: true, json: true },
): Promise<void> {
  const utf8 = utf8Refund();
  const gbk = gbkRefund();
  const pay = payment();
  assertSuccess(await postAsAlipay(url, utf8), 'UTF-8 refund');
  assertSuccess(await postAsAlipay(url, gbk), 'GBK refund');
  assertSuccess(await postAsAlipay(url, utf8), 'UTF-8 refund, again');
  assertSuccess(await postAsAlipay(url, gbk), 'GBK refund, again');
  assertSuccess(await postAsAlipay(url, pay), 'payment');
  const forged = await postAsAlipay(url, tampered());
  assert.deepEqual(forged, { status: 400, text: 'fail' }, 'tampered refund');
  const forgedGbk = await postAsAlipay(url, tampered(gbkRefund()));
  assert.equal(forgedGbk.text, 'fail', 'tampered GBK refund');

  assert.deepEqual(
    rec.refunds.map((r) => [r.notifyId, r.charset]),
    [
      [utf8.notifyId, 'utf-8'],
      [gbk.notifyId, 'gbk'],
    ],
    'the handler ran once per notify_id',
  );
  const gbkSeen = rec.refunds[1]!;
  assert.equal(
    gbkSeen.kind === 'trade_refund' && gbkSeen.subject,
    '测试商品-iPhone 15 Pro 256G 黑色钛金属 (官方旗舰店)',
  );
  assert.deepEqual(
    rec.others.map((n) => n.notifyId),
    [pay.notifyId],
  );
  assert.deepEqual(
    rec.errors.map((e) => e.code),
    ['ERR_SIGNATURE_INVALID', 'ERR_SIGNATURE_INVALID'],
  );

  // The app's global parsers are really there and still serve the app's own routes.
  if (echo.form)
    assert.deepEqual(
      JSON.parse((await postPlain(url, ECHO_PATH, 'application/x-www-form-urlencoded', 'a=1')).text),
      { a: '1' },
      'form route',
    );
  if (echo.json)
    assert.deepEqual(
      JSON.parse((await postPlain(url, ECHO_PATH, 'application/json', '{"b":2}')).text),
      { b: 2 },
      'JSON route',
    );
}

/**
 * Mounted the wrong way (a global parser first): the adapter answers 500 `fail` and onError gets
 * ERR_BODY_ALREADY_PARSED whose message names `fix` (a regular expression of the hint). With
 * `how.contentType`, the notification is sent with that header instead of Alipay's; `how.path`
 * posts it elsewhere than the notify path.
 */
export async function checkAlreadyParsed(
  url: string,
  rec: Recorder,
  n: Signed,
  fix: RegExp,
  how: { contentType?: string; path?: string } = {},
): Promise<void> {
  const before = rec.errors.length;
  const handled = rec.refunds.length;
  assert.deepEqual(await postAsAlipay(url, n, how.path ?? NOTIFY_PATH, how.contentType), { status: 500, text: 'fail' });
  const err = rec.errors[before];
  assert.equal(err?.code, 'ERR_BODY_ALREADY_PARSED');
  assert.match(err.message, fix);
  assert.equal(rec.refunds.length, handled, 'the handler did not run');
}

/** Starts `start`, runs `fn` against it, always closes it. */
export async function withApp(start: () => Promise<Running>, fn: (url: string) => Promise<void>): Promise<void> {
  const app = await start();
  try {
    await fn(app.url);
  } finally {
    await app.close();
  }
}
