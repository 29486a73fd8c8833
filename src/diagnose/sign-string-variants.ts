import iconv from 'iconv-lite';
import type { ParsedNotifyBody } from '../body/parse-notify-body.js';
import { formDecode } from '../body/percent-decode.js';
import { buildSignContent, hasEmptyValues, type SignContentRule } from '../canonical/build-sign-content.js';
import { candidateRules } from '../verifier/check-signature.js';
import { clipNames, clipText } from './clip-text.js';
import { DiagnosisBudget } from './diagnosis-budget.js';
import type { DiagnosisNotTried, VariantChange, VariantDiagnosis } from './notify-diagnosis.js';

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

/**
 * Parameters that frameworks and libraries add to the request and Alipay never signed
 * (yansongda/pay's `_config`; ThinkPHP's `s` path variable; CSRF and method-override fields).
 */
export const FRAMEWORK_PARAMS: readonly string[] = ['_config', '_url', '_method', '_token', '_csrf', '_', 's'];

type Bytes = Record<string, Uint8Array>;

interface Transform {
  readonly change: VariantChange;
  readonly label: string;
  readonly description: string;
  readonly removed: readonly string[];
  readonly names: readonly string[];
  readonly bytes: Readonly<Bytes>;
}

/**
 * A transform made only when it is reached: most of those of a hostile body never are. `certain`
 * says it is known to change the string without making it (so that skipped ones can be counted).
 */
interface LazyTransform {
  readonly change: VariantChange;
  readonly certain: boolean;
  make(): Transform | null;
}

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&quot;': '"',
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&#39;': "'",
  '&#039;': "'",
};

function mapValues(parsed: ParsedNotifyBody, f: (value: Uint8Array, name: string) => Uint8Array): Bytes | null {
  const out = Object.create(null) as Bytes;
  let changed = false;
  for (const name of parsed.names) {
    const before = parsed.bytes[name]!;
    const after = name === 'sign' ? before : f(before, name);
    if (!Buffer.from(after).equals(Buffer.from(before))) changed = true;
    out[name] = after;
  }
  return changed ? out : null;
}

function latin1Map(replace: (text: string) => string): (v: Uint8Array) => Uint8Array {
  return (v) => Buffer.from(replace(Buffer.from(v).toString('latin1')), 'latin1');
}

/** The transforms that touch the whole body at once, most likely first. */
function wholeBodyTransforms(parsed: ParsedNotifyBody, queryNames: ReadonlySet<string>): LazyTransform[] {
  const all: LazyTransform[] = [];
  const whole = (change: VariantChange, describe: () => string, values: () => Bytes | null): void => {
    all.push({
      change,
      certain: false,
      make: () => {
        const bytes = values();
        return bytes === null
          ? null
          : { change, label: change, description: describe(), removed: [], names: parsed.names, bytes };
      },
    });
  };
  const without = (change: VariantChange, removed: readonly string[], why: string): void => {
    if (removed.length === 0) return;
    const shown = clipNames(removed);
    const transform: Transform = {
      change,
      label: change,
      description: `without ${shown.join(', ')}: ${why}`,
      removed: shown,
      names: parsed.names.filter((n) => !removed.includes(n)),
      bytes: parsed.bytes,
    };
    all.push({ change, certain: true, make: () => transform });
  };

  all.push({
    change: 'none',
    certain: true,
    make: () => ({
      change: 'none',
      label: 'none',
      description: 'the fields as received',
      removed: [],
      names: parsed.names,
      bytes: parsed.bytes,
    }),
  });
  without(
    'framework-params-removed',
    FRAMEWORK_PARAMS.filter((n) => parsed.bytes[n] !== undefined),
    'parameters a framework or library added',
  );
  without(
    'query-params-removed',
    parsed.names.filter((n) => queryNames.has(n) && n !== 'sign' && n !== 'sign_type'),
    'the notify_url query string merged into the body',
  );
  const target = parsed.charset === 'utf-8' ? 'GBK' : 'UTF-8';
  whole(
    'other-charset',
    () =>
      `the values' bytes in ${target} instead of the declared ${parsed.charset} (a signer that ignored the charset field)`,
    () =>
      mapValues(parsed, (_value, name) => {
        const text = parsed.fields[name]!;
        return target === 'GBK' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
      }),
  );
  whole(
    'decoded-twice',
    () => 'the values percent-decoded a second time: the body reached you form-encoded twice',
    () =>
      mapValues(parsed, (v, name) => {
        try {
          return formDecode(v, 0, v.length, name);
        } catch {
          return v;
        }
      }),
  );
  whole(
    'trimmed',
    () => 'the values with surrounding whitespace trimmed: spaces were added to the values on the way',
    () =>
      mapValues(
        parsed,
        latin1Map((t) => t.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')),
      ),
  );
  whole(
    'html-unescaped',
    () => 'HTML entities (&quot; …) turned back into characters: a framework input filter escaped the values',
    () =>
      mapValues(
        parsed,
        latin1Map((t) => t.replace(/&(quot|amp|lt|gt|#0?39);/g, (m) => HTML_ENTITIES[m]!)),
      ),
  );
  return all;
}

/** The transforms that change one field at a time: up to two per field, so tried last. */
function perFieldTransforms(parsed: ParsedNotifyBody): LazyTransform[] {
  const all: LazyTransform[] = [];
  // One field at a time: a decoded body mixes real spaces (in times) with literal '+' (in a subject).
  for (const name of parsed.names) {
    if (name === 'sign' || !parsed.bytes[name]!.includes(0x20)) continue;
    all.push({
      change: 'plus-kept',
      certain: true,
      make: () => {
        const bytes = Object.assign(Object.create(null) as Bytes, parsed.bytes);
        bytes[name] = latin1Map((t) => t.replaceAll(' ', '+'))(parsed.bytes[name]!);
        const shown = clipText(name);
        const description = `the spaces of ${shown} read back as '+': the body was decoded before it reached the parser, so its '+' became a space`;
        return {
          change: 'plus-kept',
          label: `plus-kept:${shown}`,
          description,
          removed: [],
          names: parsed.names,
          bytes,
        };
      },
    });
  }
  for (const name of parsed.names) {
    if (name === 'sign' || name === 'sign_type') continue;
    all.push({
      change: 'field-removed',
      certain: true,
      make: () => {
        const shown = clipText(name);
        const description = `without ${shown}: Alipay did not send it (added by a framework or the notify_url query string)`;
        return {
          change: 'field-removed',
          label: `field-removed:${shown}`,
          description,
          removed: [shown],
          names: parsed.names.filter((n) => n !== name),
          bytes: parsed.bytes,
        };
      },
    });
  }
  return all;
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
