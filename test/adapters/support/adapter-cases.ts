// The cases every adapter must pass, run against each framework version by its own test file
// : real servers on 127.0.0.1, real HTTP requests with Alipay's exact headers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NotifyAdapterOptions } from '../../../src/adapters/adapter-options.js';
import type { AlipayNotifyError } from '../../../src/errors/index.js';
import { Writable } from 'node:stream';
import pino from 'pino';
import { parseBeijingTime } from '../../../src/map/beijing-time.js';
import { createMemoryStore } from '../../../src/store/memory-store.js';
import type { DuplicateStore } from '../../../src/store/duplicate-store.js';
import {
  buildDepositbackFields,
  buildPaymentFields,
  buildRefundFields,
  generateTestKeyPair,
  signNotification,
} from '../../../src/testing/index.js';
import type { AlipayNotification } from '../../../src/types.js';
import { verified } from '../../support/vectors.js';
import { ALIPAY_CONTENT_TYPE, dripPost, post, type Answer } from './http.js';

export const APP_ID = '2021000000000000';
const alipay = generateTestKeyPair();
/** The throwaway "Alipay" public key the bodies here are signed for. */
export const ALIPAY_PUBLIC_KEY = alipay.publicKeyBase64;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOptions = NotifyAdapterOptions<any>;

export interface Running {
  url: string;
  close(): Promise<void>;
}

/** One framework version: starts a server whose notify route is the adapter under test. */
export interface Target {
  name: string;
  /**
   * `globalParser`: an app-wide urlencoded body parser mounted before the adapter. Options given
   * as a function are passed in the adapter's lazy form (for Koa and Fastify, `{ path, options }`).
   */
  start(options: AnyOptions | (() => AnyOptions), setup?: { globalParser?: boolean }): Promise<Running>;
  /** What a global parser does to a notification, with Alipay's header and with a standard one. */
  globalParser: { alipayHeader: 'success' | 'already_parsed'; standardHeader: 'success' | 'already_parsed' };
}

export function signed(fields: Record<string, string>): { body: Buffer; notifyId: string } {
  const { body, fields: f } = signNotification(fields, { privateKey: alipay.privateKey });
  return { body, notifyId: f['notify_id']! };
}

export const refund = (type: 'partial' | 'full' = 'partial', charset = 'utf-8', now?: Date) =>
  signed(buildRefundFields(type, { charset, appId: APP_ID, ...(now === undefined ? {} : { now }) }));
const HOUR = 3600_000;
const hoursAgo = (h: number): Date => new Date(Date.now() - h * HOUR);
export const payment = () => signed(buildPaymentFields({ appId: APP_ID }));

/** A gate a handler waits on until the test opens it. */
function gate(): { wait: Promise<void>; open(): void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/** Records what the handlers and `onError` saw, in order. */
function recorder() {
  const refunds: { n: AlipayNotification; rawBody: Buffer }[] = [];
  const others: AlipayNotification[] = [];
  const errors: {
    code: string;
    status: number | undefined;
    message: string;
    cause: unknown;
    notifyId: string | undefined;
    rawBody: Buffer | undefined;
  }[] = [];
  const events: string[] = [];
  return {
    refunds,
    others,
    errors,
    events,
    onError(
      err: AlipayNotifyError,
      ctx: { status: number | undefined; notifyId: string | undefined; rawBody: Buffer | undefined },
    ) {
      errors.push({
        code: err.code,
        status: ctx.status,
        message: err.message,
        cause: err.cause,
        notifyId: ctx.notifyId,
        rawBody: ctx.rawBody,
      });
    },
  };
}

function options(rec: ReturnType<typeof recorder>, extra: Partial<AnyOptions> = {}): AnyOptions {
  return {
    alipayPublicKey: alipay.publicKeyBase64,
    appId: APP_ID,
    onRefund: async (n, ctx) => {
      rec.refunds.push({ n, rawBody: ctx.rawBody });
    },
    onNotification: async (n) => {
      rec.others.push(n);
    },
    onError: rec.onError,
    ...extra,
  };
}

/** A real memory store that counts claims, so a test can wait until every copy has arrived. */
function countingStore(): DuplicateStore & { claims: number } {
  const inner = createMemoryStore();
  const store = {
    claims: 0,
    claim: (key: string, leaseMs: number) => {
      store.claims++;
      return inner.claim(key, leaseMs);
    },
    complete: inner.complete,
    release: inner.release,
    peek: inner.peek,
  };
  return store;
}

async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500 && !(await check()); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(await check(), 'condition not reached');
}

function assertSuccess(a: Answer): void {
  assert.equal(a.status, 200);
  assert.equal(a.text, 'success');
  assert.match(a.contentType ?? '', /^text\/plain/);
}

function assertFail(a: Answer, status: number): void {
  assert.equal(a.text, 'fail');
  assert.equal(a.status, status);
}

async function withServer(
  target: Target,
  opts: AnyOptions,
  fn: (url: string) => Promise<void>,
  setup?: { globalParser?: boolean },
): Promise<void> {
  const server = await target.start(opts, setup);
  try {
    await fn(server.url);
  } finally {
    await server.close();
  }
}

export function describeAdapter(target: Target): void {
  describe(target.name, () => {
    test('a valid refund: success, after the handler ran once with the typed refund and the raw bytes', async () => {
      const rec = recorder();
      const { body, notifyId } = refund('partial');
      const opts = options(rec, {
        onRefund: async (n, ctx) => {
          await new Promise((r) => setTimeout(r, 20));
          rec.refunds.push({ n, rawBody: ctx.rawBody });
          rec.events.push('handler finished');
        },
      });
      await withServer(target, opts, async (url) => {
        assertSuccess(await post(url, body));
        rec.events.push('answered');
      });
      assert.deepEqual(rec.events, ['handler finished', 'answered']);
      assert.equal(rec.refunds.length, 1);
      const { n, rawBody } = rec.refunds[0]!;
      assert.equal(n.kind, 'trade_refund');
      assert.equal(n.kind === 'trade_refund' && n.refundType, 'partial');
      assert.equal(n.notifyId, notifyId);
      assert.deepEqual(rawBody, body);
      assert.deepEqual(rec.errors, []);
    });

    test('a GBK refund verifies over its GBK bytes and arrives decoded', async () => {
      const rec = recorder();
      const { body } = refund('full', 'GBK');
      await withServer(target, options(rec), async (url) => {
        assertSuccess(await post(url, body));
      });
      assert.equal(rec.refunds.length, 1);
      const n = rec.refunds[0]!.n;
      assert.equal(n.charset, 'gbk');
      assert.equal(n.kind === 'trade_refund' && n.refundType, 'full');
      assert.equal(n.kind === 'trade_refund' && n.subject, '测试商品-iPhone 15 Pro 256G 黑色钛金属 (官方旗舰店)');
    });

    test('a forged refund: 400 fail, the handler is not called, onError sees ERR_SIGNATURE_INVALID', async () => {
      const rec = recorder();
      const forged = Buffer.from(
        refund('partial')
          .body.toString('latin1')
          .replace(/refund_fee=30\.00/, 'refund_fee=99.00'),
        'latin1',
      );
      assert.ok(forged.toString('latin1').includes('refund_fee=99.00'));
      await withServer(target, options(rec), async (url) => {
        assertFail(await post(url, forged), 400);
      });
      assert.equal(rec.refunds.length, 0);
      assert.deepEqual(
        rec.errors.map((e) => [e.code, e.status]),
        [['ERR_SIGNATURE_INVALID', 400]],
      );
      // The bytes as received, for diagnoseNotify; no notify_id, since nothing verified.
      assert.deepEqual(rec.errors[0]!.rawBody, forged);
      assert.equal(rec.errors[0]!.notifyId, undefined);
    });

    test('a throwing handler answers fail and leaves no mark: the retry runs it and succeeds', async () => {
      const rec = recorder();
      let calls = 0;
      const boom = new Error('database down');
      const opts = options(rec, {
        onRefund: async () => {
          if (++calls === 1) throw boom;
        },
      });
      const { body, notifyId } = refund();
      await withServer(target, opts, async (url) => {
        assertFail(await post(url, body), 500);
        assertSuccess(await post(url, body));
      });
      assert.equal(calls, 2);
      assert.deepEqual(
        rec.errors.map((e) => [e.code, e.status]),
        [['ERR_HANDLER_FAILED', 500]],
      );
      assert.equal(rec.errors[0]!.cause, boom);
      assert.equal(rec.errors[0]!.notifyId, notifyId);
      assert.deepEqual(rec.errors[0]!.rawBody, body);
    });

    test('a duplicate after success is acknowledged without calling the handler again', async () => {
      const rec = recorder();
      const { body } = refund();
      await withServer(target, options(rec), async (url) => {
        assertSuccess(await post(url, body));
        assertSuccess(await post(url, body));
      });
      assert.equal(rec.refunds.length, 1);
    });

    test('five concurrent copies run the handler once, and none says success before it finished', async () => {
      const rec = recorder();
      const store = countingStore();
      const g = gate();
      let calls = 0;
      const opts = options(rec, {
        store,
        onRefund: async () => {
          calls++;
          await g.wait;
          rec.events.push('handler finished');
        },
      });
      const { body } = refund();
      await withServer(target, opts, async (url) => {
        const answers = Array.from({ length: 5 }, () =>
          post(url, body).then((a) => {
            rec.events.push(`answered ${a.text}`);
            return a;
          }),
        );
        await until(() => store.claims === 5);
        g.open();
        for (const a of await Promise.all(answers)) assertSuccess(a);
      });
      assert.equal(calls, 1);
      assert.deepEqual(rec.events, ['handler finished', ...Array(5).fill('answered success')]);
      assert.deepEqual(rec.errors, []);
    });

    test('a handler that times out answers fail; when it finishes late, the retry is acknowledged without a second run', async () => {
      const rec = recorder();
      const store = createMemoryStore();
      const g = gate();
      let calls = 0;
      let aborted: unknown;
      const opts = options(rec, {
        store,
        handlerTimeoutMs: 50,
        onRefund: async (_n, ctx) => {
          calls++;
          ctx.signal.addEventListener('abort', () => (aborted = ctx.signal.reason));
          await g.wait;
        },
      });
      const { body, notifyId } = refund();
      await withServer(target, opts, async (url) => {
        assertFail(await post(url, body), 500);
        assert.equal((aborted as AlipayNotifyError | undefined)?.code, 'ERR_HANDLER_TIMEOUT');
        g.open();
        await until(async () => (await store.peek(notifyId)) === 'done');
        assertSuccess(await post(url, body));
      });
      assert.equal(calls, 1);
      assert.deepEqual(
        rec.errors.map((e) => [e.code, e.status]),
        [['ERR_HANDLER_TIMEOUT', 500]],
      );
    });

    test('an oversized body: 413 fail, with or without Content-Length, and the server keeps answering', async () => {
      const rec = recorder();
      const big = Buffer.concat([refund().body, Buffer.from(`&padding=${'x'.repeat(8000)}`)]);
      await withServer(target, options(rec, { maxBodyBytes: 4096 }), async (url) => {
        assertFail(await post(url, big), 413);
        assertFail(await post(url, big, { chunked: true }), 413);
        assertSuccess(await post(url, refund().body));
      });
      assert.equal(rec.refunds.length, 1);
      assert.deepEqual(
        rec.errors.map((e) => [e.code, e.status]),
        [
          ['ERR_BODY_TOO_LARGE', 413],
          ['ERR_BODY_TOO_LARGE', 413],
        ],
      );
      assert.deepEqual(
        rec.errors.map((e) => e.rawBody),
        [undefined, undefined],
        'no body was read',
      );
    });

    for (const [header, contentType] of [
      ['alipayHeader', ALIPAY_CONTENT_TYPE],
      ['standardHeader', 'application/x-www-form-urlencoded'],
    ] as const) {
      const expected = target.globalParser[header];
      test(`a global body parser mounted first, ${header === 'alipayHeader' ? "Alipay's header" : 'a standard header'}: ${expected === 'success' ? 'still verified' : '500 fail that says how to mount'}; the server keeps answering`, async () => {
        const rec = recorder();
        await withServer(
          target,
          options(rec),
          async (url) => {
            const answer = await post(url, refund().body, { contentType });
            if (expected === 'success') {
              assertSuccess(answer);
              assert.equal(rec.refunds.length, 1);
              assert.deepEqual(rec.errors, []);
            } else {
              assertFail(answer, 500);
              assert.equal(rec.refunds.length, 0);
              assert.equal(rec.errors[0]?.code, 'ERR_BODY_ALREADY_PARSED');
              assert.match(rec.errors[0].message, /before|clone/);
            }
            const again = await post(url, refund().body);
            if (target.globalParser.alipayHeader === 'success') assertSuccess(again);
            else assertFail(again, 500);
          },
          { globalParser: true },
        );
      });
    }

    test('a real Alipay-signed notification, posted as Alipay posts it, is verified and handled', async () => {
      // test/fixtures/VECTORS.md: a real RSA2 trade_status_sync (a payment), its wire body and Alipay's public key.
      const v = verified.find((x) => x.id === 'simontest-gialen-20190927')!;
      const rec = recorder();
      // Its notify_time is years ago: the adapters' freshness check is run at the time it was sent.
      const sent = parseBeijingTime(v.params!['notify_time']!, 'notify_time');
      const opts = options(rec, {
        alipayPublicKey: v.public_key!,
        appId: v.params!['app_id']!,
        now: () => new Date(sent.getTime() + 60_000),
      });
      await withServer(target, opts, async (url) => {
        assertSuccess(await post(url, v.raw_body!));
      });
      assert.deepEqual(
        rec.others.map((n) => [n.kind, n.notifyId]),
        [['trade', v.params!['notify_id']]],
      );
      assert.deepEqual(rec.errors, []);
    });

    test('payments go to onNotification, not onRefund', async () => {
      const rec = recorder();
      await withServer(target, options(rec), async (url) => {
        assertSuccess(await post(url, payment().body));
      });
      assert.equal(rec.refunds.length, 0);
      assert.deepEqual(
        rec.others.map((n) => n.kind),
        ['trade'],
      );
    });

    test("onNotification 'acknowledge' answers success for a payment, 'retry' answers fail so Alipay resends", async () => {
      for (const choice of ['acknowledge', 'retry'] as const) {
        const rec = recorder();
        await withServer(target, options(rec, { onNotification: choice }), async (url) => {
          const answer = await post(url, payment().body);
          if (choice === 'acknowledge') assertSuccess(answer);
          else assertFail(answer, 503);
        });
        assert.deepEqual(
          rec.errors.map((e) => e.code),
          choice === 'retry' ? ['ERR_UNHANDLED_NOTIFICATION'] : [],
        );
      }
    });

    test('store: false turns duplicate suppression off', async () => {
      const rec = recorder();
      const { body } = refund();
      await withServer(target, options(rec, { store: false }), async (url) => {
        assertSuccess(await post(url, body));
        assertSuccess(await post(url, body));
      });
      assert.equal(rec.refunds.length, 2);
    });

    test('freshness is on by default: a refund older than 25 hours, one dated 10 minutes ahead, an old gateway message: 400 fail, no handler, onError told', async () => {
      const rec = recorder();
      const old = refund('partial', 'utf-8', hoursAgo(25.2));
      const future = refund('full', 'utf-8', new Date(Date.now() + 10 * 60_000));
      // A message-service message is dated by its utc_timestamp.
      const message = signed(buildDepositbackFields('S', { appId: APP_ID, now: hoursAgo(26) }));
      await withServer(target, options(rec), async (url) => {
        for (const { body } of [old, future, message]) assertFail(await post(url, body), 400);
        // Within the window: handled as usual.
        assertSuccess(await post(url, refund('partial', 'utf-8', hoursAgo(24.5)).body));
      });
      assert.equal(rec.refunds.length, 1);
      assert.deepEqual(
        rec.errors.map((e) => [e.code, e.status, e.notifyId]),
        [
          ['ERR_NOTIFY_EXPIRED', 400, old.notifyId],
          ['ERR_NOTIFY_EXPIRED', 400, future.notifyId],
          ['ERR_NOTIFY_EXPIRED', 400, message.notifyId],
        ],
      );
      assert.deepEqual(rec.errors[0]!.rawBody, old.body);
    });

    test("maxNotifyAgeMs sets the merchant's own window", async () => {
      const rec = recorder();
      await withServer(target, options(rec, { maxNotifyAgeMs: HOUR }), async (url) => {
        assertFail(await post(url, refund('partial', 'utf-8', hoursAgo(2)).body), 400);
        assertSuccess(await post(url, refund('partial', 'utf-8', hoursAgo(0.5)).body));
      });
      await withServer(target, options(rec, { maxNotifyAgeMs: 48 * HOUR }), async (url) => {
        assertSuccess(await post(url, refund('partial', 'utf-8', hoursAgo(30)).body));
      });
      assert.equal(rec.refunds.length, 2);
      assert.deepEqual(
        rec.errors.map((e) => e.code),
        ['ERR_NOTIFY_EXPIRED'],
      );
    });

    for (const chunked of [false, true]) {
      test(`a body dripped a byte at a time${chunked ? ' (chunked)' : ''}: 408 fail after bodyTimeoutMs, connection closed, onError told; the server keeps answering`, async () => {
        const rec = recorder();
        const { body } = refund();
        await withServer(target, options(rec, { bodyTimeoutMs: 400 }), async (url) => {
          // Drips keep arriving past the deadline: activity does not extend it.
          const d = await dripPost(url, body, { intervalMs: 100, bytes: 80, chunked });
          assert.equal(d.status, 408);
          assert.equal(d.text, 'fail');
          assert.equal(d.headers['connection'], 'close');
          assert.ok(d.sentBeforeAnswer < body.length, 'answered before the body was complete');
          assert.ok(d.closedByServer, 'the server closed the connection');
          assertSuccess(await post(url, refund().body));
        });
        assert.equal(rec.refunds.length, 1);
        assert.deepEqual(
          rec.errors.map((e) => [e.code, e.status, e.rawBody]),
          [['ERR_BODY_TIMEOUT', 408, undefined]],
        );
      });
    }

    test('without onError, every fail is logged once through logger (pino), with code, notifyId, status and the cause', async () => {
      const lines: Record<string, unknown>[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
          done();
        },
      });
      const boom = new Error('database down');
      const { body, notifyId } = refund();
      const opts: AnyOptions = {
        alipayPublicKey: ALIPAY_PUBLIC_KEY,
        appId: APP_ID,
        onRefund: () => Promise.reject(boom),
        onNotification: 'acknowledge',
        logger: pino(sink),
      };
      await withServer(target, opts, async (url) => {
        assertFail(
          await post(
            url,
            Buffer.from(
              refund()
                .body.toString('latin1')
                .replace(/refund_fee=30\.00/, 'refund_fee=99.00'),
              'latin1',
            ),
          ),
          400,
        );
        assertFail(await post(url, body), 500);
      });
      assert.deepEqual(
        lines.map((l) => [l['level'], l['code'], l['notifyId'], l['status']]),
        [
          [50, 'ERR_SIGNATURE_INVALID', undefined, 400],
          [50, 'ERR_HANDLER_FAILED', notifyId, 500],
        ],
      );
      for (const l of lines) assert.match(String(l['msg']), /^alipay-refund-notify: ERR_\w+ \(answered \d{3} fail\): /);
      assert.equal(lines[0]!['err'], undefined);
      assert.deepEqual((lines[1]!['err'] as { message: string }).message, 'database down');
    });

    test('options as a function: called on the first request, not at setup, and kept', async () => {
      const rec = recorder();
      let calls = 0;
      const running = await target.start(() => {
        calls++;
        return options(rec);
      });
      try {
        assert.equal(calls, 0, 'not called at setup');
        assertSuccess(await post(running.url, refund().body));
        assertSuccess(await post(running.url, payment().body));
      } finally {
        await running.close();
      }
      assert.equal(calls, 1);
      assert.equal(rec.refunds.length, 1);
      assert.equal(rec.others.length, 1);
    });

    test('options as a function that fails: 500 fail and ERR_CONFIG reported on every request, until it works', async () => {
      const rec = recorder();
      let calls = 0;
      // Keys not there yet on the first two requests (e.g. a secret still being loaded).
      const running = await target.start(() =>
        ++calls <= 2 ? options(rec, { alipayPublicKey: undefined }) : options(rec),
      );
      try {
        assertFail(await post(running.url, refund().body), 500);
        assertFail(await post(running.url, refund().body), 500);
        assertSuccess(await post(running.url, refund().body));
        assertSuccess(await post(running.url, refund().body));
      } finally {
        await running.close();
      }
      assert.equal(calls, 3);
      assert.deepEqual(
        rec.errors.map((e) => [e.code, e.status, e.rawBody]),
        [
          ['ERR_CONFIG', 500, undefined],
          ['ERR_CONFIG', 500, undefined],
        ],
      );
      assert.equal(rec.refunds.length, 2);
    });
  });
}
