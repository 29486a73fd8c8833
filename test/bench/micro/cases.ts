/**
 * The single-core cases (PERF.md a0, e1, e6, c3 and the SDK's own path). Each case returns the
 * operation to time; each runs in its own child process so JIT feedback cannot leak between them.
 */
import { createPublicKey, verify } from 'node:crypto';
import qs from 'qs';
import { parseNotifyBody } from '../../../src/body/parse-notify-body.js';
import { buildSignContent } from '../../../src/canonical/build-sign-content.js';
import { toNotification } from '../../../src/map/to-notification.js';
import { verifyRefundNotify } from '../../../src/verifier/verify-notify.js';
import type { NotifyVerifierOptions } from '../../../src/verifier/resolve-options.js';
import type { Fixtures } from '../lib/fixtures.js';
import { createHandVerifier } from '../lib/hand-verify.js';

export type SyncCase = { kind: 'sync'; fn: () => unknown; check: () => void };
export type AsyncCase = { kind: 'async'; start: (done: (x: unknown) => void) => void; inflight: number; check: () => Promise<void> };
export type MicroCase = SyncCase | AsyncCase;

function expect(cond: boolean, what: string): void {
  if (!cond) throw new Error(`bench fixture check failed: ${what}`);
}

function throws(fn: () => unknown): boolean {
  try {
    fn();
    return false;
  } catch {
    return true;
  }
}

function coreCase(f: Fixtures, bodyText: string): SyncCase {
  const options: NotifyVerifierOptions = { alipayPublicKey: f.alipay.publicKeyBase64, appId: f.appId };
  const body = Buffer.from(bodyText, 'latin1');
  const forged = Buffer.from(bodyText.replace(/total_amount=[0-9.]+/, 'total_amount=0.01'), 'latin1');
  return {
    kind: 'sync',
    fn: () => verifyRefundNotify(body, options),
    check: () => {
      const n = verifyRefundNotify(body, options);
      expect(n.kind === 'trade_refund' && n.subject === '测试商品-iPhone 15 Pro 256G 黑色钛金属 (官方旗舰店)', 'core verifies and decodes');
      expect(throws(() => verifyRefundNotify(forged, options)), 'core rejects a tampered body');
    },
  };
}

/** Every micro case, by id. */
export const MICRO_CASES: Record<string, (f: Fixtures) => MicroCase | Promise<MicroCase>> = {
  // a0: the RSA public operation alone on prebuilt buffers, cached KeyObject: the floor.
  floor(f) {
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
  'core-utf8': (f) => coreCase(f, f.utf8Body),
  'core-gbk': (f) => coreCase(f, f.gbkBody),
  // e1: best by hand, UTF-8 (the bare server's handler).
  'hand-utf8'(f) {
    const hand = createHandVerifier(f.alipay.publicKey, f.appId);
    return {
      kind: 'sync',
      fn: () => hand.verifyUtf8(f.utf8Body),
      check: () => expect(hand.verifyUtf8(f.utf8Body).ok && !hand.verifyUtf8(f.forged[0]!).ok, 'hand verifier'),
    };
  },
  // e6: best by hand, byte-level, GBK.
  'hand-gbk'(f) {
    const hand = createHandVerifier(f.alipay.publicKey, f.appId);
    const body = Buffer.from(f.gbkBody, 'latin1');
    return {
      kind: 'sync',
      fn: () => hand.verifyBytes(body),
      check: () => {
        const r = hand.verifyBytes(body);
        expect(r.ok && r.params['subject']!.startsWith('测试商品'), 'hand GBK verifier');
      },
    };
  },
  // c3: the official SDK end to end, the way its docs show it.
  async official(f) {
    const { AlipaySdk } = await import('alipay-sdk');
    const sdk = new AlipaySdk({
      appId: f.appId,
      privateKey: f.appPrivateKeyBase64,
      alipayPublicKey: f.alipay.publicKeyBase64,
      signType: 'RSA2',
    });
    const check = (body: string) => sdk.checkNotifySign(qs.parse(body));
    return {
      kind: 'sync',
      fn: () => check(f.utf8Body),
      check: () => expect(check(f.utf8Body) && !check(f.forged[0]!), 'official SDK verifies'),
    };
  },
  // Breakdown of the core's time (run with --breakdown): each stage alone on the UTF-8 body.
  'core-parse'(f) {
    const body = Buffer.from(f.utf8Body, 'latin1');
    return { kind: 'sync', fn: () => parseNotifyBody(body), check: () => expect(parseNotifyBody(body).names.length === f.fieldCount, 'parse') };
  },
  'core-content'(f) {
    const parsed = parseNotifyBody(Buffer.from(f.utf8Body, 'latin1'));
    const want = Buffer.from(f.utf8Content, 'base64');
    return { kind: 'sync', fn: () => buildSignContent(parsed), check: () => expect(buildSignContent(parsed).equals(want), 'sign content') };
  },
  'core-map'(f) {
    const parsed = parseNotifyBody(Buffer.from(f.utf8Body, 'latin1'));
    return { kind: 'sync', fn: () => toNotification(parsed, 'RSA2'), check: () => expect(toNotification(parsed, 'RSA2').kind === 'trade_refund', 'map') };
  },
  'hand-parse'(f) {
    const hand = createHandVerifier(f.alipay.publicKey, f.appId);
    return { kind: 'sync', fn: () => hand.parseUtf8(f.utf8Body), check: () => expect(Object.keys(hand.parseUtf8(f.utf8Body)).length === f.fieldCount, 'hand parse') };
  },
  // The hand verifier with callback crypto.verify, 64 in flight (PERF.md "Async verification").
  'hand-utf8-async'(f) {
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
};

