import { scanNotifyBody, type NotifyBody } from '../body/parse-notify-body.js';
import type { ScannedBody } from '../body/scanned-body.js';
import { AlipayNotifyError, NotifyConfigError, NotifyRecipientError } from '../errors/index.js';
import type { SignType } from '../types.js';
import { checkRecipient } from '../verifier/check-recipient.js';
import { verifierFor, type ResolvedNotifyVerifier } from '../verifier/create-notify-verifier.js';
import { resolveOptions, type NotifyVerifierOptions, type ResolvedOptions } from '../verifier/resolve-options.js';
import { clipText } from './clip-text.js';
import { DiagnosisBudget } from './diagnosis-budget.js';
import { canonicalText, finish, toVariant, whyNotOpened, workOf } from './diagnosis-report.js';
import { inspectSignature, readSign } from './inspect-signature.js';
import type { DiagnosisFinding, NotifyDiagnosis } from './notify-diagnosis.js';
import { signStringVariants } from './sign-string-variants.js';

/** Options of {@link diagnoseNotify}: the verifier's options, plus what helps explain a failure. */
export interface DiagnoseNotifyOptions extends NotifyVerifierOptions {
  /**
   * The query string of the request that delivered the notification (`req.url`, or the part after
   * `?`, or its parsed object). Fields found there are tried left out of the signed string, since
   * some frameworks merge the notify_url's query into the body (PHP's `$_REQUEST`, for one).
   */
  query?: string | URLSearchParams | Readonly<Record<string, unknown>>;
}

const HASH_NAME: Readonly<Record<string, string>> = {
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  md5: 'MD5',
  sha224: 'SHA-224',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};
const SIGN_TYPE_OF_HASH: Readonly<Record<string, string>> = { sha1: 'RSA', sha256: 'RSA2' };
const APP_KEY_HINT =
  'this was not signed by any configured Alipay key: is this your app public key instead of the Alipay public key?';

function queryNames(query: DiagnoseNotifyOptions['query']): Set<string> {
  if (query === undefined || query === null) return new Set();
  if (typeof query === 'string')
    return new Set(new URLSearchParams(query.includes('?') ? query.slice(query.indexOf('?') + 1) : query).keys());
  if (query instanceof URLSearchParams) return new Set(query.keys());
  return typeof query === 'object' ? new Set(Object.keys(query)) : new Set();
}

function verdict(verifier: ResolvedNotifyVerifier, parsed: ScannedBody): NotifyDiagnosis['error'] {
  try {
    verifier.verifyParsed(parsed);
    return null;
  } catch (err) {
    if (err instanceof NotifyConfigError || !(err instanceof AlipayNotifyError)) throw err;
    const field = (err as { field?: unknown }).field;
    return { code: err.code, field: typeof field === 'string' ? clipText(field) : null };
  }
}

function list(values: Iterable<string>): string {
  return [...values].join(', ');
}

/**
 * Explains why a notification does or does not verify: the canonical string that was checked,
 * which configured key the signature opens under (by fingerprint) and with which hash, which
 * variant of the signed string it was made over, and the `sign_type`, certificate and recipient
 * checks. The report is plain JSON data. Opt-in and meant for logs and the CLI: the errors of
 * `verifyNotify` stay short on purpose.
 *
 * Never throws for a bad body or signature (they are what the report is about); a bad option is
 * still `ERR_CONFIG`. Its cost is bounded whatever the body (at most 200 candidate signed strings
 * and 4 MiB hashed, one RSA operation per key: see `work` and `notTried` in the report), and text
 * it quotes from the request is clipped (200 characters; 4096 for the canonical string).
 * Runs the same on runtimes whose `node:crypto` lacks raw RSA (`RSA_NO_PADDING`).
 *
 * @example
 * ```ts
 * import { diagnoseNotify } from 'alipay-refund-notify';
 * const report = diagnoseNotify(rawBody, { alipayPublicKey: ALIPAY_PUBLIC_KEY, appId: '2021000000000000' });
 * if (!report.ok) console.warn(report.summary, JSON.stringify(report, null, 2));
 * ```
 */
export function diagnoseNotify(body: NotifyBody, options: DiagnoseNotifyOptions): NotifyDiagnosis {
  const resolved: ResolvedOptions = resolveOptions(options);
  const empty = {
    signType: null,
    signature: null,
    canonical: null,
    keys: [],
    certificate: null,
    matchedVariant: null,
    variants: [],
    variantsTried: 0,
    work: workOf(new DiagnosisBudget()),
    notTried: null,
    recipient: null,
  } as const;

  let parsed: ScannedBody;
  try {
    parsed = scanNotifyBody(body, { maxBodyBytes: resolved.maxBodyBytes });
  } catch (err) {
    if (!(err instanceof AlipayNotifyError)) throw err;
    const raw = (err as { field?: unknown }).field;
    const field = typeof raw === 'string' ? clipText(raw) : null;
    const at = field === null ? '' : ` (field ${field})`;
    return finish(
      { code: err.code, field },
      [{ cause: 'body-invalid', message: `the body cannot be read${at}: ${err.message}` }],
      {
        ...empty,
        body: { ok: false, code: err.code, field, message: err.message },
      },
    );
  }

  const error = verdict(verifierFor(resolved), parsed);
  const findings: DiagnosisFinding[] = [];
  const f = parsed.fields;
  const accepted = [...resolved.signTypes];
  const declaredRaw = f['sign_type'] ?? null;
  const declared = declaredRaw === null ? null : clipText(declaredRaw);
  const effective = declaredRaw ?? (accepted.length === 1 ? accepted[0]! : null);
  const isAccepted = effective !== null && resolved.signTypes.has(effective as SignType);
  const { signature, bytes: sigBytes } = readSign(f['sign']);

  // The RSA opening first, once per key: it tells how each candidate string is checked (a hash).
  const budget = new DiagnosisBudget();
  const inspection = inspectSignature(parsed, resolved, effective, sigBytes, budget);
  budget.hashesPerString = inspection.hashesPerString;
  const { variants, notTried } = signStringVariants(
    parsed,
    queryNames(options.query),
    resolved.certs.length > 0,
    budget,
  );
  const all = variants.map((v) => toVariant(v, inspection.matches(v)));
  const matchedIndex = all.findIndex((v) => v.matches);
  const matched = matchedIndex < 0 ? null : all[matchedIndex]!;
  const checked =
    matched !== null && matched.change === 'none' && matched.triedByVerifier ? variants[matchedIndex]! : variants[0]!;
  const opener = inspection.opener < 0 ? undefined : inspection.keys[inspection.opener]!;
  const tried =
    notTried === null ? `${all.length} tried` : `${all.length} tried, ${notTried.variants} not tried to bound the work`;

  // Certificate mode: the notification's alipay_cert_sn picks the certificate.
  const rawSn = f['alipay_cert_sn'] === undefined || f['alipay_cert_sn'] === '' ? null : f['alipay_cert_sn'];
  const declaredSn = rawSn === null ? null : clipText(rawSn);
  const configuredSns = resolved.certs.map((c) => c.sn);
  const certificate =
    resolved.certs.length === 0 && rawSn === null
      ? null
      : {
          declaredSn,
          configuredSns,
          found: rawSn === null || configuredSns.length === 0 ? null : configuredSns.includes(rawSn),
        };

  if (!signature.present) {
    findings.push({ cause: 'signature-missing', message: 'the notification has no sign field' });
  } else if (signature.bytes === 0) {
    findings.push({
      cause: 'signature-not-base64',
      message: 'the sign field is not base64 (nor base64 with its "+" turned into spaces)',
    });
  }
  if (certificate?.found === false) {
    const by = opener?.certSn ? `; the signature opens under the configured certificate ${opener.certSn}` : '';
    findings.push({
      cause: 'cert-sn-not-found',
      message: `alipay_cert_sn ${declaredSn} is not the SN of any configured alipayPublicCert (${list(configuredSns)})${by}: add the certificate Alipay now uses`,
    });
  }

  if (effective === 'MD5' && signature.present) {
    if (resolved.md5Key === undefined) {
      findings.push({
        cause: 'sign-type-not-accepted',
        message: "sign_type is MD5 but no md5Key is configured (and 'MD5' is not in signTypes)",
      });
    } else if (matched === null) {
      findings.push({
        cause: 'md5-mismatch',
        message: `the MD5 signature matches no variant of the signed string (${tried}): wrong md5Key, or the content was changed after signing (MD5 cannot tell which)`,
      });
    }
  } else if (signature.bytes > 0 && opener === undefined) {
    const keys = inspection.keys.map((k) => `${k.fingerprint}: ${whyNotOpened(k, signature.bytes)}`);
    findings.push({
      cause: 'wrong-key',
      message:
        keys.length === 0
          ? `no RSA key is configured; ${APP_KEY_HINT}`
          : `the signature opens under none of the configured keys (${keys.join('; ')}); ${APP_KEY_HINT}`,
    });
  }
  if (signature.repaired !== 'none' && matched === null) {
    findings.push({
      cause: signature.repaired === 'plus-as-space' ? 'sign-plus-as-space' : 'variant-match',
      message:
        signature.repaired === 'plus-as-space'
          ? "the sign value had its '+' turned into spaces; it was read with '+' restored"
          : 'the sign value was still percent-encoded; it was read decoded',
    });
  }

  if (opener !== undefined || (effective === 'MD5' && resolved.md5Key !== undefined)) {
    const by = opener === undefined ? 'the md5Key' : `key ${opener.fingerprint}`;
    if (matched === null) {
      if (opener !== undefined) {
        findings.push({
          cause: 'content-changed',
          message: `the key is right (${by} made the signature, ${HASH_NAME[opener.hash!]}), but it was made over other content: no variant of the signed string matches (${tried}), so a value was changed after Alipay signed it`,
        });
      }
    } else if (!(matched.change === 'none' && matched.triedByVerifier)) {
      findings.push({
        cause: 'variant-match',
        message: `the signature (${by}) matches the signed string built from ${matched.description} [${matched.id}]`,
      });
    }
    if (signature.repaired !== 'none' && matched !== null) {
      findings.push({
        cause: signature.repaired === 'plus-as-space' ? 'sign-plus-as-space' : 'variant-match',
        message:
          signature.repaired === 'plus-as-space'
            ? "the sign value had its '+' turned into spaces (the body was decoded twice); with '+' restored it verifies: pass the raw body bytes"
            : 'the sign value is still percent-encoded (the body was decoded once too few); decoded, it verifies',
      });
    }
    if (opener?.hashMatchesSignType === false) {
      const used = SIGN_TYPE_OF_HASH[opener.hash!];
      findings.push({
        cause: 'hash-mismatch',
        message: `the signature uses ${HASH_NAME[opener.hash!]}${used ? ` (sign_type ${used})` : ''} but ${
          declared === null
            ? `the notification has no sign_type and the one configured is ${effective}`
            : `the notification declares sign_type ${declared}`
        }`,
      });
    }
  }

  if (effective !== 'MD5' || resolved.md5Key !== undefined) {
    if (!isAccepted) {
      findings.push({
        cause: 'sign-type-not-accepted',
        message:
          declared === null
            ? `the notification has no sign_type and signTypes lists several (${list(accepted)})`
            : `sign_type ${declared} is not in signTypes (${list(accepted)})`,
      });
    }
  }

  if (opener?.certValid === false) {
    findings.push({
      cause: 'cert-invalid',
      message: `the certificate ${opener.certSn} that made the signature is outside its validity period at now(); pass options.now to re-verify an archived notification`,
    });
  }

  let recipient: NotifyDiagnosis['recipient'] = { ok: true, field: null, received: null, expected: [] };
  try {
    checkRecipient(parsed, resolved, effective === 'MD5' ? 'MD5' : 'RSA2');
  } catch (err) {
    if (!(err instanceof NotifyRecipientError)) throw err;
    const expected = err.field === 'app_id' ? [...resolved.appIds] : [...(resolved.sellerIds ?? resolved.partners)];
    const received = err.received === undefined ? null : clipText(err.received);
    recipient = { ok: false, field: err.field, received, expected };
    findings.push({
      cause: err.code === 'ERR_APP_ID_MISMATCH' ? 'app-id-mismatch' : 'seller-id-mismatch',
      message: `${err.field} is ${received ?? '(absent)'} but the options expect ${list(expected) || 'a partner option for legacy MAPI notifications'}`,
    });
  }
  if (error?.code === 'ERR_SIGNATURE_AMBIGUOUS') {
    findings.push({
      cause: 'signature-ambiguous',
      message: `the signature is genuine, but the value of ${error.field ?? 'a field'} holds what reads as further fields (field folding): the body was rewritten after Alipay signed it, or a value really holds "&name="; refused, see the README's Security notes`,
    });
  }
  if (error?.code === 'ERR_NOTIFY_EXPIRED') {
    findings.push({
      cause: 'notify-expired',
      message:
        'the signature is genuine, but notify_time is outside maxNotifyAgeMs (a replay, or a wrong clock); pass options.now to check an archived notification',
    });
  }
  if (error?.code === 'ERR_FIELD_INVALID') {
    findings.push({
      cause: 'field-invalid',
      message: `the signature and recipient are fine, but field ${error.field} is not in the expected format`,
    });
  }

  return finish(error, findings, {
    body: { ok: true, charset: parsed.charset, fields: parsed.names.length, fromObject: parsed.fromObject },
    signType: { declared, accepted, isAccepted },
    signature,
    canonical: {
      text: canonicalText(checked.bytes, parsed),
      charset: parsed.charset,
      bytes: checked.bytes.length,
      sha256: checked.sha256.toString('hex'),
    },
    keys: inspection.keys,
    certificate,
    matchedVariant: matched,
    variants: all.filter((v) => v.change !== 'field-removed' || v.matches),
    variantsTried: all.length,
    work: workOf(budget),
    notTried,
    recipient,
  });
}
