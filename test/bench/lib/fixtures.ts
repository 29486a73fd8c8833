/**
 * Bench fixtures: one "Alipay" key pair, the app key the official SDK insists on, and signed
 * notifications (the 28-field refund, RSA2, 2048-bit, UTF-8 and GBK). Generated once by the parent
 * and written to a temp file so that every child process verifies the same bytes. Signing is the
 * slow part (about 0.75 ms a body), so a recent set is kept in `.bench/` and reused.
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildSignContent } from '../../../src/canonical/build-sign-content.js';
import { parseNotifyBody } from '../../../src/body/parse-notify-body.js';
import { buildRefundFields, generateTestKeyPair, signNotification } from '../../../src/testing/index.js';

export const APP_ID = '2021000000000000';
/** Reused fixtures must be younger than this: the adapters refuse notifications older than 25 h. */
const CACHE_MAX_AGE_MS = 6 * 3600_000;
const FORMAT = 2;

export interface Fixtures {
  readonly format: number;
  readonly createdAt: number;
  readonly appId: string;
  /** "Alipay": its private key signs, its public key verifies. */
  readonly alipay: { privateKey: string; publicKey: string; publicKeyBase64: string };
  /** The app's private key, bare base64 PKCS#1: only because `new AlipaySdk` requires one. */
  readonly appPrivateKeyBase64: string;
  /** Bodies are ASCII (form-encoded), stored as latin1 strings. */
  readonly utf8Body: string;
  readonly gbkBody: string;
  /** `utf8Body` with its amount changed after signing: a forgery. */
  readonly forgedUtf8Body: string;
  /** The exact signed bytes of `utf8Body` (base64) and its signature: the crypto floor's input. */
  readonly utf8Content: string;
  readonly utf8Sign: string;
  readonly fieldCount: number;
  /** Distinct valid refunds (distinct notify_id), for the HTTP and memory runs. */
  readonly pool: readonly string[];
  /** Bodies whose signature does not verify (amount tampered after signing, or a garbage sign). */
  readonly forged: readonly string[];
}

export function tamper(body: string): string {
  return body.replace(/total_amount=[0-9.]+/, 'total_amount=0.01');
}

/** Builds fresh fixtures. */
export function makeFixtures(poolSize: number): Fixtures {
  const alipay = generateTestKeyPair(2048);
  const signingKey = createPrivateKey(alipay.privateKey); // imported once: signing stays ~0.75 ms a body
  const app = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sign = (charset: string) =>
    signNotification(buildRefundFields('partial', { appId: APP_ID, charset }), { privateKey: signingKey });
  const utf8 = sign('utf-8');
  const gbk = sign('gbk');
  const parsed = parseNotifyBody(utf8.body);
  const pool: string[] = [];
  for (let i = 0; i < poolSize; i++) pool.push(sign('utf-8').body.toString('latin1'));
  const forged = pool.slice(0, 16).map(tamper);
  forged.push(pool[0]!.replace(/sign=[^&]+/, 'sign=AAAA'));
  const utf8Body = utf8.body.toString('latin1');
  return {
    format: FORMAT,
    createdAt: Date.now(),
    appId: APP_ID,
    alipay,
    appPrivateKeyBase64: app.privateKey.export({ format: 'der', type: 'pkcs1' }).toString('base64'),
    utf8Body,
    gbkBody: gbk.body.toString('latin1'),
    forgedUtf8Body: tamper(utf8Body),
    utf8Content: buildSignContent(parsed).toString('base64'),
    utf8Sign: parsed.fields['sign']!,
    fieldCount: parsed.names.length,
    pool,
    forged,
  };
}

/** Recent fixtures from `cachePath` with at least `poolSize` bodies, else fresh ones (then cached). */
export function loadOrMakeFixtures(
  poolSize: number,
  cachePath: string | undefined,
): { fixtures: Fixtures; reused: boolean } {
  if (cachePath !== undefined && existsSync(cachePath)) {
    try {
      const f = readFixtures(cachePath);
      if (f.format === FORMAT && Date.now() - f.createdAt < CACHE_MAX_AGE_MS && f.pool.length >= poolSize) {
        return { fixtures: { ...f, pool: f.pool.slice(0, poolSize) }, reused: true };
      }
    } catch {
      // unreadable: sign anew
    }
  }
  const fixtures = makeFixtures(poolSize);
  if (cachePath !== undefined) {
    mkdirSync(dirname(cachePath), { recursive: true });
    writeFixtures(cachePath, fixtures);
  }
  return { fixtures, reused: false };
}

export function writeFixtures(path: string, f: Fixtures): void {
  writeFileSync(path, JSON.stringify(f));
}

export function readFixtures(path: string): Fixtures {
  return JSON.parse(readFileSync(path, 'utf8')) as Fixtures;
}
