import iconv from 'iconv-lite';
import type { ParsedNotifyBody } from '../body/parse-notify-body.js';
import { formDecode } from '../body/percent-decode.js';
import { clipNames, clipText } from './clip-text.js';
import type { VariantChange } from './notify-diagnosis.js';

// The ways a body gets changed on its way to a verifier, each as a transform of the parsed body:
// the diagnosis (sign-string-variants.ts) crosses them with the signing rules.

/**
 * Parameters that frameworks and libraries add to the request and Alipay never signed
 * (yansongda/pay's `_config`; ThinkPHP's `s` path variable; CSRF and method-override fields).
 */
export const FRAMEWORK_PARAMS: readonly string[] = ['_config', '_url', '_method', '_token', '_csrf', '_', 's'];

/** Field name to the value's bytes, as a transform leaves them. */
export type Bytes = Record<string, Uint8Array>;

/** One changed body: its label and description for the report, its fields and their bytes. */
export interface Transform {
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
export interface LazyTransform {
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

/**
 * The transforms that touch the whole body at once, most likely first.
 *
 * @example
 * ```ts
 * const first = wholeBodyTransforms(parseNotifyBody(rawBody), new Set())[0]!.make();
 * ```
 */
export function wholeBodyTransforms(parsed: ParsedNotifyBody, queryNames: ReadonlySet<string>): LazyTransform[] {
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
/**
 * The transforms of one field at a time: a '+' read back in its spaces, or the field left out.
 *
 * @example
 * ```ts
 * const labels = perFieldTransforms(parsed).map((t) => t.make()?.label);
 * ```
 */
export function perFieldTransforms(parsed: ParsedNotifyBody): LazyTransform[] {
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
