import type { DigestAlgorithm, OpenedSignature } from '../crypto/open-rsa-signature.js';
import type { AlipayNotifyErrorCode } from '../errors/index.js';
import type { SignType } from '../types.js';

/**
 * The main reason a notification does or does not verify, most fundamental first.
 * `ok` means `verifyNotify` accepts it with the same options.
 */
export type DiagnosisCause =
  | 'ok'
  | 'body-invalid'
  | 'signature-missing'
  | 'signature-not-base64'
  | 'cert-sn-not-found'
  | 'wrong-key'
  | 'md5-mismatch'
  | 'content-changed'
  | 'variant-match'
  | 'sign-plus-as-space'
  | 'hash-mismatch'
  | 'sign-type-not-accepted'
  | 'cert-invalid'
  | 'app-id-mismatch'
  | 'seller-id-mismatch'
  | 'field-invalid'
  | 'signature-ambiguous'
  | 'notify-expired'
  | 'unexplained';

/** How a variant of the signed string differs from the one built from the body as received. */
export type VariantChange =
  | 'none'
  | 'other-charset'
  | 'decoded-twice'
  | 'trimmed'
  | 'plus-kept'
  | 'html-unescaped'
  | 'framework-params-removed'
  | 'query-params-removed'
  | 'field-removed';

/** One finding, in plain words. */
export interface DiagnosisFinding {
  readonly cause: DiagnosisCause;
  readonly message: string;
}

/** One candidate of the signed string and whether the signature covers it. */
export interface VariantDiagnosis {
  /** Stable id: the change, then the rule, e.g. `none`, `decoded-twice+sign_type`, `field-removed:_config` (names clipped to 200 characters). */
  readonly id: string;
  readonly change: VariantChange;
  /** Whether `sign_type` is in the string (Alipay's gateway messages sign it; notifications do not). */
  readonly keepSignType: boolean;
  /** Whether empty values are in the string (the documented rule skips them). */
  readonly keepEmpty: boolean;
  /**
   * Fields left out beyond `sign` / `sign_type` (`alipay_cert_sn`, framework or query fields): at
   * most 20, each clipped to 200 characters, then `…+N more` when there were more.
   */
  readonly removed: readonly string[];
  readonly description: string;
  /** Hex SHA-256 of the variant's bytes (compare with `signed_string_sha256` of the vectors). */
  readonly sha256: string;
  /** Whether the signature was made over exactly these bytes. */
  readonly matches: boolean;
  /** Whether `verifyNotify` tries this variant itself. */
  readonly triedByVerifier: boolean;
}

/** What opening the signature with one configured key showed. */
export interface KeyDiagnosis {
  /** `sha256:` + 16 hex digits of the key's SPKI, or `md5` for the MAPI partner key. */
  readonly fingerprint: string;
  readonly source: 'alipayPublicKey' | 'alipayPublicCert' | 'md5Key';
  readonly bits: number | null;
  /** Alipay certificate SN (certificate mode). */
  readonly certSn: string | null;
  /** Whether the certificate (and its chain) is valid at the verifier's `now` (certificate mode). */
  readonly certValid: boolean | null;
  /** Whether the signature opens under this key, i.e. this key's private half made it. Null for MD5. */
  readonly opens: boolean | null;
  readonly status: OpenedSignature['status'] | 'md5';
  /** The hash inside the signature. */
  readonly hash: DigestAlgorithm | null;
  /** Whether that hash is the one `sign_type` declares (SHA-256 for RSA2, SHA-1 for RSA). */
  readonly hashMatchesSignType: boolean | null;
  /** Hex digest recovered from the signature. */
  readonly recoveredDigest: string | null;
}

/**
 * The work one diagnosis did. It is bounded whatever the body: at most 200 candidate signed strings
 * built (`limits.variants`), at most 4 MiB of them hashed (`limits.bytes`), and one raw RSA
 * operation per configured key (each candidate then costs a hash, never an RSA operation). The
 * `verifyNotify` run that gives {@link NotifyDiagnosis.error} is bounded by the verifier itself.
 *
 * @example
 * ```ts
 * const { work } = diagnoseNotify(rawBody, options);
 * console.log(`${work.stringsBuilt} strings, ${work.bytesHashed} bytes hashed, ${work.rsaOpens} RSA operations`);
 * ```
 */
export interface DiagnosisWork {
  /** Candidate signed strings built and hashed (duplicates included; `variantsTried` counts the distinct ones). */
  readonly stringsBuilt: number;
  /** Bytes of candidate strings put through a hash (SHA-256 for the report, and the signature's own hash). */
  readonly bytesHashed: number;
  /** Raw RSA openings of the signature: at most one per configured RSA key or certificate. */
  readonly rsaOpens: number;
  /** The limits in force. */
  readonly limits: { readonly variants: number; readonly bytes: number };
}

/**
 * What the diagnosis did not try because a limit of {@link DiagnosisWork} was reached. Only a
 * forged or very unusual body gets here: every candidate of a real notification fits. When the
 * signature opened under a key but no tried candidate matched, the signed string may be among
 * those not tried.
 *
 * @example
 * ```ts
 * const report = diagnoseNotify(rawBody, options);
 * if (report.notTried !== null) console.warn(report.notTried.note);
 * ```
 */
export interface DiagnosisNotTried {
  /** The limit that was reached: the number of candidate strings, or the bytes hashed. */
  readonly limit: 'variants' | 'bytes';
  /** Candidate signed strings not built nor checked (some would have been duplicates). */
  readonly variants: number;
  /** The same count per kind of change. */
  readonly byChange: { readonly [C in VariantChange]?: number };
  /** One line for a log: how many were not tried, of which kinds, and why. */
  readonly note: string;
}

/**
 * A structured, JSON-serialisable account of why a notification does or does not verify.
 * Every field is present (null when it does not apply), so that it prints and compares simply.
 *
 * Text taken from the request (values such as `sign_type`, `alipay_cert_sn`, `app_id`, and field
 * names, also inside `summary` and the messages) is clipped to 200 characters with `…` appended,
 * and `canonical.text` to 4096, so that a forged request cannot fill a log line with its own text.
 */
export interface NotifyDiagnosis {
  /** Whether `verifyNotify` accepts the body with these options. */
  readonly ok: boolean;
  readonly cause: DiagnosisCause;
  /** One line for a log or a terminal. */
  readonly summary: string;
  /** What `verifyNotify` throws (code and field), or null when it accepts. */
  readonly error: { readonly code: AlipayNotifyErrorCode; readonly field: string | null } | null;
  readonly body:
    | { readonly ok: true; readonly charset: string; readonly fields: number; readonly fromObject: boolean }
    | {
        readonly ok: false;
        readonly code: AlipayNotifyErrorCode;
        readonly field: string | null;
        readonly message: string;
      };
  readonly signType: {
    /** `sign_type` as the notification declares it (null when absent). */
    readonly declared: string | null;
    /** The `signTypes` option. */
    readonly accepted: readonly SignType[];
    /** Whether the declared (or the only configured) type is accepted. */
    readonly isAccepted: boolean;
  } | null;
  readonly signature: {
    readonly present: boolean;
    /** Byte length after base64 decoding (0 when it is not base64). */
    readonly bytes: number;
    /** How the `sign` value had to be repaired before it decoded: `'+'` read as a space, or still percent-encoded. */
    readonly repaired: 'none' | 'plus-as-space' | 'percent-encoded';
  } | null;
  /**
   * The canonical string that was checked: the documented rule, or the one that verified. `text` is
   * clipped to 4096 characters (with `…`); `bytes` and `sha256` are those of the whole string.
   */
  readonly canonical: {
    readonly text: string;
    readonly charset: string;
    readonly bytes: number;
    readonly sha256: string;
  } | null;
  readonly keys: readonly KeyDiagnosis[];
  readonly certificate: {
    readonly declaredSn: string | null;
    readonly configuredSns: readonly string[];
    readonly found: boolean | null;
  } | null;
  /** The variant the signature was made over, when one is found. */
  readonly matchedVariant: VariantDiagnosis | null;
  /** The named variants tried (single-field removals are listed only when they match). */
  readonly variants: readonly VariantDiagnosis[];
  /** Distinct candidate strings checked (at most 200). */
  readonly variantsTried: number;
  /** The work done, and its limits. */
  readonly work: DiagnosisWork;
  /** What was left out because a limit was reached; null when every candidate was tried. */
  readonly notTried: DiagnosisNotTried | null;
  readonly recipient: {
    readonly ok: boolean;
    readonly field: string | null;
    readonly received: string | null;
    readonly expected: readonly string[];
  } | null;
  /** Everything found, main cause first. */
  readonly findings: readonly DiagnosisFinding[];
}
