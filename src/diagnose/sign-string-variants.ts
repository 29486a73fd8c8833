import type { ParsedNotifyBody } from '../body/parse-notify-body.js';
import { buildSignContent, hasEmptyValues, type SignContentRule } from '../canonical/build-sign-content.js';
import { candidateRules } from '../verifier/check-signature.js';
import { DiagnosisBudget } from './diagnosis-budget.js';
import type { DiagnosisNotTried, VariantChange, VariantDiagnosis } from './notify-diagnosis.js';
import { perFieldTransforms, wholeBodyTransforms, type LazyTransform } from './sign-string-transforms.js';

/** One candidate of the signed string, with its bytes and their SHA-256 (the report keeps only the hash). */
export interface SignStringVariant extends Omit<VariantDiagnosis, 'sha256' | 'matches'> {
  readonly bytes: Buffer;
  readonly sha256: Buffer;
}

/** The candidates that were checked, and what was left out to stay within the budget. */
export interface SignStringVariants {
  readonly variants: SignStringVariant[];
  readonly notTried: DiagnosisNotTried | null;
}

function sameRule(a: SignContentRule, b: SignContentRule): boolean {
  const ea = a.exclude ?? [];
  const eb = b.exclude ?? [];
  return (
    !!a.keepSignType === !!b.keepSignType &&
    !!a.keepEmpty === !!b.keepEmpty &&
    ea.length === eb.length &&
    ea.every((n) => eb.includes(n))
  );
}

/** The rules of the signed string: the verifier's own first (the documented rule leads), then the rest. */
function allRules(parsed: ParsedNotifyBody, verifierRules: readonly SignContentRule[]): SignContentRule[] {
  const rules = [...verifierRules];
  const certSn = parsed.bytes['alipay_cert_sn'] !== undefined;
  for (const keepSignType of parsed.bytes['sign_type'] === undefined ? [false] : [false, true]) {
    for (const keepEmpty of hasEmptyValues(parsed) ? [false, true] : [false]) {
      for (const rule of certSn
        ? [
            { keepSignType, keepEmpty },
            { keepSignType, keepEmpty, exclude: ['alipay_cert_sn'] },
          ]
        : [{ keepSignType, keepEmpty }]) {
        if (!rules.some((r) => sameRule(r, rule))) rules.push(rule);
      }
    }
  }
  return rules;
}

function describeNotTried(
  count: number,
  byChange: Readonly<Partial<Record<VariantChange, number>>>,
  limit: 'variants' | 'bytes',
  budget: DiagnosisBudget,
): string {
  const size = budget.maxBytes % 1048576 === 0 ? `${budget.maxBytes / 1048576} MiB` : `${budget.maxBytes} bytes`;
  const why =
    limit === 'variants'
      ? `the limit of ${budget.maxStrings} candidate strings per diagnosis`
      : `the limit of ${size} hashed per diagnosis`;
  const kinds = Object.entries(byChange)
    .map(([change, n]) => `${n} ${change}`)
    .join(', ');
  return `candidate signed strings not tried: ${count} (${kinds}), because ${why} was reached; the likely ones were tried first (every body-wide change, then one field at a time under the documented rule)`;
}

/**
 * The candidates of the signed string worth checking against a recovered digest, most likely first:
 * the ways a body gets changed on its way to the verifier (a second charset, a second decoding,
 * trimming, HTML escaping, added parameters, a '+' read as a space, an extra field) crossed with the
 * signing rules (`sign_type` kept or dropped, empty values kept or skipped, `alipay_cert_sn` in or
 * out). Their number and size are bounded by `budget` (a forged body with 200 fields would give
 * thousands): whole-body changes come first under every rule, then single-field changes under the
 * documented rule, then single-field changes under the other rules. Duplicates are dropped.
 *
 * @example
 * ```ts
 * const { variants, notTried } = signStringVariants(parseNotifyBody(rawBody));
 * variants[0]!.id; // 'none': the documented rule, as received
 * ```
 */
export function signStringVariants(
  parsed: ParsedNotifyBody,
  queryNames: ReadonlySet<string> = new Set(),
  certMode = false,
  budget: DiagnosisBudget = new DiagnosisBudget(),
): SignStringVariants {
  const verifierRules = candidateRules(parsed, certMode);
  const rules = allRules(parsed, verifierRules);
  const perField = perFieldTransforms(parsed);
  const plan: (readonly [LazyTransform, readonly SignContentRule[]])[] = [
    ...wholeBodyTransforms(parsed, queryNames).map((t) => [t, rules] as const),
    ...perField.map((t) => [t, rules.slice(0, 1)] as const),
    ...perField.map((t) => [t, rules.slice(1)] as const),
  ];
  const seen = new Set<string>();
  const out: SignStringVariant[] = [];
  const skipped: Partial<Record<VariantChange, number>> = {};
  let skippedCount = 0;
  let stop: 'variants' | 'bytes' | null = null;
  const skip = (change: VariantChange, n: number): void => {
    skipped[change] = (skipped[change] ?? 0) + n;
    skippedCount += n;
  };

  for (const [lazy, tierRules] of plan) {
    if (tierRules.length === 0) continue;
    if (stop !== null && lazy.certain) {
      skip(lazy.change, tierRules.length);
      continue;
    }
    const t = lazy.make();
    if (t === null) continue;
    const view: ParsedNotifyBody = { ...parsed, names: t.names, bytes: t.bytes };
    for (const rule of tierRules) {
      stop ??= budget.refusal(0);
      if (stop !== null) {
        skip(t.change, 1);
        continue;
      }
      const bytes = buildSignContent(view, rule);
      stop = budget.take(bytes.length);
      if (stop !== null) {
        skip(t.change, 1);
        continue;
      }
      const sha256 = budget.digest('sha256', bytes);
      const key = sha256.toString('hex');
      if (seen.has(key)) continue;
      seen.add(key);
      const ruleText = [
        rule.keepSignType ? 'sign_type kept' : '',
        rule.keepEmpty ? 'empty values kept' : '',
        rule.exclude ? 'alipay_cert_sn left out' : '',
      ]
        .filter((s) => s !== '')
        .join(', ');
      const suffix = `${rule.keepSignType ? '+sign_type' : ''}${rule.keepEmpty ? '+empty' : ''}${rule.exclude ? '-alipay_cert_sn' : ''}`;
      out.push({
        id: `${t.label}${suffix}`,
        change: t.change,
        keepSignType: !!rule.keepSignType,
        keepEmpty: !!rule.keepEmpty,
        removed: [...(rule.exclude ?? []), ...t.removed],
        description: ruleText === '' ? t.description : `${t.description}; ${ruleText}`,
        bytes,
        sha256,
        triedByVerifier: t.change === 'none' && verifierRules.some((r) => sameRule(r, rule)),
      });
    }
  }
  const notTried =
    stop === null
      ? null
      : {
          limit: stop,
          variants: skippedCount,
          byChange: skipped,
          note: describeNotTried(skippedCount, skipped, stop, budget),
        };
  return { variants: out, notTried };
}
