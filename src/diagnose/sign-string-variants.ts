import iconv from 'iconv-lite';
import type { ParsedNotifyBody } from '../body/parse-notify-body.js';
import { formDecode } from '../body/percent-decode.js';
import { buildSignContent, hasEmptyValues, type SignContentRule } from '../canonical/build-sign-content.js';
import { candidateRules } from '../verifier/check-signature.js';
import type { VariantChange, VariantDiagnosis } from './notify-diagnosis.js';

/** One candidate of the signed string, with its bytes (the report keeps only their SHA-256). */
export interface SignStringVariant extends Omit<VariantDiagnosis, 'sha256' | 'matches'> {
  readonly bytes: Buffer;
}

/**
 * Parameters that frameworks and libraries add to the request and Alipay never signed
 * (VECTORS.md "Canonicalization details" 5: yansongda's `_config`; ThinkPHP's `s` path variable;
 * CSRF and method-override fields).
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

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&quot;': '"', '&amp;': '&', '&lt;': '<', '&gt;': '>', '&#39;': "'", '&#039;': "'" };

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

function otherCharset(parsed: ParsedNotifyBody): { bytes: Bytes | null; target: string } {
  const target = parsed.charset === 'utf-8' ? 'GBK' : 'UTF-8';
  const bytes = mapValues(parsed, (_value, name) => {
    const text = parsed.fields[name]!;
    return target === 'GBK' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
  });
  return { bytes, target };
}

function transforms(parsed: ParsedNotifyBody, queryNames: ReadonlySet<string>): Transform[] {
  const all: Transform[] = [{ change: 'none', label: 'none', description: 'the fields as received', removed: [], names: parsed.names, bytes: parsed.bytes }];
  const add = (change: VariantChange, description: string, bytes: Bytes | null): void => {
    if (bytes !== null) all.push({ change, label: change, description, removed: [], names: parsed.names, bytes });
  };
  const charset = otherCharset(parsed);
  add('other-charset', `the values' bytes in ${charset.target} instead of the declared ${parsed.charset} (PROTOCOL §1.2, §2.6)`, charset.bytes);
  add(
    'decoded-twice',
    'the values percent-decoded a second time: the body reached you form-encoded twice (PROTOCOL §2.5)',
    mapValues(parsed, (v, name) => {
      try {
        return formDecode(v, 0, v.length, name);
      } catch {
        return v;
      }
    }),
  );
  add(
    'trimmed',
    'the values with surrounding whitespace trimmed: spaces were added to the values on the way',
    mapValues(parsed, (v) => Buffer.from(Buffer.from(v).toString('latin1').replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ''), 'latin1')),
  );
  // One field at a time: a decoded body mixes real spaces (in times) with literal '+' (in a subject).
  for (const name of parsed.names) {
    const bytes = mapValues(parsed, (v, n) => (n === name ? Buffer.from(Buffer.from(v).toString('latin1').replaceAll(' ', '+'), 'latin1') : v));
    if (bytes !== null) {
      all.push({
        change: 'plus-kept',
        label: `plus-kept:${name}`,
        description: `the spaces of ${name} read back as '+': the body was decoded before it reached the parser, so its '+' became a space (PROTOCOL §2.5)`,
        removed: [],
        names: parsed.names,
        bytes,
      });
    }
  }
  add(
    'html-unescaped',
    'HTML entities (&quot; …) turned back into characters: a framework input filter escaped the values (PROTOCOL §2.5)',
    mapValues(parsed, (v) => Buffer.from(Buffer.from(v).toString('latin1').replace(/&(quot|amp|lt|gt|#0?39);/g, (m) => HTML_ENTITIES[m]!), 'latin1')),
  );
  const remove = (change: VariantChange, label: string, description: string, removed: readonly string[]): void => {
    if (removed.length === 0) return;
    all.push({ change, label, description, removed, names: parsed.names.filter((n) => !removed.includes(n)), bytes: parsed.bytes });
  };
  const framework = FRAMEWORK_PARAMS.filter((n) => parsed.bytes[n] !== undefined);
  remove('framework-params-removed', 'framework-params-removed', `without ${framework.join(', ')}: parameters a framework or library added`, framework);
  const query = parsed.names.filter((n) => queryNames.has(n) && n !== 'sign' && n !== 'sign_type');
  remove('query-params-removed', 'query-params-removed', `without ${query.join(', ')}: the notify_url query string merged into the body`, query);
  for (const name of parsed.names) {
    if (name === 'sign' || name === 'sign_type') continue;
    remove('field-removed', `field-removed:${name}`, `without ${name}: Alipay did not send it (added by a framework or the notify_url query string)`, [name]);
  }
  return all;
}

function sameRule(a: SignContentRule, b: SignContentRule): boolean {
  const ea = a.exclude ?? [];
  const eb = b.exclude ?? [];
  return !!a.keepSignType === !!b.keepSignType && !!a.keepEmpty === !!b.keepEmpty && ea.length === eb.length && ea.every((n) => eb.includes(n));
}

/**
 * Every candidate of the signed string worth checking against a recovered digest: the rules of
 * PROTOCOL §2.2–2.3 (sign_type kept or dropped, empty values kept or skipped, `alipay_cert_sn` out
 * or in) crossed with the ways a body gets changed on its way to the verifier (PEERS.md pain points
 * 1, 3, 6, 8). Hashing is cheap once the digest is recovered, so all are tried; duplicates are dropped.
 *
 * @example
 * ```ts
 * const first = signStringVariants(parseNotifyBody(rawBody))[0]; // the spec rule, as received
 * ```
 */
export function signStringVariants(parsed: ParsedNotifyBody, queryNames: ReadonlySet<string> = new Set(), certMode = false): SignStringVariant[] {
  const verifierRules = candidateRules(parsed, certMode);
  const rules: SignContentRule[] = [];
  const certSn = parsed.bytes['alipay_cert_sn'] !== undefined;
  for (const keepSignType of parsed.bytes['sign_type'] === undefined ? [false] : [false, true]) {
    for (const keepEmpty of hasEmptyValues(parsed) ? [false, true] : [false]) {
      if (certSn) rules.push({ keepSignType, keepEmpty, exclude: ['alipay_cert_sn'] });
      rules.push({ keepSignType, keepEmpty });
    }
  }
  const seen = new Set<string>();
  const out: SignStringVariant[] = [];
  for (const t of transforms(parsed, queryNames)) {
    const view: ParsedNotifyBody = { ...parsed, names: t.names, bytes: t.bytes };
    for (const rule of rules) {
      const bytes = buildSignContent(view, rule);
      const key = bytes.toString('latin1');
      if (seen.has(key)) continue;
      seen.add(key);
      const removed = [...(rule.exclude ?? []), ...t.removed];
      const ruleText = [rule.keepSignType ? 'sign_type kept' : '', rule.keepEmpty ? 'empty values kept' : '', rule.exclude ? 'alipay_cert_sn left out' : '']
        .filter((s) => s !== '')
        .join(', ');
      const suffix = `${rule.keepSignType ? '+sign_type' : ''}${rule.keepEmpty ? '+empty' : ''}${rule.exclude ? '-alipay_cert_sn' : ''}`;
      out.push({
        id: `${t.label}${suffix}`,
        change: t.change,
        keepSignType: !!rule.keepSignType,
        keepEmpty: !!rule.keepEmpty,
        removed,
        description: ruleText === '' ? t.description : `${t.description}; ${ruleText}`,
        bytes,
        triedByVerifier: t.change === 'none' && verifierRules.some((r) => sameRule(r, rule)),
      });
    }
  }
  return out;
}
