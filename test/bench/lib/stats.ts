/** Medians and spreads of per-round figures. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  /** 25th and 75th percentiles (linear interpolation). */
  q1: number;
  q3: number;
  n: number;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function median(xs: readonly number[]): number {
  return quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
}

export function spread(xs: readonly number[]): Spread {
  const s = [...xs].filter(Number.isFinite).sort((a, b) => a - b);
  return {
    median: quantile(s, 0.5),
    min: s[0] ?? Number.NaN,
    max: s[s.length - 1] ?? Number.NaN,
    q1: quantile(s, 0.25),
    q3: quantile(s, 0.75),
    n: s.length,
  };
}

/** The ratio of two cases measured in the same rounds: one ratio per round, then its spread. */
export function ratioSpread(a: readonly number[], b: readonly number[]): Spread {
  const n = Math.min(a.length, b.length);
  const rs: number[] = [];
  for (let i = 0; i < n; i++) rs.push(a[i]! / b[i]!);
  return spread(rs);
}
