import { digestOf } from '../crypto/sign.js';

/**
 * Most candidate signed strings one diagnosis builds and checks. A real notification has 10–30
 * fields and gives well under 100 candidates; a forged 200-field body would give thousands.
 */
export const MAX_DIAGNOSIS_VARIANTS = 200;

/**
 * Most bytes of candidate signed strings one diagnosis hashes (4 MiB): every candidate of a real
 * notification (1–3 KB) fits many times over, and 64 strings of a 64 KiB body still do.
 */
export const MAX_DIAGNOSIS_BYTES = 4 * 1024 * 1024;

/**
 * Counts the work of one diagnosis and says when it must stop, so that a hostile body costs a
 * bounded amount of CPU and memory. The RSA opening is counted too: it happens once per configured
 * key, never per candidate string.
 */
export class DiagnosisBudget {
  /** Candidate strings built (duplicates included). */
  stringsBuilt = 0;
  /** Bytes of candidate strings put through a hash. */
  bytesHashed = 0;
  /** Raw RSA public-key operations. */
  rsaOpens = 0;

  /**
   * How many times each candidate string is hashed: once for its SHA-256, once more when the
   * signature's own hash is another one (or for MD5's content+key). Set once the signature is opened.
   */
  hashesPerString = 1;

  constructor(
    readonly maxStrings = MAX_DIAGNOSIS_VARIANTS,
    readonly maxBytes = MAX_DIAGNOSIS_BYTES,
  ) {}

  /** Bytes the strings taken so far will be hashed for, all hashes included. */
  private planned = 0;

  /**
   * Why one more string of `length` bytes cannot be checked, or null when it can. The first string
   * always can: it is the documented one, which the verifier hashes anyway (and a `maxBodyBytes`
   * above the byte limit must not leave the report without a canonical string).
   */
  refusal(length: number): 'variants' | 'bytes' | null {
    if (this.stringsBuilt === 0) return null;
    if (this.stringsBuilt >= this.maxStrings) return 'variants';
    return this.planned + length * this.hashesPerString > this.maxBytes ? 'bytes' : null;
  }

  /** Takes one more string of `length` bytes when it fits (see {@link DiagnosisBudget.refusal}). */
  take(length: number): 'variants' | 'bytes' | null {
    const refused = this.refusal(length);
    if (refused === null) {
      this.stringsBuilt++;
      this.planned += length * this.hashesPerString;
    }
    return refused;
  }

  /** The digest of a candidate string, counted. */
  digest(hash: string, bytes: Uint8Array): Buffer {
    this.bytesHashed += bytes.length;
    return digestOf(hash, bytes);
  }

  /** Counts bytes hashed elsewhere (MD5's content+key check). */
  hashed(length: number): void {
    this.bytesHashed += length;
  }
}
