/**
 * The fuzzer's own reading of a form body, written independently of src/body so that a parser bug
 * cannot hide an accepted mutation. It decides which mutations leave a notification "the same".
 *
 * Definition. A mutated body M of a signed body B is:
 * - `identical` when both decode (split on `&`, skip empty segments, split at the first `=`,
 *   `+` → 0x20, `%XX` → one byte with either hex case) to the same set of name → bytes pairs,
 *   each name once. That covers `%2a` ↔ `%2A`, `%20` ↔ `+`, `a` ↔ `%61`, `&&` and a trailing `&`,
 *   and any reordering of fields. An identical body MUST verify, to the same notification.
 * - `unsigned` when they differ only in fields that Alipay does not sign: fields with an empty
 *   value (skipped by the documented signed string, https://opendocs.alipay.com/open/270/105902,, and read as absent by the typed object)
 *   and `sign_type` (the algorithm is pinned by configuration, never read from the body). `alipay_cert_sn` is
 *   signed outside certificate mode (the fuzzer found it exempt once; it is no longer). Such a
 *   body MAY verify; when it does, the notification must equal B's in kind, notify_id and every
 *   other non-empty field. The run counts these acceptances separately (`unsigned ok`).
 * - `changed` otherwise. A changed body must NEVER verify: that is an accepted mutation.
 */

/** One decoded field: name and value as latin1 strings of the decoded bytes. */
export type DecodedField = readonly [name: string, value: string];

function hex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

function decode(raw: Uint8Array, start: number, end: number): string | null {
  let out = '';
  for (let i = start; i < end; i++) {
    const c = raw[i]!;
    if (c === 0x2b) out += ' ';
    else if (c === 0x25) {
      if (i + 2 >= end) return null;
      const hi = hex(raw[i + 1]!);
      const lo = hex(raw[i + 2]!);
      if (hi < 0 || lo < 0) return null;
      out += String.fromCharCode(hi * 16 + lo);
      i += 2;
    } else out += String.fromCharCode(c);
  }
  return out;
}

/**
 * Decodes a form body into its fields, or null when it is not a well-formed form body (a bad
 * escape). Repeated names are kept, so a duplicate is visible to {@link classify}.
 *
 * @example
 * ```ts
 * referenceDecode(Buffer.from('b=%2a&a=x+y')); // [['a', 'x y'], ['b', '*']]
 * ```
 */
export function referenceDecode(raw: Uint8Array): DecodedField[] | null {
  const fields: DecodedField[] = [];
  let start = 0;
  while (start <= raw.length) {
    let end = raw.indexOf(0x26, start);
    if (end === -1) end = raw.length;
    if (end > start) {
      let eq = raw.indexOf(0x3d, start);
      if (eq === -1 || eq > end) eq = end;
      const name = decode(raw, start, eq);
      const value = decode(raw, Math.min(eq + 1, end), end);
      if (name === null || value === null) return null;
      fields.push([name, value]);
    }
    start = end + 1;
  }
  return fields.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
}

/** Fields that select a key or algorithm rather than carry content, and may be unsigned. */
export const UNSIGNED_NAMES: ReadonlySet<string> = new Set(['sign_type']);

/** How a mutated body relates to the signed body it came from. */
export type Equivalence = 'identical' | 'unsigned' | 'changed';

function same(a: readonly DecodedField[], b: readonly DecodedField[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i]![0] !== b[i]![0] || a[i]![1] !== b[i]![1]) return false;
  return true;
}

function hasDuplicate(fields: readonly DecodedField[]): boolean {
  for (let i = 1; i < fields.length; i++) if (fields[i]![0] === fields[i - 1]![0]) return true;
  return false;
}

/**
 * Classifies a mutation of a signed body (see the module comment for the definition).
 *
 * @example
 * ```ts
 * classify(referenceDecode(original)!, Buffer.from(mutatedBytes)); // 'identical' | 'unsigned' | 'changed'
 * ```
 */
export function classify(original: readonly DecodedField[], mutated: Uint8Array): Equivalence {
  const m = referenceDecode(mutated);
  if (m === null || hasDuplicate(m)) return 'changed';
  if (same(original, m)) return 'identical';
  const signed = (f: DecodedField): boolean => f[1] !== '' && !UNSIGNED_NAMES.has(f[0]);
  return same(original.filter(signed), m.filter(signed)) ? 'unsigned' : 'changed';
}
