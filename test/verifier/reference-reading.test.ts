// The optimised verifier against the reference reading of the same rules (support/reference-
// reading.ts), on bodies the fuzzer generates and on mutations of genuinely signed ones: the
// same fields, bytes, signed string and signature, and the same notification or the same error.
import assert from 'node:assert/strict';
import { verify as cryptoVerify } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { scanNotifyBody, type ParsedNotifyBody } from '../../src/body/parse-notify-body.js';
import { documentedSignContent } from '../../src/canonical/assemble-sign-content.js';
import { buildSignContent } from '../../src/canonical/build-sign-content.js';
import { findSecondReading } from '../../src/canonical/find-second-reading.js';
import { decodeSignature, decodeSignatureBytes } from '../../src/crypto/verify-rsa.js';
import { AlipayNotifyError, createNotifyVerifier, type AlipayNotification } from '../../src/index.js';
import { toNotification } from '../../src/map/to-notification.js';
import { checkRecipient } from '../../src/verifier/check-recipient.js';
import { resolveOptions } from '../../src/verifier/resolve-options.js';
import { fuzzInput, type FuzzInput } from '../fuzz/fuzz-inputs.js';
import { applyMutation } from '../fuzz/mutations.js';
import { buildSignedPool, FUZZ_APP_ID } from '../fuzz/signed-pool.js';
import {
  referenceRead,
  referenceSecondReading,
  referenceSignature,
  referenceSignContent,
  ReferenceRefusal,
  referenceSigned,
  type ReferenceBody,
  type ReferenceRule,
} from './support/reference-reading.js';

const pool = buildSignedPool(12);
const options = { alipayPublicKey: pool.alipay.publicKey, appId: FUZZ_APP_ID };
const verifier = createNotifyVerifier(options);
const resolved = resolveOptions(options);
const key = resolved.keys[0]!.key;

function bodyOf(input: FuzzInput): Uint8Array | string | undefined {
  if (input.source === 'generated-object') return undefined;
  if (input.source === 'generated')
    return input.as === 'string' ? Buffer.from(input.bytes).toString('utf8') : input.bytes;
  let body = pool.bodies[input.base % pool.bodies.length]!.body;
  for (const m of input.mutations) body = applyMutation(body, m, pool.bodies);
  return input.as === 'string' ? body.toString('latin1') : body;
}

type Outcome<T> = { ok: T } | { code: string; field?: string | undefined };

function outcome<T>(fn: () => T): Outcome<T> {
  try {
    return { ok: fn() };
  } catch (err) {
    if (err instanceof ReferenceRefusal) return { code: err.code, field: err.field };
    if (err instanceof AlipayNotifyError) return { code: err.code, field: (err as { field?: string }).field };
    throw err;
  }
}

// The reading as plain data, to compare with the reference's.
function plain(p: ParsedNotifyBody | ReferenceBody): unknown {
  const bytes = p.bytes instanceof Map ? p.bytes : new Map(Object.entries(p.bytes));
  const fields = p.fields instanceof Map ? p.fields : new Map(Object.entries(p.fields));
  return {
    names: [...p.names],
    bytes: [...p.names].map((n) => Buffer.from(bytes.get(n)!).toString('hex')),
    fields: [...p.names].map((n) => fields.get(n)),
    charset: p.charset,
  };
}

// The reference verifier: the rules of check-signature.ts for a key-mode RSA2 verifier, then the
// library's own recipient check and mapping (unchanged code) on the signed fields.
function referenceVerify(input: Uint8Array | string): AlipayNotification {
  const body = referenceRead(input);
  const sign = body.fields.get('sign');
  if (sign === undefined || sign === '') throw new ReferenceRefusal('ERR_SIGNATURE_MISSING');
  if ((body.fields.get('sign_type') ?? 'RSA2') !== 'RSA2') throw new ReferenceRefusal('ERR_SIGN_TYPE_UNSUPPORTED');
  let rules: ReferenceRule[] = [{}];
  if (body.names.some((n) => n !== 'sign' && body.bytes.get(n)!.length === 0)) rules.push({ keepEmpty: true });
  const type = body.fields.get('notify_type');
  if (type !== 'trade_status_sync' && type !== 'batch_refund_notify' && body.fields.has('sign_type')) {
    rules = [...rules, ...rules.map((r) => ({ ...r, keepSignType: true }))];
  }
  const signature = referenceSignature(sign);
  const rule = rules.find(
    (r) => signature.length === 256 && cryptoVerify('sha256', referenceSignContent(body, r), key, signature),
  );
  if (rule === undefined) throw new ReferenceRefusal('ERR_SIGNATURE_INVALID');
  if (referenceSecondReading(body, rule) !== undefined) throw new ReferenceRefusal('ERR_SIGNATURE_AMBIGUOUS');
  const kept = body.names.filter((n) => n === 'sign' || n === 'sign_type' || referenceSigned(body, n, rule));
  const fields = Object.create(null) as Record<string, string>;
  const bytes = Object.create(null) as Record<string, Uint8Array>;
  for (const n of kept) {
    fields[n] = body.fields.get(n)!;
    bytes[n] = body.bytes.get(n)!;
  }
  const view = { names: kept, fields, bytes, charset: body.charset as ParsedNotifyBody['charset'], fromObject: false };
  checkRecipient(view, resolved, 'RSA2');
  return toNotification(view, 'RSA2');
}

function compareReading(body: Uint8Array | string): void {
  const ours = outcome(() => scanNotifyBody(body));
  const ref = outcome(() => referenceRead(body));
  if ('code' in ref || 'code' in ours) {
    assert.deepEqual(
      'code' in ours ? { code: ours.code, field: ours.field } : 'accepted',
      'code' in ref ? { code: ref.code, field: ref.field } : 'accepted',
    );
    return;
  }
  const scanned = ours.ok;
  assert.deepEqual(plain(scanned), plain(ref.ok));
  assert.equal(Object.getPrototypeOf(scanned.fields), null);
  assert.equal(Object.getPrototypeOf(scanned.bytes), null);
  assert.deepEqual(documentedSignContent(scanned), referenceSignContent(ref.ok));
  assert.deepEqual(buildSignContent(scanned, {}), referenceSignContent(ref.ok));
  assert.deepEqual(
    buildSignContent(scanned, { keepEmpty: true, keepSignType: true }),
    referenceSignContent(ref.ok, { keepEmpty: true, keepSignType: true }),
  );
  for (const rule of [{}, { keepEmpty: true }]) {
    assert.deepEqual(
      scanned.hasAmpersand ? findSecondReading(scanned, rule) : undefined,
      referenceSecondReading(ref.ok, rule),
    );
  }
  const i = scanned.indexOf('sign');
  if (i >= 0)
    assert.deepEqual(
      decodeSignatureBytes(scanned.src[i]!, scanned.from[i]!, scanned.to[i]!),
      referenceSignature(ref.ok.fields.get('sign')!),
    );
}

function compareVerify(body: Uint8Array | string): void {
  const ours = outcome(() => verifier.verify(body));
  const ref = outcome(() => referenceVerify(body));
  if ('ok' in ours && 'ok' in ref) assert.deepStrictEqual(ours.ok, ref.ok);
  else assert.deepEqual('code' in ours ? ours.code : 'verified', 'code' in ref ? ref.code : 'verified');
}

test('every genuine body of the pool reads and verifies the same both ways', () => {
  for (const b of pool.bodies) {
    compareReading(b.body);
    compareVerify(b.body);
    compareVerify(b.body.toString('latin1'));
  }
});

test('generated and mutated bodies: same reading, same signed string, same outcome or error code', () => {
  fc.assert(
    fc.property(fuzzInput, (input) => {
      const body = bodyOf(input);
      if (body === undefined) return;
      compareReading(body);
      compareVerify(body);
    }),
    { numRuns: 3000, seed: 1616 },
  );
});

test('the signature decoder agrees with the reference on any text', () => {
  const b64 = fc.string({ unit: fc.constantFrom(...'ABCDwxyz0189+/=-_ %\u00e9'.split('')), maxLength: 16 });
  const real = fc.uint8Array({ maxLength: 40 }).chain((b) => {
    const s = Buffer.from(b).toString('base64');
    return fc.constantFrom(
      s,
      s.replace(/=+$/, ''),
      `${s}=`,
      s.length > 1 ? `${s.slice(0, -2)}${s.at(-1)}${s.at(-2)}` : s,
    );
  });
  fc.assert(
    fc.property(fc.oneof(b64, real), (s) => {
      const bytes = Buffer.from(s, 'utf8');
      assert.deepEqual(decodeSignatureBytes(bytes, 0, bytes.length), referenceSignature(s));
      assert.deepEqual(decodeSignature(s), referenceSignature(s));
    }),
    { numRuns: 5000, seed: 1616 },
  );
});

// Bytes at and past 0x80, escaped and raw, in names and values, under each charset: the scanner's
// byte tables split at 0x80, so the cases either side of it are listed here rather than left to chance.
test('bytes around 0x80, escaped or raw, read the same both ways in every charset', () => {
  const pieces = ['%80', '%7F', '%7f', '%FF', '%C2%80', '%C0%80', '%ED%A0%80', '%E9%80', '%81%40', '%A1', '%2', '%'];
  const raw = [0x7f, 0x80, 0xc2, 0xff];
  for (const charset of ['utf-8', 'UTF-8', 'gbk', 'GB2312', 'gb18030']) {
    const bodies: Uint8Array[] = [];
    for (const p of pieces) {
      bodies.push(Buffer.from(`charset=${charset}&subject=a${p}b&notify_id=1`, 'latin1'));
      bodies.push(Buffer.from(`charset=${charset}&x${p}y=1&notify_id=1`, 'latin1'));
    }
    for (const b of raw) {
      bodies.push(Buffer.concat([Buffer.from(`charset=${charset}&subject=a`), Buffer.from([b]), Buffer.from('b')]));
      bodies.push(Buffer.concat([Buffer.from(`charset=${charset}&x`), Buffer.from([b]), Buffer.from('=1')]));
    }
    for (const body of bodies) {
      compareReading(body);
      compareReading(Buffer.from(body).toString('latin1'));
    }
  }
  // The same pieces inside a genuinely signed body's value, so the whole verification is compared too.
  const genuine = pool.bodies.map((g) => g.body.toString('latin1')).find((g) => /(^|&)subject=/.test(g));
  assert.ok(genuine !== undefined, 'the signed pool has a body with a subject');
  for (const p of pieces) {
    const body = genuine.replace(/(^|&)(subject=)/, `$1$2${p}`);
    compareReading(Buffer.from(body, 'latin1'));
    compareVerify(Buffer.from(body, 'latin1'));
  }
});
