/**
 * Characters a terminal acts on instead of showing: C0 controls (ESC starts CSI/OSC sequences,
 * CR and BS overwrite what was printed, LF forges a new line), DEL, the C1 controls U+0080–U+009F
 * (U+009B is a one-character CSI on terminals that honour C1), and the bidi embeddings, overrides
 * and isolates U+202A–U+202E, U+2066–U+2069 that reorder what follows (CVE-2021-42574,
 * https://trojansource.codes/).
 */
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/** The same minus C0, which `JSON.stringify` already escapes. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const hex = (c: string, width: number): string => c.charCodeAt(0).toString(16).padStart(width, '0');

/**
 * Makes text that came from a notification, an endpoint or an error safe to print on one line:
 * every character a terminal would act on is shown as `\xNN` or `\uNNNN` instead. Newlines are
 * escaped too; the CLI writes its own line breaks between the lines it escaped.
 *
 * @example
 * ```ts
 * escapeForTerminal('out_trade_no\x1b]0;pwned\x07'); // 'out_trade_no\\x1b]0;pwned\\x07'
 * ```
 */
export function escapeForTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => (c.charCodeAt(0) <= 0xff ? `\\x${hex(c, 2)}` : `\\u${hex(c, 4)}`));
}

/**
 * `JSON.stringify(value, null, 2)`, with DEL, C1 and bidi controls written as `\uNNNN` escapes
 * too (`JSON.stringify` escapes only U+0000–U+001F). The result parses back to the same value.
 *
 * @example
 * ```ts
 * console.log(jsonForTerminal({ reply: '\u009b31m' })); // {"reply": "\\u009b31m"}
 * ```
 */
export function jsonForTerminal(value: unknown): string {
  // Outside strings JSON is ASCII, so these characters can only be inside strings, where
  // a \u escape means the same character (RFC 8259 §7).
  return JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, (c) => `\\u${hex(c, 4)}`);
}

/**
 * Writes lines to a stream, each one escaped with {@link escapeForTerminal}: the one way the CLI
 * prints text that holds anything it did not write itself.
 *
 * @example
 * ```ts
 * printLines(describeNotification(n));
 * printLines([`alipay-notify send: ${err.message}`], process.stderr);
 * ```
 */
export function printLines(lines: readonly string[], stream: NodeJS.WritableStream = process.stdout): void {
  stream.write(lines.map((line) => `${escapeForTerminal(line)}\n`).join(''));
}
