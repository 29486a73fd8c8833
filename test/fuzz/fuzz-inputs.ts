import fc from 'fast-check';
import iconv from 'iconv-lite';
import type { Mutation } from './mutations.js';

/**
 * One fuzz input. `generated` inputs are built from nothing and must never verify; `mutated`
 * ones start from a signed body of the pool (by index) and are judged by oracle.ts.
 * `handler` picks how the adapter core's handler behaves: 0 resolves, 1 resolves later,
 * 2 rejects, 3 throws.
 */
export type FuzzInput =
  | {
      readonly family: string;
      readonly source: 'generated';
      readonly as: 'bytes' | 'string';
      readonly bytes: Uint8Array;
      readonly handler: number;
    }
  | {
      readonly family: 'object';
      readonly source: 'generated-object';
      readonly object: Record<string, unknown>;
      readonly handler: number;
    }
  | {
      readonly family: string;
      readonly source: 'mutated';
      readonly base: number;
      readonly mutations: readonly Mutation[];
      /** Hand the result over as bytes, as a latin1 string, or as an object of decoded values. */
      readonly as: 'bytes' | 'string' | 'object';
      readonly handler: number;
    };

const REAL_NAMES = [
  'notify_id',
  'notify_type',
  'notify_time',
  'app_id',
  'auth_app_id',
  'charset',
  'sign',
  'sign_type',
  'trade_no',
  'out_trade_no',
  'trade_status',
  'refund_fee',
  'gmt_refund',
  'out_biz_no',
  'total_amount',
  'seller_id',
  'fund_bill_list',
  'passback_params',
  'msg_method',
  'biz_content',
  'utc_timestamp',
  'alipay_cert_sn',
  'batch_no',
  'result_details',
  'version',
];
const HOSTILE_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'a[b]',
  'a[b][c]',
  'refund_fee[0]',
  'a[__proto__]',
  '__proto__[x]',
  'constructor[prototype]',
  '%5F%5Fproto%5F%5F',
  'sign%5B%5D',
  '',
  '.',
  '-x',
  'a'.repeat(65),
  'x'.repeat(64),
];
const CHARSET_LABELS = [
  'utf-8',
  'UTF-8',
  'utf8',
  'GBK',
  'gbk',
  'gb2312',
  'GB18030',
  'big5',
  'latin1',
  'utf-16',
  'UTF-8 ',
  ' utf-8',
  'ut%66-8',
  '',
  '__proto__',
  'constructor',
];
const SIGN_TYPES = ['RSA2', 'RSA', 'MD5', 'rsa2', 'SM2', 'RSA2 ', '', 'constructor'];
const BAD_ESCAPES = ['%', '%G0', '%4', '%%', '%zz', '100%', '%0', '%-1', '%+1', '%\u00ff1'];

/** Percent-encodes bytes with a random hex case, the way some proxies re-encode. */
function percent(bytes: Uint8Array, upper: boolean): string {
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9._*-]/.test(c)) out += c;
    else if (b === 0x20) out += '+';
    else {
      const h = b.toString(16).padStart(2, '0');
      out += `%${upper ? h.toUpperCase() : h}`;
    }
  }
  return out;
}

const latin1 = (s: string): Uint8Array => Buffer.from(s, 'latin1');
const text = fc.string({
  unit: fc.constantFrom(...'ab Z09+%&=#?/\\"\'{}[]:,._-~*测试退款€\u0000\n'.split('')),
  maxLength: 30,
});

/** A raw value, placed in the body exactly as generated. */
export const rawValue: fc.Arbitrary<Uint8Array> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(fc.uint8Array({ maxLength: 40 }), fc.boolean()).map(([b, u]) => latin1(percent(b, u))),
  },
  {
    weight: 3,
    arbitrary: fc
      .string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 30 })
      .map(latin1),
  },
  { weight: 2, arbitrary: fc.constantFrom(...BAD_ESCAPES).map(latin1) },
  {
    weight: 2,
    arbitrary: fc.tuple(text, fc.boolean()).map(([t, u]) => latin1(percent(iconv.encode(t, 'gb18030'), u))),
  },
  { weight: 2, arbitrary: fc.tuple(text, fc.boolean()).map(([t, u]) => latin1(percent(Buffer.from(t, 'utf8'), u))) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 20 }) },
  // Huge fields: around the 64 KiB limit and far past it.
  {
    weight: 1,
    arbitrary: fc
      .oneof(fc.integer({ min: 1000, max: 70_000 }), fc.integer({ min: 65_530, max: 65_540 }))
      .map((n) => Buffer.alloc(n, 0x41)),
  },
  { weight: 2, arbitrary: fc.constant(new Uint8Array(0)) },
);

/** A raw field name: real ones, prototype keys, nested `a[b]`, random. */
export const rawName: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...REAL_NAMES).map(latin1) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_NAMES).map(latin1) },
  {
    weight: 2,
    arbitrary: fc.string({ unit: fc.constantFrom(...'abz_09.-[]%+=~$'.split('')), maxLength: 12 }).map(latin1),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 8 }) },
);

function field(name: string, value: fc.Arbitrary<string>): fc.Arbitrary<Uint8Array> {
  return value.map((v) => latin1(`${name}=${v}`));
}

const base64Sign = fc
  .oneof(fc.uint8Array({ minLength: 256, maxLength: 256 }), fc.uint8Array({ maxLength: 300 }))
  .map((b) => Buffer.from(b).toString('base64'))
  .chain((s) => fc.constantFrom(s, encodeURIComponent(s), s.replace(/=+$/, ''), `${s}=`));

/** A whole generated form body: many shapes of fields, some of them Alipay-like. */
const formBody: fc.Arbitrary<Uint8Array> = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.tuple(rawName, rawValue).map(([n, v]) => Buffer.concat([n, latin1('='), v])) },
      { weight: 2, arbitrary: field('charset', fc.constantFrom(...CHARSET_LABELS)) },
      { weight: 2, arbitrary: field('sign_type', fc.constantFrom(...SIGN_TYPES)) },
      { weight: 2, arbitrary: field('sign', base64Sign) },
      {
        weight: 2,
        arbitrary: field('app_id', fc.constantFrom('2021000000000000', '2021999999999999', '', ' 2021000000000000')),
      },
      {
        weight: 1,
        arbitrary: field(
          'notify_type',
          fc.constantFrom('trade_status_sync', 'batch_refund_notify', 'servicemarket_order_notify', ''),
        ),
      },
      { weight: 1, arbitrary: rawName },
    ),
    { maxLength: 40 },
  )
  .chain((fields) =>
    fc
      .constantFrom('&', '&&', '&amp;', ';')
      .map((sep) => latin1(fields.map((f) => Buffer.from(f).toString('latin1')).join(sep))),
  );

const manyParams = fc.tuple(fc.integer({ min: 150, max: 6000 }), fc.boolean()).map(([count, dup]) => {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(dup ? `k=${i}` : `k${i}=${i}`);
  return latin1(parts.join('&'));
});

const handler = fc.integer({ min: 0, max: 3 });

const generated: fc.Arbitrary<FuzzInput> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.tuple(fc.uint8Array({ maxLength: 400 }), handler).map(([bytes, h]) => ({
      family: 'random-bytes',
      source: 'generated' as const,
      as: 'bytes' as const,
      bytes,
      handler: h,
    })),
  },
  {
    weight: 6,
    arbitrary: fc.tuple(formBody, handler).map(([bytes, h]) => ({
      family: 'form-body',
      source: 'generated' as const,
      as: 'bytes' as const,
      bytes,
      handler: h,
    })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(manyParams, handler).map(([bytes, h]) => ({
      family: 'many-params',
      source: 'generated' as const,
      as: 'bytes' as const,
      bytes,
      handler: h,
    })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.string({ unit: 'binary', maxLength: 200 }), handler).map(([s, h]) => ({
      family: 'random-string',
      source: 'generated' as const,
      as: 'string' as const,
      bytes: Buffer.from(s, 'utf8'),
      handler: h,
    })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.array(
          fc.tuple(
            fc.oneof(fc.constantFrom(...REAL_NAMES, ...HOSTILE_NAMES), fc.string({ maxLength: 8 })),
            fc.oneof(
              fc.string({ maxLength: 20 }),
              fc.constantFrom<unknown>(['a', 'b'], { b: 'c' }, 1, null, undefined, true),
            ),
          ),
          { maxLength: 12 },
        ),
        handler,
      )
      // Object.fromEntries defines own properties, so `__proto__` arrives as a key, as from JSON.parse.
      .map(([entries, h]) => ({
        family: 'object' as const,
        source: 'generated-object' as const,
        object: Object.fromEntries(entries),
        handler: h,
      })),
  },
);

const any = fc.nat();
const byteEdit: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: any, xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ op: fc.constant('insert' as const), at: any, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('delete' as const), at: any }),
);
/** Edits that leave the decoded notification the same (oracle.ts `identical`). */
const sameEdit: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('reorder' as const), keys: fc.array(fc.nat(1000), { minLength: 8, maxLength: 40 }) }),
  fc.record({ op: fc.constant('hexCase' as const), at: any }),
  fc.record({ op: fc.constant('plusSpace' as const), at: any }),
  fc.record({ op: fc.constant('encodeChar' as const), at: any, upper: fc.boolean() }),
  fc.record({ op: fc.constant('emptySegment' as const), at: any }),
);
const structuralEdit: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: any }),
  fc.record({ op: fc.constant('removeField' as const), at: any }),
  fc.record({ op: fc.constant('duplicateField' as const), at: any, alter: fc.boolean() }),
  fc.record({ op: fc.constant('addField' as const), name: rawName, value: rawValue }),
  fc.record({ op: fc.constant('replaceValue' as const), at: any, value: rawValue }),
  fc.record({ op: fc.constant('charset' as const), label: fc.constantFrom(...CHARSET_LABELS) }),
  fc.constant({ op: 'transcode' as const }),
  fc.record({ op: fc.constant('swapSign' as const), from: any }),
  fc.record({ op: fc.constant('fold' as const), at: any, count: any }),
);

function mutated(
  family: string,
  edits: fc.Arbitrary<Mutation[]>,
  as: fc.Arbitrary<'bytes' | 'string' | 'object'> = fc.constant('bytes'),
): fc.Arbitrary<FuzzInput> {
  return fc
    .tuple(any, edits, as, handler)
    .map(([base, mutations, a, h]) => ({ family, source: 'mutated' as const, base, mutations, as: a, handler: h }));
}

/**
 * Every fuzz input: about a third generated from nothing, two thirds mutations of signed bodies
 * (one byte flipped / inserted / deleted, equivalence-preserving edits, structural edits, and
 * stacks of them), now and then handed over as a string or an object.
 *
 * @example
 * ```ts
 * const inputs = fc.sample(fuzzInput, { seed: 42, numRuns: 1000 });
 * ```
 */
export const fuzzInput: fc.Arbitrary<FuzzInput> = fc.oneof(
  { weight: 12, arbitrary: generated },
  {
    weight: 9,
    arbitrary: mutated(
      'byte-edit',
      byteEdit.map((m) => [m]),
    ),
  },
  {
    weight: 5,
    arbitrary: mutated(
      'same-edit',
      fc.array(sameEdit, { minLength: 1, maxLength: 3 }),
      fc.constantFrom('bytes' as const, 'bytes' as const, 'string' as const, 'object' as const),
    ),
  },
  {
    weight: 5,
    arbitrary: mutated(
      'structural',
      structuralEdit.map((m) => [m]),
    ),
  },
  {
    weight: 3,
    arbitrary: mutated(
      'stacked',
      fc.array(fc.oneof(byteEdit, sameEdit, structuralEdit), { minLength: 2, maxLength: 4 }),
    ),
  },
  {
    weight: 1,
    arbitrary: mutated(
      'unchanged',
      fc.constant([]),
      fc.constantFrom('bytes' as const, 'string' as const, 'object' as const),
    ),
  },
);
