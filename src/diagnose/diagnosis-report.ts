import iconv from 'iconv-lite';
import type { ParsedNotifyBody } from '../body/parse-notify-body.js';
import { clipText, MAX_CANONICAL_TEXT } from './clip-text.js';
import type { DiagnosisBudget } from './diagnosis-budget.js';
import type {
  DiagnosisCause,
  DiagnosisFinding,
  DiagnosisWork,
  KeyDiagnosis,
  NotifyDiagnosis,
  VariantDiagnosis,
} from './notify-diagnosis.js';
import type { SignStringVariant } from './sign-string-variants.js';

// The parts of diagnoseNotify's report that are only presentation: texts, hashes in hex, the summary.

/**
 * The checked signed string as text for the report: decoded in the body's charset, clipped.
 *
 * @example
 * ```ts
 * canonicalText(checked.bytes, parsed); // 'app_id=2021…&charset=utf-8&…'
 * ```
 */
export function canonicalText(bytes: Buffer, parsed: ParsedNotifyBody): string {
  // Decoding more than the shown characters would be wasted: a character takes at most 4 bytes.
  const head = bytes.subarray(0, MAX_CANONICAL_TEXT * 4 + 4);
  const text = parsed.charset === 'utf-8' ? new TextDecoder('utf-8').decode(head) : iconv.decode(head, 'gb18030');
  return clipText(text, MAX_CANONICAL_TEXT);
}

/**
 * What the diagnosis spent against its limits, for the report's `work`.
 *
 * @example
 * ```ts
 * workOf(new DiagnosisBudget()).limits.variants; // 200
 * ```
 */
export function workOf(budget: DiagnosisBudget): DiagnosisWork {
  return {
    stringsBuilt: budget.stringsBuilt,
    bytesHashed: budget.bytesHashed,
    rsaOpens: budget.rsaOpens,
    limits: { variants: budget.maxStrings, bytes: budget.maxBytes },
  };
}

/**
 * A candidate signed string as the report shows it: its SHA-256 in hex instead of its bytes.
 *
 * @example
 * ```ts
 * toVariant(variants[0]!, true).matches; // true
 * ```
 */
export function toVariant(v: SignStringVariant, matches: boolean): VariantDiagnosis {
  return {
    id: v.id,
    change: v.change,
    keepSignType: v.keepSignType,
    keepEmpty: v.keepEmpty,
    removed: v.removed,
    description: v.description,
    sha256: v.sha256.toString('hex'),
    matches,
    triedByVerifier: v.triedByVerifier,
  };
}

/**
 * The report, with its leading cause and one-line summary taken from the findings.
 *
 * @example
 * ```ts
 * finish(null, [], report).summary; // 'verifies: the notification verifies with these options'
 * ```
 */
export function finish(
  error: NotifyDiagnosis['error'],
  findings: DiagnosisFinding[],
  report: Omit<NotifyDiagnosis, 'ok' | 'cause' | 'summary' | 'error' | 'findings'>,
): NotifyDiagnosis {
  let all = findings;
  if (error === null) {
    all = [{ cause: 'ok', message: 'the notification verifies with these options' }];
  } else if (all.length === 0) {
    all = [
      {
        cause: 'unexplained',
        message: `verifyNotify rejects it with ${error.code}, and the signature analysis found nothing wrong`,
      },
    ];
  }
  const cause: DiagnosisCause = all[0]!.cause;
  const more = all.length > 1 ? ` (+${all.length - 1} more finding${all.length > 2 ? 's' : ''})` : '';
  const summary =
    error === null ? `verifies: ${all[0]!.message}` : `does not verify (${error.code}): ${all[0]!.message}${more}`;
  return { ok: error === null, cause, summary, error, ...report, findings: all };
}

/**
 * Why a configured key did not open the signature, in words.
 *
 * @example
 * ```ts
 * whyNotOpened(key, 256); // 'made with another private key'
 * ```
 */
export function whyNotOpened(key: KeyDiagnosis, signatureBytes: number): string {
  if (key.status === 'wrong-length')
    return `the signature is ${signatureBytes} bytes, a ${key.bits}-bit key signs ${((key.bits ?? 0) + 7) >> 3}`;
  if (key.status === 'out-of-range') return "the signature is larger than the key's modulus, so this key never made it";
  if (key.status === 'unknown-digest') return 'padded as a signature of this key but holding no known DigestInfo';
  return 'made with another private key';
}
