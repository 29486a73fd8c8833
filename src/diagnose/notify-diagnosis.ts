import type { DigestAlgorithm, OpenedSignature } from '../crypto.js';
import type { AlipayNotifyErrorCode } from '../errors.js';
import type { SignType } from '../types.js';

/**
 * The main reason a notification does or does not verify, most fundamental first
 * (issue 3 item 5). `ok` means `verifyNotify` accepts it with the same options.
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
  /** Stable id: the change, then the rule, e.g. `none`, `decoded-twice+sign_type`, `field-removed:_config`. */
  readonly id: string;
  readonly change: VariantChange;
  /** Whether `sign_type` is in the string (PROTOCOL §2.2). */
  readonly keepSignType: boolean;
  /** Whether empty values are in the string (PROTOCOL §2.3). */
  readonly keepEmpty: boolean;
  /** Fields left out beyond `sign` / `sign_type` (`alipay_cert_sn`, framework or query fields). */
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
 * A structured, JSON-serialisable account of why a notification does or does not verify.
 * Every field is present (null when it does not apply), so that it prints and compares simply.
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
    | { readonly ok: false; readonly code: AlipayNotifyErrorCode; readonly field: string | null; readonly message: string };
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
  /** The canonical string that was checked: the spec rule, or the one that verified. */
  readonly canonical: { readonly text: string; readonly charset: string; readonly bytes: number; readonly sha256: string } | null;
  readonly keys: readonly KeyDiagnosis[];
  readonly certificate: { readonly declaredSn: string | null; readonly configuredSns: readonly string[]; readonly found: boolean | null } | null;
  /** The variant the signature was made over, when one is found. */
  readonly matchedVariant: VariantDiagnosis | null;
  /** The named variants tried (single-field removals are listed only when they match). */
  readonly variants: readonly VariantDiagnosis[];
  readonly variantsTried: number;
  readonly recipient: { readonly ok: boolean; readonly field: string | null; readonly received: string | null; readonly expected: readonly string[] } | null;
  /** Everything found, main cause first. */
  readonly findings: readonly DiagnosisFinding[];
}
