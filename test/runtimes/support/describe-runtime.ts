// The cases every non-Node runtime must pass, against the runtime app
// (test/runtimes/fixtures/runtime-app/) served by that runtime on loopback:
// the core (verifyNotify, diagnoseNotify) and the Fetch adapter, as a merchant's code runs them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { post } from '../../adapters/support/http.js';
import { reportCore, type CoreReport } from '../fixtures/runtime-app/core-report.mjs';
import type { ChildServer } from './child-server.js';
import { ALIPAY_PUBLIC_KEY, APP_ID, SUBJECT, realAlipay, signedRefund, tampered } from './notifications.js';

export interface RuntimeTarget {
  name: string;
  /** Why the runtime's tests are skipped (its binary is missing), if they are. */
  skip?: string | undefined;
  /** Starts the runtime app with ALIPAY_PUBLIC_KEY as the adapter's key. */
  start(alipayPublicKey: string): Promise<ChildServer>;
  /**
   * A known gap of this runtime in diagnoseNotify: returns why the diagnosis test is skipped when
   * the reports show exactly that gap, undefined otherwise (then the test asserts as usual).
   */
  knownDiagnoseGap?: (reports: CoreReport[]) => string | undefined;
}

const utf8 = signedRefund('partial', 'utf-8');
const gbk = signedRefund('full', 'GBK');
const CASES = [
  { name: 'utf-8', body: utf8.body, alipayPublicKey: ALIPAY_PUBLIC_KEY, appId: APP_ID },
  { name: 'gbk', body: gbk.body, alipayPublicKey: ALIPAY_PUBLIC_KEY, appId: APP_ID },
  { name: 'utf-8 tampered', body: tampered(utf8), alipayPublicKey: ALIPAY_PUBLIC_KEY, appId: APP_ID },
  { name: 'gbk tampered', body: tampered(gbk), alipayPublicKey: ALIPAY_PUBLIC_KEY, appId: APP_ID },
  { name: 'real Alipay', body: realAlipay.body, alipayPublicKey: realAlipay.alipayPublicKey, appId: realAlipay.appId },
];

async function runCoreOn(server: ChildServer): Promise<CoreReport[]> {
  const res = await fetch(`${server.url}/core`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ cases: CASES.map((c) => ({ ...c, body: c.body.toString('base64') })) }),
  });
  assert.equal(res.status, 200, server.output());
  return (await res.json()) as CoreReport[];
}

export function describeRuntime(target: RuntimeTarget): void {
  describe(target.name, { skip: target.skip }, () => {
    let server: ChildServer;
    let reports: Promise<CoreReport[]>;
    before(async () => {
      server = await target.start(ALIPAY_PUBLIC_KEY);
      reports = runCoreOn(server);
      await reports.catch(() => undefined);
    });
    after(async () => {
      await server?.close();
    });

    test(`${target.name}: verifyNotify: genuine UTF-8 and GBK refunds and a real Alipay notification verify, tampered ones do not; as on Node.js`, async () => {
      const seen = await reports;
      const verify = Object.fromEntries(seen.map((r) => [r.name, r.verify]));
      assert.deepEqual(verify['utf-8'], {
        ok: true,
        notification: {
          kind: 'trade_refund',
          notifyId: utf8.notifyId,
          charset: 'utf-8',
          refundType: 'partial',
          subject: SUBJECT,
          refundFeeFen: (verify['utf-8'] as { notification: { refundFeeFen: number } }).notification.refundFeeFen,
        },
      });
      assert.ok(
        verify['gbk']?.ok &&
          verify['gbk'].notification.subject === SUBJECT &&
          verify['gbk'].notification.charset === 'gbk',
        JSON.stringify(verify['gbk']),
      );
      assert.equal(verify['gbk']?.ok && verify['gbk'].notification.refundType, 'full');
      assert.deepEqual(verify['utf-8 tampered'], {
        ok: false,
        name: 'NotifySignatureError',
        code: 'ERR_SIGNATURE_INVALID',
      });
      assert.deepEqual(verify['gbk tampered'], {
        ok: false,
        name: 'NotifySignatureError',
        code: 'ERR_SIGNATURE_INVALID',
      });
      assert.equal(verify['real Alipay']?.ok && verify['real Alipay'].notification.notifyId, realAlipay.notifyId);
      // The same verdicts, field for field, as the same code under Node.js.
      assert.deepEqual(
        seen.map((r) => r.verify),
        CASES.map((c) => reportCore(c).verify),
      );
    });

    test(`${target.name}: diagnoseNotify: a genuine refund is ok; a tampered one is "content changed" under the right key, not a wrong key`, async (t) => {
      const seen = await reports;
      const gap = target.knownDiagnoseGap?.(seen);
      if (gap !== undefined) {
        t.skip(gap);
        return;
      }
      const diagnosis = Object.fromEntries(seen.map((r) => [r.name, r.diagnosis]));
      const opened = [{ opens: true, status: 'opened', hash: 'sha256' }];
      assert.deepEqual(diagnosis['utf-8'], { ok: true, cause: 'ok', errorCode: null, keys: opened });
      assert.deepEqual(diagnosis['gbk'], { ok: true, cause: 'ok', errorCode: null, keys: opened });
      assert.deepEqual(diagnosis['utf-8 tampered'], {
        ok: false,
        cause: 'content-changed',
        errorCode: 'ERR_SIGNATURE_INVALID',
        keys: opened,
      });
      assert.deepEqual(diagnosis['gbk tampered'], {
        ok: false,
        cause: 'content-changed',
        errorCode: 'ERR_SIGNATURE_INVALID',
        keys: opened,
      });
      assert.deepEqual(
        seen.map((r) => r.diagnosis),
        CASES.map((c) => reportCore(c).diagnosis),
      );
    });

    test(`${target.name}: the Fetch adapter on loopback: genuine success, tampered fail, GBK success, duplicates acknowledged with one handler run`, async () => {
      const { url } = server;
      const answers: [string, number, string][] = [];
      const send = async (label: string, body: Buffer, chunked = false) => {
        const a = await post(url, body, { chunked });
        answers.push([label, a.status, a.text]);
      };
      const fresh = signedRefund('partial', 'utf-8');
      await send('genuine', utf8.body);
      await send('tampered', tampered(utf8));
      await send('gbk, chunked', gbk.body, true);
      await send('duplicate', utf8.body);
      await Promise.all([1, 2, 3].map(() => send('concurrent copy', fresh.body)));
      assert.deepEqual(
        answers,
        [
          ['genuine', 200, 'success'],
          ['tampered', 400, 'fail'],
          ['gbk, chunked', 200, 'success'],
          ['duplicate', 200, 'success'],
          ['concurrent copy', 200, 'success'],
          ['concurrent copy', 200, 'success'],
          ['concurrent copy', 200, 'success'],
        ],
        server.output(),
      );
      const handled = (await (await fetch(`${url}/handled`)).json()) as {
        refunds: { notifyId: string; subject: string; charset: string }[];
        errors: unknown[];
      };
      assert.deepEqual(
        handled.refunds.map((r) => r.notifyId),
        [utf8.notifyId, gbk.notifyId, fresh.notifyId],
      );
      assert.equal(handled.refunds[1]!.subject, SUBJECT);
      assert.equal(handled.refunds[1]!.charset, 'gbk');
      assert.deepEqual(handled.errors, [{ code: 'ERR_SIGNATURE_INVALID', status: 400 }]);
    });
  });
}
