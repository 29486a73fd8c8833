/**
 * How the fake gateway writes JSON. `compact` is what Alipay sends; `odd` is legal JSON that no
 * serialiser would reproduce — keys reversed, spaces and newlines, non-ASCII and `/` escaped — so
 * that a verifier re-serialising the parsed response cannot pass by luck.
 */
export type ResponseStyle = 'compact' | 'odd';

function oddString(s: string): string {
  return JSON.stringify(s)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

/** JSON text of `value` in `style`. */
export function jsonText(value: unknown, style: ResponseStyle): string {
  if (style === 'compact') return JSON.stringify(value);
  if (typeof value === 'string') return oddString(value);
  if (Array.isArray(value)) return `[ ${value.map((v) => jsonText(v, style)).join(' ,  ')} ]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).reverse();
    return `{\n    ${entries.map(([k, v]) => `${oddString(k)} :\t${jsonText(v, style)}`).join(' ,\r\n    ')}\n  }`;
  }
  return JSON.stringify(value);
}

/** The whole answer around an already-written `…_response` text, in `style`. */
export function envelopeText(
  key: string,
  inner: string,
  extra: readonly (readonly [string, string])[],
  style: ResponseStyle,
): string {
  const members: [string, string][] = [
    [JSON.stringify(key), inner],
    ...extra.map(([k, v]): [string, string] => [JSON.stringify(k), JSON.stringify(v)]),
  ];
  if (style === 'compact') return `{${members.map(([k, v]) => `${k}:${v}`).join(',')}}`;
  // `sign` first: a verifier that cuts the text at the last "sign" gets it wrong.
  return ` {\n  ${members
    .reverse()
    .map(([k, v]) => `${k} : ${v}`)
    .join(' ,\n  ')}\n}\n`;
}
