/**
 * Lookup tables for the one-pass body scanner: one array read per byte instead of a chain of
 * range comparisons or a RegExp per value. Read-only after module load.
 */

/** `NAME_CHAR[c]`: 1 if a field name may start with byte `c` (`[A-Za-z0-9_]`), 2 if it may only continue with it (`.` `-`), 0 otherwise. */
export const NAME_CHAR: Readonly<Uint8Array> = (() => {
  const t = new Uint8Array(256);
  for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_') t[c.charCodeAt(0)] = 1;
  t[0x2e] = 2;
  t[0x2d] = 2;
  return t;
})();

/** A value byte that is `%`. */
export const HAS_ESCAPE = 1;
/** A value byte that is `+`. */
export const HAS_PLUS = 2;
/** A value byte above 0x7f. */
export const HAS_HIGH = 4;

/** `VALUE_CHAR[c]`: which of the flags above byte `c` raises; 0 for a byte that is its own character. */
export const VALUE_CHAR: Readonly<Uint8Array> = (() => {
  const t = new Uint8Array(256);
  t[0x25] = HAS_ESCAPE;
  t[0x2b] = HAS_PLUS;
  for (let c = 0x80; c < 0x100; c++) t[c] = HAS_HIGH;
  return t;
})();

/** `HEX_DIGIT[c]`: the value of hex digit `c` (either case), or -1. */
export const HEX_DIGIT: Readonly<Int8Array> = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let d = 0; d < 10; d++) t[0x30 + d] = d;
  for (let d = 0; d < 6; d++) {
    t[0x41 + d] = 10 + d;
    t[0x61 + d] = 10 + d;
  }
  return t;
})();
