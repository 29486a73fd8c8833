/** Chain building from Alipay's signing certificate up to its root certificates, signatures checked. */
import type { X509Certificate } from 'node:crypto';

/**
 * The path from `cert` up to one of `roots` (both ends included), following `chain`, with every
 * signature checked; `null` when it does not lead to a root. Validity dates are not looked at here:
 * they are checked per notification against the verifier's clock.
 *
 * @example
 * ```ts
 * const path = certificatePath(imported.cert, imported.chain, roots);
 * ```
 */
export function certificatePath(
  cert: X509Certificate,
  chain: readonly X509Certificate[],
  roots: readonly X509Certificate[],
): X509Certificate[] | null {
  const path = [cert];
  let current = cert;
  for (let depth = 0; depth < 8; depth++) {
    if (roots.some((r) => r.fingerprint256 === current.fingerprint256)) return path;
    const issuer = [...chain, ...roots].find((c) => c !== current && current.checkIssued(c) && safeVerify(current, c));
    if (issuer === undefined) return null;
    path.push(issuer);
    if (roots.includes(issuer)) return path;
    current = issuer;
  }
  return null;
}

/** Whether every certificate of `path` is valid at `now`. */
export function isValidAt(path: readonly X509Certificate[], now: Date): boolean {
  const t = now.getTime();
  return path.every((c) => t >= Date.parse(c.validFrom) && t <= Date.parse(c.validTo));
}

function safeVerify(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}
