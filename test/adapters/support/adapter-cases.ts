// The cases every adapter must pass, run against each framework version by its own test file
// (issue 4 §4): real servers on 127.0.0.1, real HTTP requests with Alipay's exact headers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NotifyAdapterOptions } from '../../../src/adapters/adapter-options.js';
import type { AlipayNotifyError } from '../../../src/errors.js';
import { createMemoryStore } from '../../../src/store/memory-store.js';
import type { DuplicateStore } from '../../../src/store/duplicate-store.js';
import { buildPaymentFields, buildRefundFields, generateTestKeyPair, signNotification } from '../../../src/testing/index.js';
import type { AlipayNotification } from '../../../src/types.js';
import { verified } from '../../support/vectors.js';
import { ALIPAY_CONTENT_TYPE, post, type Answer } from './http.js';

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
  /** `globalParser`: an app-wide urlencoded body parser mounted before the adapter. */
  start(options: AnyOptions, setup?: { globalParser?: boolean }): Promise<Running>;
  /** What a global parser does to a notification, with Alipay's header and with a standard one. */
  globalParser: { alipayHeader: 'success' | 'already_parsed'; standardHeader: 'success' | 'already_parsed' };
}

function signed(fields: Record<string, string>): { body: Buffer; notifyId: string } {
  const { body, fields: f } = signNotification(fields, { privateKey: alipay.privateKey });
  return { body, notifyId: f['notify_id']! };
}

export const refund = (type: 'partial' | 'full' = 'partial', charset = 'utf-8') => signed(buildRefundFields(type, { charset, appId: APP_ID }));
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
  const errors: { code: string; status: number | undefined; message: string; cause: unknown }[] = [];
  const events: string[] = [];
  return {
    refunds,
    others,
    errors,
    events,
    onError(err: AlipayNotifyError, ctx: { status: number | undefined }) {
      errors.push({ code: err.code, status: ctx.status, message: err.message, cause: err.cause });
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

async function withServer(target: Target, opts: AnyOptions, fn: (url: string) => Promise<void>, setup?: { globalParser?: boolean }): Promise<void> {
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
      const forged = Buffer.from(refund('partial').body.toString('latin1').replace(/refund_fee=30\.00/, 'refund_fee=99.00'), 'latin1');
      assert.ok(forged.toString('latin1').includes('refund_fee=99.00'));
      await withServer(target, options(rec), async (url) => {
        assertFail(await post(url, forged), 400);
      });
      assert.equal(rec.refunds.length, 0);
      assert.deepEqual(
        rec.errors.map((e) => [e.code, e.status]),
        [['ERR_SIGNATURE_INVALID', 400]],
      );
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
      const { body } = refund();
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
              assert.match(rec.errors[0]!.message, /before|clone/);
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
      // PROTOCOL §8: a real RSA2 trade_status_sync (a payment), its wire body and Alipay's public key.
      const v = verified.find((x) => x.id === 'simontest-gialen-20190927')!;
      const rec = recorder();
      const opts = options(rec, { alipayPublicKey: v.public_key!, appId: v.params!['app_id']! });
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
  });
}
