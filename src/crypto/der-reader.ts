/**
 * The few DER reads (ITU-T X.690 §8.1) that `X509Certificate` does not expose: a certificate's
 * signature algorithm, its basic constraints and its key usage.
 */
import type { X509Certificate } from 'node:crypto';

// OID 1.2.840.113549.1.1.x (PKCS#1 RSA signatures) as Java and Node's SDKs filter; X509Certificate
// exposes no signature algorithm, so read it from the DER: the AlgorithmIdentifier after the TBS.
const RSA_SIG_OID_PREFIX = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01]);

function readLength(der: Buffer, at: number): [length: number, next: number] {
  const first = der[at]!;
  if (first < 0x80) return [first, at + 1];
  const n = first & 0x7f;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + der[at + 1 + i]!;
  return [length, at + 1 + n];
}

export function isRsaSigned(cert: X509Certificate): boolean {
  const der = cert.raw;
  // Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE, … }
  const [, bodyStart] = readLength(der, 1);
  const [tbsLength, tbsStart] = readLength(der, bodyStart + 1);
  const algStart = tbsStart + tbsLength;
  const [, oidAt] = readLength(der, algStart + 1);
  return der.subarray(oidAt, oidAt + RSA_SIG_OID_PREFIX.length).equals(RSA_SIG_OID_PREFIX);
}

// ---- What a certificate may be used for (RFC 5280 §4.2.1.3 key usage, §4.2.1.9 basic constraints) ----

interface Tlv {
  readonly tag: number;
  /** Offset of the first value byte. */
  readonly start: number;
  /** Offset just past the value. */
  readonly end: number;
}

function readTlv(der: Buffer, at: number): Tlv {
  const [length, start] = readLength(der, at + 1);
  return { tag: der[at]!, start, end: start + length };
}

function childrenOf(der: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; at = out[out.length - 1]!.end) out.push(readTlv(der, at));
  return out;
}

const BASIC_CONSTRAINTS_OID = Buffer.from([0x55, 0x1d, 0x13]); // 2.5.29.19
const KEY_USAGE_OID = Buffer.from([0x55, 0x1d, 0x0f]); // 2.5.29.15

/** The certificate's `cA` flag and key usage bits (null when it has no key usage extension). */
export function certificateUsage(cert: X509Certificate): { ca: boolean; keyUsage: number | null } {
  const der = cert.raw;
  const tbs = childrenOf(der, readTlv(der, 0))[0]!;
  // Extensions are the [3] EXPLICIT field of the TBSCertificate: SEQUENCE OF { extnID, critical?, extnValue }.
  const extensions = childrenOf(der, tbs).find((t) => t.tag === 0xa3);
  let ca = false;
  let keyUsage: number | null = null;
  for (const ext of extensions === undefined ? [] : childrenOf(der, childrenOf(der, extensions)[0]!)) {
    const parts = childrenOf(der, ext);
    const id = der.subarray(parts[0]!.start, parts[0]!.end);
    const inner = readTlv(der, parts[parts.length - 1]!.start); // the extnValue OCTET STRING's content
    if (id.equals(BASIC_CONSTRAINTS_OID)) {
      // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }
      const first = childrenOf(der, inner)[0];
      ca = first !== undefined && first.tag === 0x01 && der[first.start] !== 0x00;
    } else if (id.equals(KEY_USAGE_OID)) {
      // KeyUsage ::= BIT STRING: bit 0 (digitalSignature) is the first byte's 0x80, and so on.
      const byte = (i: number): number => (inner.start + i < inner.end ? der[inner.start + i]! : 0);
      keyUsage = (byte(1) << 8) | byte(2);
    }
  }
  return { ca, keyUsage };
}
