/**
 * Bench fixtures: one "Alipay" key pair, the app key the official SDK insists on, and signed
 * notifications (PERF.md "Fixtures": 28-field refund, RSA2, 2048-bit, UTF-8 and GBK). Generated once
 * by the parent and written to a temp file so that every child process verifies the same bytes.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { buildSignContent } from '../../../src/canonical/build-sign-content.js';
import { parseNotifyBody } from '../../../src/body/parse-notify-body.js';
import { buildRefundFields, generateTestKeyPair, signNotification } from '../../../src/testing/index.js';

export const APP_ID = '2021000000000000';

export interface Fixtures {
  readonly appId: string;
  /** "Alipay": its private key signs, its public key verifies. */
  readonly alipay: { privateKey: string; publicKey: string; publicKeyBase64: string };
  /** The app's private key, bare base64 PKCS#1: only because `new AlipaySdk` requires one. */
  readonly appPrivateKeyBase64: string;
  /** Bodies are ASCII (form-encoded), stored as latin1 strings. */
  readonly utf8Body: string;
  readonly gbkBody: string;
  /** The exact signed bytes of `utf8Body` (base64) and its signature: the crypto floor's input. */
  readonly utf8Content: string;
  readonly utf8Sign: string;
  readonly fieldCount: number;
  /** Distinct valid refunds (distinct notify_id), for HTTP and memory runs. */
  readonly pool: readonly string[];
  /** Bodies whose signature does not verify (amount tampered after signing, or a garbage sign). */
  readonly forged: readonly string[];
}

function tamper(body: string): string {
  return body.replace(/total_amount=[0-9.]+/, 'total_amount=0.01');
}

/** Builds fresh fixtures (about 1–2 s per 1000 pool bodies: RSA signing is the slow part). */
export function makeFixtures(poolSize: number): Fixtures {
  const alipay = generateTestKeyPair(2048);
  const app = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sign = (charset: string) =>
    signNotification(buildRefundFields('partial', { appId: APP_ID, charset }), { privateKey: alipay.privateKey });
  const utf8 = sign('utf-8');
  const gbk = sign('gbk');
  const parsed = parseNotifyBody(utf8.body);
  const pool: string[] = [];
  for (let i = 0; i < poolSize; i++) pool.push(sign('utf-8').body.toString('latin1'));
  const forged = pool.slice(0, 16).map(tamper);
  forged.push(pool[0]!.replace(/sign=[^&]+/, 'sign=AAAA'));
  return {
    appId: APP_ID,
    alipay,
    appPrivateKeyBase64: app.privateKey.export({ format: 'der', type: 'pkcs1' }).toString('base64'),
    utf8Body: utf8.body.toString('latin1'),
    gbkBody: gbk.body.toString('latin1'),
    utf8Content: buildSignContent(parsed).toString('base64'),
    utf8Sign: parsed.fields['sign']!,
    fieldCount: parsed.names.length,
    pool,
    forged,
  };
}

export function writeFixtures(path: string, f: Fixtures): void {
  writeFileSync(path, JSON.stringify(f));
}

export function readFixtures(path: string): Fixtures {
  return JSON.parse(readFileSync(path, 'utf8')) as Fixtures;
}

export { tamper };
