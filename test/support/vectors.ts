// The real Alipay vectors (test/fixtures/verified.json, unverified.json: a verbatim copy of the
// project's shared vectors; test/vectors/vectors-copy.test.ts checks the copy is unchanged).
import { readFileSync } from 'node:fs';

export interface Vector {
  id: string;
  kind: string;
  charset: string;
  sign_type: 'RSA2' | 'RSA' | 'MD5' | null;
  params?: Record<string, string>;
  raw_body?: string;
  params_note?: string;
  public_key?: string;
  cert?: string;
  md5_key?: string;
  verifies: boolean;
  variant: string;
  signed_string_sha256?: string;
  notes: string;
}

export const fixturesDir = new URL('../fixtures/', import.meta.url);
export const verified: Vector[] = JSON.parse(readFileSync(new URL('verified.json', fixturesDir), 'utf8'));
export const unverified: Vector[] = JSON.parse(readFileSync(new URL('unverified.json', fixturesDir), 'utf8'));

/** Whether the raw body was wire-encoded (the `wangcai` one was pasted already decoded). */
export function hasWireBody(v: Vector): v is Vector & { raw_body: string } {
  return typeof v.raw_body === 'string' && !/split on & and =/.test(v.params_note ?? '');
}
