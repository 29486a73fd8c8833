import { AlipayGatewayError, NotifySignatureError } from '../errors/index.js';

/** A gateway answer, taken apart without re-serialising anything. */
export interface GatewayResponse {
  /** The exact received bytes of the `…_response` value: what Alipay signed. */
  readonly signedBytes: Buffer;
  /** That value, parsed from exactly those bytes. */
  readonly body: Readonly<Record<string, unknown>>;
  /** True when the value came under `error_response` rather than the method's own key. */
  readonly isErrorResponse: boolean;
  /** The top-level `sign`, when present. */
  readonly sign: string | undefined;
  /** The top-level `alipay_cert_sn` (certificate mode), when present. */
  readonly certSn: string | undefined;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

class Scanner {
  at = 0;
  constructor(readonly b: Buffer) {}
  ws(): void {
    while (this.at < this.b.length && WS.has(this.b[this.at]!)) this.at++;
  }
  expect(c: string): void {
    if (this.b[this.at] !== c.charCodeAt(0)) throw new SyntaxError(`expected ${c}`);
    this.at++;
  }
  // A string from its opening quote; returns the index after the closing one.
  string(): void {
    this.expect('"');
    for (;;) {
      const c = this.b[this.at++];
      if (c === undefined) throw new SyntaxError('unterminated string');
      if (c === 0x5c) this.at++;
      else if (c === 0x22) return;
    }
  }
  value(): void {
    const c = this.b[this.at];
    if (c === 0x22) return this.string();
    if (c === 0x7b || c === 0x5b) {
      let depth = 0;
      do {
        const d = this.b[this.at];
        if (d === undefined) throw new SyntaxError('unterminated value');
        if (d === 0x22) {
          this.string();
          continue;
        }
        if (d === 0x7b || d === 0x5b) depth++;
        else if (d === 0x7d || d === 0x5d) depth--;
        this.at++;
      } while (depth > 0);
      return;
    }
    while (this.at < this.b.length && !WS.has(this.b[this.at]!) && this.b[this.at] !== 0x2c && this.b[this.at] !== 0x7d)
      this.at++;
  }
}

// name → exact byte span of each top-level member's value. The whole text is also JSON.parse'd, so
// that this scanner only ever has to cut valid JSON (structural characters are ASCII in UTF-8).
function topLevelMembers(b: Buffer): Map<string, [number, number][]> {
  JSON.parse(b.toString('utf8'));
  const s = new Scanner(b);
  const members = new Map<string, [number, number][]>();
  s.ws();
  s.expect('{');
  s.ws();
  if (b[s.at] === 0x7d) return members;
  for (;;) {
    s.ws();
    const nameStart = s.at;
    s.string();
    const name = JSON.parse(b.subarray(nameStart, s.at).toString('utf8')) as string;
    s.ws();
    s.expect(':');
    s.ws();
    const start = s.at;
    s.value();
    members.set(name, [...(members.get(name) ?? []), [start, s.at]]);
    s.ws();
    if (b[s.at] === 0x2c) s.at++;
    else return members;
  }
}

/**
 * Takes a gateway answer apart: finds the `<method>_response` (or `error_response`) value's exact
 * span in the received bytes, which is what Alipay signs (alipay-sdk-java-all
 * `AlipaySignature.rsaCheck` over the `…_response` text; re-serialising the parsed JSON changes
 * whitespace, key order and escapes and breaks the signature). A member that appears twice is
 * refused: which copy was signed and which one a JSON parser keeps could differ.
 *
 * Throws `ERR_GATEWAY_ERROR` for a body that is not such JSON and `ERR_SIGNATURE_INVALID` for a
 * duplicated member.
 *
 * @example
 * ```ts
 * const r = readGatewayResponse(bytes, 'alipay.trade.query');
 * verifyRsaSignature('sha256', r.signedBytes, decodeSignature(r.sign!), keys);
 * ```
 */
export function readGatewayResponse(bytes: Buffer, method: string): GatewayResponse {
  const malformed = (cause?: unknown): AlipayGatewayError =>
    new AlipayGatewayError(
      'ERR_GATEWAY_ERROR',
      'gateway answer is not an OpenAPI JSON response',
      { method, httpStatus: 200 },
      { cause },
    );
  let members: Map<string, [number, number][]>;
  try {
    members = topLevelMembers(bytes);
  } catch (err) {
    throw malformed(err);
  }
  for (const spans of members.values()) {
    if (spans.length > 1)
      throw new NotifySignatureError('ERR_SIGNATURE_INVALID', 'gateway response has a duplicated member');
  }
  const own = `${method.replaceAll('.', '_')}_response`;
  const key = members.has(own) ? own : members.has('error_response') ? 'error_response' : undefined;
  if (key === undefined) throw malformed();
  const [start, end] = members.get(key)![0]!;
  const signedBytes = bytes.subarray(start, end);
  const body = JSON.parse(signedBytes.toString('utf8')) as unknown;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw malformed();
  const text = (name: string): string | undefined => {
    const span = members.get(name)?.[0];
    if (span === undefined) return undefined;
    const v = JSON.parse(bytes.subarray(span[0], span[1]).toString('utf8')) as unknown;
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  return {
    signedBytes,
    body: body as Record<string, unknown>,
    isErrorResponse: key !== own,
    sign: text('sign'),
    certSn: text('alipay_cert_sn'),
  };
}
