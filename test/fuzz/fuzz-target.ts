import iconv from 'iconv-lite';
import { createNotifyRequestHandler, type NotifyRequestHandler } from '../../src/adapters/handle-notify-request.js';
import {
  AlipayNotifyError,
  NotifyBodyError,
  NotifyFieldError,
  NotifyRecipientError,
  NotifySignatureError,
  verifyNotify,
  type AlipayNotification,
  type AlipayNotifyErrorCode,
  type NotifyVerifierOptions,
} from '../../src/index.js';
import type { FuzzInput } from './fuzz-inputs.js';
import { applyMutation } from './mutations.js';
import { classify, referenceDecode, UNSIGNED_NAMES, type Equivalence } from './oracle.js';
import { buildSignedPool, FUZZ_APP_ID, type SignedPool } from './signed-pool.js';

/** What went wrong with one input; any of these fails the run. */
export type FailureKind =
  | 'crash' // the harness itself threw while handling the input
  | 'untyped-error' // verifyNotify threw something that is not an AlipayNotifyError
  | 'unknown-code' // an AlipayNotifyError with a code verifyNotify must not raise, or of the wrong class
  | 'accepted-mutation' // a changed (or foreign, or generated) body verified
  | 'rejected-identical' // a body the oracle calls identical to a signed one did not verify
  | 'wrong-notification' // it verified, but to something other than the signed notification
  | 'adapter-reply' // the core's reply is not exactly success/fail, or success when it must not be
  | 'adapter-mismatch' // the core disagrees with verifyNotify on the same bytes
  | 'hang'; // one input took longer than the per-input budget

/** A failure, with what is needed to reproduce it. */
export interface Failure {
  readonly kind: FailureKind;
  readonly family: string;
  readonly detail: string;
  /** The body handed over, hex (capped at 256 KiB). */
  readonly inputHex: string;
  /** The signed body it was mutated from, hex. */
  readonly baseHex?: string;
}

/** How one input came out: verifyNotify's result and the adapter core's reply. */
export interface Outcome {
  readonly family: string;
  /** `ok` or the error code. */
  readonly verify: string;
  /** `success` or `fail <status> <code>`; `-` when the input was an object (the core takes bytes). */
  readonly core: string;
  /** The oracle's verdict for mutations; `generated` otherwise. */
  readonly equivalence: Equivalence | 'generated' | 'foreign';
  readonly failure?: Failure;
  /** Time spent in verifyNotify and the core for this input (the harness's own work excluded). */
  readonly ms: number;
}

/** The codes verifyNotify may raise for a notification (never ERR_CONFIG or adapter codes). */
export const VERIFY_CODES: ReadonlyMap<AlipayNotifyErrorCode, new (...args: never[]) => AlipayNotifyError> = new Map<
  AlipayNotifyErrorCode,
  new (...args: never[]) => AlipayNotifyError
>([
  ['ERR_BODY_MALFORMED', NotifyBodyError],
  ['ERR_BODY_TOO_LARGE', NotifyBodyError],
  ['ERR_CHARSET_UNSUPPORTED', NotifyBodyError],
  ['ERR_SIGNATURE_MISSING', NotifySignatureError],
  ['ERR_SIGN_TYPE_UNSUPPORTED', NotifySignatureError],
  ['ERR_SIGNATURE_INVALID', NotifySignatureError],
  ['ERR_SIGNATURE_AMBIGUOUS', NotifySignatureError],
  ['ERR_CERT_NOT_FOUND', NotifySignatureError],
  ['ERR_CERT_INVALID', NotifySignatureError],
  ['ERR_APP_ID_MISMATCH', NotifyRecipientError],
  ['ERR_SELLER_ID_MISMATCH', NotifyRecipientError],
  ['ERR_FIELD_INVALID', NotifyFieldError],
]);

/** More than this for one input is a hang. */
export const HANG_MS = 1000;
const HEX_CAP = 256 * 1024;

type Body = Uint8Array | string | Record<string, unknown>;

function hexOf(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, Math.min(b.byteLength, HEX_CAP)).toString('hex');
}

function isAscii(b: Uint8Array): boolean {
  for (const x of b) if (x > 0x7f) return false;
  return true;
}

function sameFields(
  a: Readonly<Record<string, string>>,
  b: Readonly<Record<string, string>>,
  keep: (name: string, value: string) => boolean,
): boolean {
  const pick = (r: Readonly<Record<string, string>>): string =>
    JSON.stringify(
      Object.entries(r)
        .filter(([k, v]) => keep(k, v))
        .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
    );
  return pick(a) === pick(b);
}

/**
 * The system under test, set up once per worker: a signed pool, verifier options, and two adapter
 * cores (with the default in-memory duplicate store, and without a store).
 *
 * @example
 * ```ts
 * const target = await FuzzTarget.create(24);
 * const outcome = await target.run(input);
 * ```
 */
export class FuzzTarget {
  readonly pool: SignedPool;
  readonly options: NotifyVerifierOptions;
  private readonly expected: (AlipayNotification | undefined)[];
  private readonly cores: readonly NotifyRequestHandler<null>[];
  private handlerMode = 0;
  private lastError: AlipayNotifyError | undefined;
  /** notify_ids whose handler has resolved at least once (per core). */
  private readonly resolved: Set<string>[] = [new Set(), new Set()];
  private coreIndex = 0;
  /** Time spent inside the library for the current input (the harness's own work excluded). */
  private sutMs = 0;
  /** Reports the adapters sent to the logger (only where `onError` threw). */
  private logged = 0;

  private constructor(pool: SignedPool) {
    this.pool = pool;
    this.options = { alipayPublicKey: pool.alipay.publicKey, appId: FUZZ_APP_ID };
    this.expected = pool.bodies.map((b) => (b.expect === 'verifies' ? verifyNotify(b.body, this.options) : undefined));
    const handler = async (n: AlipayNotification): Promise<void> => {
      const mode = this.handlerMode;
      const index = this.coreIndex;
      if (mode === 3) throw new Error('handler throws');
      if (mode === 1) await Promise.resolve();
      if (mode === 2) await Promise.reject(new Error('handler rejects'));
      this.resolved[index]!.add(n.notifyId);
    };
    const common = {
      ...this.options,
      handlerTimeoutMs: HANG_MS,
      // The adapters refuse notifications older than 25 hours; the pool is signed at a fixed time.
      now: () => new Date('2024-05-20T04:00:00Z'),
      onRefund: handler,
      onNotification: handler,
      onError: (error: AlipayNotifyError) => {
        this.lastError = error;
        // A logger that throws must not change the answer.
        if (this.handlerMode === 1) throw new Error('onError throws');
      },
      // Where `onError` throws, the adapters report both to the logger: counted, not printed a
      // million times.
      logger: {
        error: () => {
          this.logged++;
        },
      },
    };
    this.cores = [
      createNotifyRequestHandler<null>(common),
      createNotifyRequestHandler<null>({ ...common, store: false }),
    ];
  }

  /** Builds the target with `poolSize` signed bodies (RSA key generation takes a moment). */
  static create(poolSize: number): FuzzTarget {
    return new FuzzTarget(buildSignedPool(poolSize));
  }

  /** Runs one input through verifyNotify and an adapter core, and judges the result. */
  async run(input: FuzzInput, seq: number): Promise<Outcome> {
    this.sutMs = 0;
    let body: Body = new Uint8Array(0);
    let baseHex: string | undefined;
    try {
      const prepared = this.prepare(input);
      body = prepared.body;
      baseHex = prepared.baseHex;
      const outcome = await this.judge(input, prepared, seq);
      const ms = this.sutMs;
      if (ms > HANG_MS && outcome.failure === undefined) {
        return {
          ...outcome,
          ms,
          failure: this.failure('hang', input, `one input took ${ms.toFixed(0)} ms`, body, baseHex),
        };
      }
      return { ...outcome, ms };
    } catch (err) {
      const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
      return {
        family: input.family,
        verify: '-',
        core: '-',
        equivalence: 'generated',
        ms: this.sutMs,
        failure: this.failure('crash', input, detail, body, baseHex),
      };
    }
  }

  private failure(
    kind: FailureKind,
    input: FuzzInput,
    detail: string,
    body: Body,
    baseHex: string | undefined,
  ): Failure {
    const inputHex =
      body instanceof Uint8Array
        ? hexOf(body)
        : typeof body === 'string'
          ? hexOf(Buffer.from(body, 'utf8'))
          : hexOf(Buffer.from(JSON.stringify(body) ?? '', 'utf8'));
    return { kind, family: input.family, detail, inputHex, ...(baseHex === undefined ? {} : { baseHex }) };
  }

  private prepare(input: FuzzInput): {
    body: Body;
    coreBytes: Uint8Array | undefined;
    equivalence: Outcome['equivalence'];
    baseIndex?: number;
    baseHex?: string;
    charsetFamily?: string;
  } {
    if (input.source === 'generated-object')
      return { body: input.object, coreBytes: undefined, equivalence: 'generated' };
    if (input.source === 'generated') {
      if (input.as === 'string') {
        const s = Buffer.from(input.bytes).toString('utf8');
        return { body: s, coreBytes: Buffer.from(s, 'utf8'), equivalence: 'generated' };
      }
      return { body: input.bytes, coreBytes: input.bytes, equivalence: 'generated' };
    }
    const baseIndex = input.base % this.pool.bodies.length;
    const base = this.pool.bodies[baseIndex]!;
    let bytes = base.body;
    for (const m of input.mutations) bytes = applyMutation(bytes, m, this.pool.bodies);
    const equivalence = base.expect === 'foreign' ? 'foreign' : classify(base.decoded, bytes);
    const baseHex = hexOf(base.body);
    // A string is what a framework hands over after reading the body as text: only exact for ASCII.
    if (input.as === 'string' && isAscii(bytes))
      return { body: bytes.toString('latin1'), coreBytes: bytes, equivalence, baseIndex, baseHex };
    if (input.as === 'object') {
      const decoded = referenceDecode(bytes);
      if (decoded !== null && new Set(decoded.map(([n]) => n)).size === decoded.length) {
        const label = (decoded.find(([n]) => n === 'charset')?.[1] ?? 'utf-8').toLowerCase();
        const utf8 = label === 'utf-8' || label === 'utf8' || label === '';
        const object = Object.fromEntries(
          decoded.map(([n, v]) => [n, iconv.decode(Buffer.from(v, 'latin1'), utf8 ? 'utf-8' : 'gb18030')]),
        );
        return {
          body: object,
          coreBytes: undefined,
          equivalence,
          baseIndex,
          baseHex,
          charsetFamily: utf8 ? 'utf-8' : 'gb',
        };
      }
    }
    return { body: bytes, coreBytes: bytes, equivalence, baseIndex, baseHex };
  }

  private async judge(
    input: FuzzInput,
    p: ReturnType<FuzzTarget['prepare']>,
    seq: number,
  ): Promise<Omit<Outcome, 'ms'>> {
    const fail = (kind: FailureKind, detail: string): Failure => this.failure(kind, input, detail, p.body, p.baseHex);
    let notification: AlipayNotification | undefined;
    let code: AlipayNotifyErrorCode | undefined;
    const t0 = performance.now();
    try {
      notification = verifyNotify(p.body as Uint8Array, this.options);
    } catch (err) {
      this.sutMs += performance.now() - t0;
      if (!(err instanceof AlipayNotifyError)) {
        return {
          family: input.family,
          verify: 'untyped',
          core: '-',
          equivalence: p.equivalence,
          failure: fail('untyped-error', err instanceof Error ? (err.stack ?? err.message) : String(err)),
        };
      }
      code = err.code;
      const cls = VERIFY_CODES.get(code);
      if (cls === undefined || !(err instanceof cls)) {
        return {
          family: input.family,
          verify: code,
          core: '-',
          equivalence: p.equivalence,
          failure: fail('unknown-code', `${err.name} ${code}: ${err.message}`),
        };
      }
    }
    if (code === undefined) this.sutMs += performance.now() - t0;
    const verify = code ?? 'ok';
    const result = { family: input.family, verify, equivalence: p.equivalence };
    const verdict = this.checkVerdict(p, notification, code);
    if (verdict !== undefined) return { ...result, core: '-', failure: fail(verdict.kind, verdict.detail) };
    if (p.coreBytes === undefined) return { ...result, core: '-' };
    return this.checkCore(input, p.coreBytes, notification, code, seq, result, fail);
  }

  private checkVerdict(
    p: ReturnType<FuzzTarget['prepare']>,
    n: AlipayNotification | undefined,
    code: AlipayNotifyErrorCode | undefined,
  ): { kind: FailureKind; detail: string } | undefined {
    const eq = p.equivalence;
    if (eq === 'generated' || eq === 'foreign' || eq === 'changed') {
      return n === undefined
        ? undefined
        : { kind: 'accepted-mutation', detail: `a ${eq} body verified (${n.kind} ${n.notifyId})` };
    }
    const expected = this.expected[p.baseIndex!]!;
    if (p.charsetFamily === 'gb') {
      // Decoded strings no longer carry the GBK bytes that were signed: refused, never guessed.
      if (code === 'ERR_CHARSET_UNSUPPORTED') return undefined;
      return {
        kind: n === undefined ? 'unknown-code' : 'accepted-mutation',
        detail: `a GB-family notification passed as an object gave ${code ?? 'ok'}`,
      };
    }
    if (n === undefined)
      return eq === 'identical'
        ? { kind: 'rejected-identical', detail: `an identical body was rejected with ${code}` }
        : undefined;
    const keep = eq === 'identical' ? () => true : (k: string, v: string) => v !== '' && !UNSIGNED_NAMES.has(k);
    if (n.kind !== expected.kind || n.notifyId !== expected.notifyId || !sameFields(n.fields, expected.fields, keep)) {
      return { kind: 'wrong-notification', detail: `verified to a different notification (${n.kind} ${n.notifyId})` };
    }
    return undefined;
  }

  // A method, so that the compiler does not narrow `lastError` to its value before the `await`.
  private reported(): AlipayNotifyError | undefined {
    return this.lastError;
  }

  private async checkCore(
    input: FuzzInput,
    bytes: Uint8Array,
    n: AlipayNotification | undefined,
    code: AlipayNotifyErrorCode | undefined,
    seq: number,
    result: Pick<Outcome, 'family' | 'verify' | 'equivalence'>,
    fail: (kind: FailureKind, detail: string) => Failure,
  ): Promise<Omit<Outcome, 'ms'>> {
    this.coreIndex = seq & 1;
    this.handlerMode = input.handler & 3;
    this.lastError = undefined;
    const loggedBefore = this.logged;
    const resolved = this.resolved[this.coreIndex]!;
    const doneBefore = n !== undefined && this.coreIndex === 0 && resolved.has(n.notifyId);
    const t0 = performance.now();
    const reply = await this.cores[this.coreIndex]!.handle(bytes, null);
    this.sutMs += performance.now() - t0;
    const reported = this.reported();
    const errCode = reported?.code;
    const core = reply.body === 'success' ? 'success' : `fail ${reply.status} ${errCode ?? '?'}`;
    const out = { ...result, core };
    const shapeOk =
      Object.keys(reply).sort().join() === 'body,status' &&
      ((reply.body === 'success' && reply.status === 200) ||
        (reply.body === 'fail' && Number.isInteger(reply.status) && reply.status >= 400 && reply.status <= 599));
    if (!shapeOk) return { ...out, failure: fail('adapter-reply', `reply ${JSON.stringify(reply)}`) };
    if (reply.body === 'success') {
      // success only for a genuinely signed notification whose handler resolved (now or before).
      if (n === undefined || !resolved.has(n.notifyId))
        return {
          ...out,
          failure: fail(
            'adapter-reply',
            `success for ${n === undefined ? code : 'a notification whose handler did not resolve'}`,
          ),
        };
      return out;
    }
    if (!(reported instanceof AlipayNotifyError))
      return { ...out, failure: fail('adapter-reply', 'fail without an AlipayNotifyError reported to onError') };
    if (this.handlerMode === 1 && this.logged === loggedBefore)
      return { ...out, failure: fail('adapter-reply', 'onError threw and nothing reached the logger') };
    if (n === undefined) {
      if (errCode !== code)
        return { ...out, failure: fail('adapter-mismatch', `verifyNotify said ${code}, the core ${errCode}`) };
      return out;
    }
    // Verified: fail is right only when the handler threw or rejected and the id was not done before.
    const handlerFailed = this.handlerMode >= 2 && !doneBefore;
    if (!handlerFailed || errCode !== 'ERR_HANDLER_FAILED')
      return {
        ...out,
        failure: fail('adapter-mismatch', `verified, handler mode ${this.handlerMode}, core failed with ${errCode}`),
      };
    return out;
  }
}
