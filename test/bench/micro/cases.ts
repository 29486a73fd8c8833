/**
 * The single-core verification cases, all run in one process (see ../lib/harness.ts): the
 * `crypto.verify` floor, our verifier (reused, and the one-call form with options built inline),
 * a forged notification, the hand-written verifier and the official SDK end to end.
 */
import { createPublicKey, verify } from 'node:crypto';
import qs from 'qs';
import { parseNotifyBody } from '../../../src/body/parse-notify-body.js';
import { buildSignContent } from '../../../src/canonical/build-sign-content.js';
import { AlipayNotifyError } from '../../../src/errors/index.js';
import { toNotification } from '../../../src/map/to-notification.js';
import { createNotifyVerifier } from '../../../src/verifier/create-notify-verifier.js';
import { verifyRefundNotify } from '../../../src/verifier/verify-notify.js';
import type { Fixtures } from '../lib/fixtures.js';
import type { BenchCase } from '../lib/harness.js';
import { createHandVerifier } from '../lib/hand-verify.js';

export const SUBJECT = '测试商品-iPhone 15 Pro 256G 黑色钛金属 (官方旗舰店)';

export function expect(cond: boolean, what: string): void {
  if (!cond) throw new Error(`bench check failed: ${what}`);
}

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof AlipayNotifyError ? err.code : String(err);
  }
}

export interface CaseSpec {
  readonly label: string;
  readonly make: (f: Fixtures) => BenchCase | Promise<BenchCase>;
}

function verifierCase(f: Fixtures, bodyText: string): BenchCase {
  const verifier = createNotifyVerifier({ alipayPublicKey: f.alipay.publicKeyBase64, appId: f.appId });
  const body = Buffer.from(bodyText, 'latin1');
  return {
    kind: 'sync',
    fn: () => verifier.verify(body),
    check: () => {
      const n = verifier.verify(body);
      expect(n.kind === 'trade_refund' && n.subject === SUBJECT, 'verifier.verify verifies and decodes');
    },
  };
}

/** Every micro case by id, in the order the table prints them. */
export const MICRO_CASES: Record<string, CaseSpec> = {
  floor: {
    label: 'crypto.verify, cached KeyObject, prebuilt buffers (floor)',
    make(f) {
      const key = createPublicKey(f.alipay.publicKey);
      const data = Buffer.from(f.utf8Content, 'base64');
      const sig = Buffer.from(f.utf8Sign, 'base64');
      const bad = Buffer.from(data);
      bad[10] = bad[10]! ^ 1;
      return {
        kind: 'sync',
        fn: () => verify('sha256', data, key, sig),
        check: () => expect(verify('sha256', data, key, sig) && !verify('sha256', bad, key, sig), 'floor verifies'),
      };
    },
  },
  'verify-utf8': { label: 'verifier.verify, UTF-8 body', make: (f) => verifierCase(f, f.utf8Body) },
  'verify-gbk': { label: 'verifier.verify, GBK body', make: (f) => verifierCase(f, f.gbkBody) },
  'one-call': {
    label: 'verifyRefundNotify(body, { …options built inline })',
    make(f) {
      const body = Buffer.from(f.utf8Body, 'latin1');
      const key = f.alipay.publicKeyBase64;
      const appId = f.appId;
      return {
        kind: 'sync',
        // A new options object on every call: what a merchant writes without keeping a verifier.
        fn: () => verifyRefundNotify(body, { alipayPublicKey: key, appId }),
        check: () => {
          const n = verifyRefundNotify(body, { alipayPublicKey: key, appId });
          expect(n.kind === 'trade_refund' && n.subject === SUBJECT, 'one-call verifies');
        },
      };
    },
  },
  forged: {
    label: 'verifier.verify, forged notification (rejected)',
    make(f) {
      const verifier = createNotifyVerifier({ alipayPublicKey: f.alipay.publicKeyBase64, appId: f.appId });
      const body = Buffer.from(f.forgedUtf8Body, 'latin1');
      return {
        kind: 'sync',
        fn: () => errorCode(() => verifier.verify(body)),
        check: () =>
          expect(
            errorCode(() => verifier.verify(body)) === 'ERR_SIGNATURE_INVALID',
            'a forgery is ERR_SIGNATURE_INVALID',
          ),
      };
    },
  },
  'hand-utf8': {
    label: 'hand-written verifier, UTF-8 (test/bench/lib/hand-verify.ts)',
    make(f) {
      const hand = createHandVerifier(f.alipay.publicKey, f.appId);
      return {
        kind: 'sync',
        fn: () => hand.verifyUtf8(f.utf8Body),
        check: () => expect(hand.verifyUtf8(f.utf8Body).ok && !hand.verifyUtf8(f.forgedUtf8Body).ok, 'hand verifier'),
      };
    },
  },
  'hand-gbk': {
    label: 'hand-written verifier, GBK, byte-level',
    make(f) {
      const hand = createHandVerifier(f.alipay.publicKey, f.appId);
      const body = Buffer.from(f.gbkBody, 'latin1');
      return {
        kind: 'sync',
        fn: () => hand.verifyBytes(body),
        check: () => {
          const r = hand.verifyBytes(body);
          expect(r.ok && r.params['subject'] === SUBJECT, 'hand GBK verifier');
        },
      };
    },
  },
  official: {
    label: 'official alipay-sdk: checkNotifySign(qs.parse(body))',
    async make(f) {
      const { AlipaySdk } = await import('alipay-sdk');
      const sdk = new AlipaySdk({
        appId: f.appId,
        privateKey: f.appPrivateKeyBase64,
        alipayPublicKey: f.alipay.publicKeyBase64,
        signType: 'RSA2',
      });
      // The official SDK's documented way: a form parser, then checkNotifySign on the object.
      const check = (body: string) => sdk.checkNotifySign(qs.parse(body));
      return {
        kind: 'sync',
        fn: () => check(f.utf8Body),
        check: () => expect(check(f.utf8Body) && !check(f.forgedUtf8Body), 'official SDK verifies'),
      };
    },
  },
};

/** With --breakdown: where the verifier's time goes, and the async paths (64 in flight). */
export const BREAKDOWN_CASES: Record<string, CaseSpec> = {
  'core-parse': {
    label: 'core stage: parseNotifyBody (UTF-8)',
    make(f) {
      const body = Buffer.from(f.utf8Body, 'latin1');
      return {
        kind: 'sync',
        fn: () => parseNotifyBody(body),
        check: () => expect(parseNotifyBody(body).names.length === f.fieldCount, 'parse'),
      };
    },
  },
  'core-content': {
    label: 'core stage: buildSignContent',
    make(f) {
      const parsed = parseNotifyBody(Buffer.from(f.utf8Body, 'latin1'));
      const want = Buffer.from(f.utf8Content, 'base64');
      return {
        kind: 'sync',
        fn: () => buildSignContent(parsed),
        check: () => expect(buildSignContent(parsed).equals(want), 'sign content'),
      };
    },
  },
  'core-map': {
    label: 'core stage: toNotification',
    make(f) {
      const parsed = parseNotifyBody(Buffer.from(f.utf8Body, 'latin1'));
      return {
        kind: 'sync',
        fn: () => toNotification(parsed, 'RSA2'),
        check: () => expect(toNotification(parsed, 'RSA2').kind === 'trade_refund', 'map'),
      };
    },
  },
  'hand-parse': {
    label: 'hand split parser (UTF-8)',
    make(f) {
      const hand = createHandVerifier(f.alipay.publicKey, f.appId);
      return {
        kind: 'sync',
        fn: () => hand.parseUtf8(f.utf8Body),
        check: () => expect(Object.keys(hand.parseUtf8(f.utf8Body)).length === f.fieldCount, 'hand parse'),
      };
    },
  },
  'verify-async': {
    label: 'verifier.verifyAsync, UTF-8, 64 in flight',
    make(f) {
      const verifier = createNotifyVerifier({ alipayPublicKey: f.alipay.publicKeyBase64, appId: f.appId });
      const body = Buffer.from(f.utf8Body, 'latin1');
      return {
        kind: 'async',
        inflight: 64,
        start: (done) => void verifier.verifyAsync(body).then(done, done),
        check: async () => expect((await verifier.verifyAsync(body)).kind === 'trade_refund', 'verifyAsync'),
      };
    },
  },
  'hand-async': {
    label: 'hand-written verifier, callback crypto.verify, 64 in flight',
    make(f) {
      const hand = createHandVerifier(f.alipay.publicKey, f.appId);
      return {
        kind: 'async',
        inflight: 64,
        start: (done) => hand.verifyUtf8Async(f.utf8Body, done),
        check: () =>
          new Promise<void>((resolve, reject) =>
            hand.verifyUtf8Async(f.utf8Body, (r) => (r.ok ? resolve() : reject(new Error('async hand verifier')))),
          ),
      };
    },
  },
};
