import { existsSync, readFileSync } from 'node:fs';
import { certificateSnOfPem } from '../crypto/certificates.js';
import type { SignType } from '../types.js';
import { buildPaymentFields, buildRefundFields } from '../testing/build-notification-fields.js';
import { buildBatchRefundFields, buildDepositbackFields } from '../testing/build-message-fields.js';
import { signNotificationWithCertificate } from '../testing/generate-test-certificates.js';
import { signNotification } from '../testing/sign-notification.js';
import { UsageError } from './exit-codes.js';

/** The file names `keygen` writes and `sign` / `send` look for by default. */
export const DEFAULT_FILES = Object.freeze({
  privateKey: 'alipay-test-private-key.pem',
  publicKey: 'alipay-test-public-key.pem',
  publicCert: 'alipayCertPublicKey_RSA2.test.crt',
  rootCert: 'alipayRootCert.test.crt',
});

/** The notification kinds the CLI can build. */
export const KINDS = ['refund', 'full-refund', 'payment', 'depositback', 'batch-refund'] as const;
export type Kind = (typeof KINDS)[number];

/** The `parseArgs` options shared by `sign` and `send`. */
export const SIGNING_OPTIONS = {
  kind: { type: 'string', default: 'refund' },
  charset: { type: 'string', default: 'UTF-8' },
  'app-id': { type: 'string' },
  set: { type: 'string', multiple: true },
  key: { type: 'string' },
  cert: { type: 'string' },
  'sign-type': { type: 'string' },
  'md5-key': { type: 'string' },
  fields: { type: 'string' },
} as const;

/** Help text for {@link SIGNING_OPTIONS}. */
export const SIGNING_USAGE = `Building the notification:
  --kind <kind>        refund (partial, default) | full-refund | payment | depositback | batch-refund
  --fields <file|->    sign these JSON fields instead ({"name": "value", …}; string values)
  --set <name=value>   add or replace a field (repeatable; "name=" with nothing removes it)
  --charset <label>    UTF-8 (default) or GBK: the body's charset and the one signed in
  --app-id <id>        app_id to address it to (default: $APP_ID, else 2021000000000000)
Signing it:
  --key <file>         the test "Alipay" private key (default: ./${DEFAULT_FILES.privateKey})
  --cert <file>        certificate mode: the test Alipay certificate; adds alipay_cert_sn
  --sign-type <type>   RSA2 (default), RSA, or MD5 (batch-refund defaults to MD5)
  --md5-key <key>      the MAPI partner key, for MD5`;

/** What `sign` and `send` parsed with {@link SIGNING_OPTIONS}. */
export interface SigningValues {
  kind?: string;
  charset?: string;
  'app-id'?: string;
  set?: string[];
  key?: string;
  cert?: string;
  'sign-type'?: string;
  'md5-key'?: string;
  fields?: string;
}

/** A signed body, ready to POST. */
export interface SignedBody {
  readonly body: Buffer;
  readonly fields: Readonly<Record<string, string>>;
  /** The charset label as the `charset` field declares it, for the `Content-Type` header. */
  readonly charsetLabel: string;
}

function overrides(sets: readonly string[] | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const pair of sets ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--set expects name=value, got ${JSON.stringify(pair)}`);
    const value = pair.slice(at + 1);
    out[pair.slice(0, at)] = value === '' ? undefined : value;
  }
  return out;
}

function parseFields(text: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError('--fields: not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new UsageError('--fields: expected a JSON object of fields');
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (typeof v !== 'string')
      throw new UsageError(`--fields: ${k} must be a string (Alipay sends every value as text)`);
    fields[k] = v;
  }
  return fields;
}

function buildFields(values: SigningValues, fieldsText: string | undefined): Record<string, string> {
  const kind = values.kind ?? 'refund';
  if (!(KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
  const appId = values['app-id'] ?? process.env['APP_ID'] ?? '2021000000000000';
  const charset = values.charset ?? 'UTF-8';
  const o = { appId, charset, overrides: overrides(values.set) };
  if (fieldsText !== undefined) {
    const fields = parseFields(fieldsText);
    for (const [k, v] of Object.entries(o.overrides)) {
      if (v === undefined) delete fields[k];
      else fields[k] = v;
    }
    return fields;
  }
  switch (kind as Kind) {
    case 'refund':
      return buildRefundFields('partial', o);
    case 'full-refund':
      return buildRefundFields('full', o);
    case 'payment':
      return buildPaymentFields(o);
    case 'depositback':
      return buildDepositbackFields('S', o);
    case 'batch-refund':
      return buildBatchRefundFields({ overrides: o.overrides });
  }
}

function readFile(path: string, option: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`${option}: cannot read ${path}`);
  }
}

/**
 * Builds and signs the notification the `sign` / `send` options describe. `fieldsText` is the
 * JSON of `--fields` once read.
 *
 * @example
 * ```ts
 * const { body, charsetLabel } = signFromOptions({ kind: 'full-refund', charset: 'GBK' }, undefined);
 * ```
 */
export function signFromOptions(values: SigningValues, fieldsText: string | undefined): SignedBody {
  const fields = buildFields(values, fieldsText);
  const declared =
    values['sign-type'] ??
    fields['sign_type'] ??
    (values.kind === 'batch-refund' && fieldsText === undefined ? 'MD5' : 'RSA2');
  if (declared !== 'RSA2' && declared !== 'RSA' && declared !== 'MD5')
    throw new UsageError('--sign-type must be RSA2, RSA or MD5');
  const signType: SignType = declared;
  const charsetLabel = fields['charset'] ?? 'UTF-8';
  let signed;
  try {
    if (signType === 'MD5') {
      const md5Key = values['md5-key'] ?? process.env['ALIPAY_MD5_KEY'];
      if (md5Key === undefined) throw new UsageError('MD5 needs --md5-key (the MAPI partner key)');
      signed = signNotification(fields, { signType, md5Key });
    } else {
      const keyPath = values.key ?? (existsSync(DEFAULT_FILES.privateKey) ? DEFAULT_FILES.privateKey : undefined);
      if (keyPath === undefined)
        throw new UsageError(`no signing key: run "alipay-notify keygen" first, or give --key <file>`);
      const privateKey = readFile(keyPath, '--key');
      if (values.cert !== undefined) {
        const alipayCertSn = certificateSnOfPem(readFile(values.cert, '--cert'));
        signed = signNotificationWithCertificate(fields, { privateKey, alipayCertSn }, { signType });
      } else {
        signed = signNotification(fields, { privateKey, signType });
      }
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot sign: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { body: signed.body, fields: signed.fields, charsetLabel };
}
