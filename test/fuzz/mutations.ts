import iconv from 'iconv-lite';
import type { SignedBody } from './signed-pool.js';

/**
 * One edit of a signed body. Positions are plain numbers taken modulo what exists when the edit
 * is applied, so that any generated number is a valid edit.
 */
export type Mutation =
  | { readonly op: 'flip'; readonly at: number; readonly xor: number }
  | { readonly op: 'insert'; readonly at: number; readonly byte: number }
  | { readonly op: 'delete'; readonly at: number }
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'reorder'; readonly keys: readonly number[] }
  | { readonly op: 'hexCase'; readonly at: number }
  | { readonly op: 'plusSpace'; readonly at: number }
  | { readonly op: 'encodeChar'; readonly at: number; readonly upper: boolean }
  | { readonly op: 'emptySegment'; readonly at: number }
  | { readonly op: 'removeField'; readonly at: number }
  | { readonly op: 'duplicateField'; readonly at: number; readonly alter: boolean }
  | { readonly op: 'addField'; readonly name: Uint8Array; readonly value: Uint8Array }
  | { readonly op: 'replaceValue'; readonly at: number; readonly value: Uint8Array }
  | { readonly op: 'charset'; readonly label: string }
  | { readonly op: 'transcode' }
  | { readonly op: 'swapSign'; readonly from: number }
  | { readonly op: 'fold'; readonly at: number; readonly count: number };

const AMP = 0x26;
// Java URLEncoder's unreserved bytes, as a table: the byte loops below run over 70 KB bodies.
const SAFE = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.*_-') SAFE[c.charCodeAt(0)] = 1;
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;
const EQ = 0x3d;

function segments(body: Uint8Array): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  while (start <= buf.length) {
    let end = buf.indexOf(AMP, start);
    if (end === -1) end = buf.length;
    out.push(buf.subarray(start, end));
    start = end + 1;
  }
  return out;
}

function join(parts: readonly Uint8Array[]): Buffer {
  const out: Uint8Array[] = [];
  parts.forEach((p, i) => {
    if (i > 0) out.push(Buffer.of(AMP));
    out.push(p);
  });
  return Buffer.concat(out);
}

function nameOf(segment: Uint8Array): string {
  const eq = segment.indexOf(EQ);
  return Buffer.from(segment.subarray(0, eq === -1 ? segment.length : eq)).toString('latin1');
}

function valueStart(segment: Uint8Array): number {
  const eq = segment.indexOf(EQ);
  return eq === -1 ? segment.length : eq + 1;
}

/** Positions `i` where `body[i..i+2]` is a `%XX` escape. */
function escapes(body: Uint8Array): number[] {
  const at: number[] = [];
  for (let i = 0; i + 2 < body.length; i++) {
    if (body[i] === 0x25 && HEX[body[i + 1]!] === 1 && HEX[body[i + 2]!] === 1) at.push(i);
  }
  return at;
}

function splice(body: Uint8Array, at: number, remove: number, insert: Uint8Array): Buffer {
  return Buffer.concat([body.subarray(0, at), insert, body.subarray(at + remove)]);
}

function charsetOf(body: Uint8Array): 'utf-8' | 'gb18030' {
  const seg = segments(body).find((s) => nameOf(s) === 'charset');
  const label =
    seg === undefined
      ? 'utf-8'
      : Buffer.from(seg.subarray(valueStart(seg)))
          .toString('latin1')
          .toLowerCase();
  return label === 'utf-8' || label === 'utf8' ? 'utf-8' : 'gb18030';
}

function formDecodeBytes(raw: Uint8Array): Buffer {
  return Buffer.from(decodeURIComponentBytes(Buffer.from(raw).toString('latin1').replace(/\+/g, ' ')), 'latin1');
}

function decodeURIComponentBytes(s: string): string {
  return s.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function encodeBytes(bytes: Uint8Array): Buffer {
  const out: number[] = [];
  const hex = (d: number): number => (d < 10 ? 0x30 + d : 0x37 + d);
  for (const b of bytes) {
    if (SAFE[b] === 1) out.push(b);
    else if (b === 0x20) out.push(0x2b);
    else out.push(0x25, hex(b >> 4), hex(b & 15));
  }
  return Buffer.from(out);
}

// Re-encodes every value in the other charset family, keeping the declared label: GBK bytes
// labelled utf-8, or UTF-8 bytes labelled GBK (the classic mislabel: https://github.com/chloerei/alipay/issues/93).
function transcode(body: Uint8Array): Buffer {
  const from = charsetOf(body);
  const to = from === 'utf-8' ? 'gb18030' : 'utf-8';
  return join(
    segments(body).map((seg) => {
      const vs = valueStart(seg);
      if (vs === seg.length) return seg;
      const text = iconv.decode(formDecodeBytes(seg.subarray(vs)), from);
      return Buffer.concat([seg.subarray(0, vs), encodeBytes(iconv.encode(text, to))]);
    }),
  );
}

// Field folding: the `count` fields that follow one field in signed (sorted) order are moved into
// its value as `%26name%3Dvalue` (their raw escapes kept), which leaves the signed bytes unchanged.
function foldFields(body: Buffer, at: number, count: number): Buffer {
  const segs = segments(body);
  const signed = segs
    .map((seg, i) => ({ seg, i, name: nameOf(seg) }))
    .filter((x) => x.name !== 'sign' && x.name !== 'sign_type' && valueStart(x.seg) < x.seg.length)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (signed.length < 2) return body;
  const from = at % (signed.length - 1);
  const moved = signed.slice(from + 1, from + 1 + Math.max(1, count % (signed.length - from)));
  const target = signed[from]!;
  segs[target.i] = Buffer.concat([
    target.seg,
    ...moved.map((x) => Buffer.concat([Buffer.from(`%26${x.name}%3D`, 'latin1'), x.seg.subarray(valueStart(x.seg))])),
  ]);
  const gone = new Set(moved.map((x) => x.i));
  return join(segs.filter((_, i) => !gone.has(i)));
}

/**
 * Applies one mutation to a body. `pool` supplies other signatures for `swapSign`.
 *
 * @example
 * ```ts
 * applyMutation(body, { op: 'flip', at: 10, xor: 1 }, pool.bodies);
 * ```
 */
export function applyMutation(body: Buffer, m: Mutation, pool: readonly SignedBody[]): Buffer {
  const n = body.length;
  switch (m.op) {
    case 'flip': {
      if (n === 0) return body;
      const copy = Buffer.from(body);
      copy[m.at % n]! ^= m.xor;
      return copy;
    }
    case 'insert':
      return splice(body, m.at % (n + 1), 0, Buffer.of(m.byte));
    case 'delete':
      return n === 0 ? body : splice(body, m.at % n, 1, Buffer.alloc(0));
    case 'truncate':
      return body.subarray(0, m.at % (n + 1));
    case 'reorder': {
      const segs = segments(body).map((s, i) => ({ s, k: m.keys[i % m.keys.length]! * 1000 + i }));
      return join(segs.sort((a, b) => a.k - b.k).map((x) => x.s));
    }
    case 'hexCase': {
      const at = escapes(body);
      if (at.length === 0) return body;
      const i = at[m.at % at.length]! + 1 + (m.at & 1);
      const copy = Buffer.from(body);
      // Only letters change case; a digit stays, and the body is then unchanged.
      if (/[a-fA-F]/.test(String.fromCharCode(copy[i]!))) copy[i]! ^= 0x20;
      return copy;
    }
    case 'plusSpace': {
      const plus: number[] = [];
      for (let i = 0; i < n; i++) if (body[i] === 0x2b) plus.push(i);
      const sp = escapes(body).filter((i) => body[i + 1] === 0x32 && body[i + 2] === 0x30);
      const all = [...plus.map((i) => ({ i, plus: true })), ...sp.map((i) => ({ i, plus: false }))];
      if (all.length === 0) return body;
      const pick = all[m.at % all.length]!;
      return pick.plus ? splice(body, pick.i, 1, Buffer.from('%20')) : splice(body, pick.i, 3, Buffer.from('+'));
    }
    case 'encodeChar': {
      const safe: number[] = [];
      for (let i = 0; i < n; i++) if (SAFE[body[i]!] === 1) safe.push(i);
      if (safe.length === 0) return body;
      const i = safe[m.at % safe.length]!;
      const hex = body[i]!.toString(16).padStart(2, '0');
      return splice(body, i, 1, Buffer.from(`%${m.upper ? hex.toUpperCase() : hex}`));
    }
    case 'emptySegment': {
      const segs = segments(body);
      segs.splice(m.at % (segs.length + 1), 0, Buffer.alloc(0));
      return join(segs);
    }
    case 'removeField': {
      const segs = segments(body);
      segs.splice(m.at % segs.length, 1);
      return join(segs);
    }
    case 'duplicateField': {
      const segs = segments(body);
      const seg = segs[m.at % segs.length]!;
      segs.push(m.alter ? Buffer.concat([seg, Buffer.from('1')]) : seg);
      return join(segs);
    }
    case 'addField': {
      const segs = segments(body);
      segs.splice(
        segs.length > 0 ? m.value.length % segs.length : 0,
        0,
        Buffer.concat([m.name, Buffer.of(EQ), m.value]),
      );
      return join(segs);
    }
    case 'replaceValue': {
      const segs = segments(body);
      const i = m.at % segs.length;
      const seg = segs[i]!;
      segs[i] = Buffer.concat([
        seg.subarray(0, valueStart(seg)),
        valueStart(seg) === seg.length ? Buffer.of(EQ) : Buffer.alloc(0),
        m.value,
      ]);
      return join(segs);
    }
    case 'charset': {
      const segs = segments(body);
      const i = segs.findIndex((s) => nameOf(s) === 'charset');
      if (i === -1) return body;
      segs[i] = Buffer.from(`charset=${m.label}`, 'latin1');
      return join(segs);
    }
    case 'transcode':
      return transcode(body);
    case 'fold':
      return foldFields(body, m.at, m.count);
    case 'swapSign': {
      const donor = segments(pool[m.from % pool.length]!.body).find((s) => nameOf(s) === 'sign');
      const segs = segments(body);
      const i = segs.findIndex((s) => nameOf(s) === 'sign');
      if (donor === undefined || i === -1) return body;
      segs[i] = donor;
      return join(segs);
    }
  }
}
