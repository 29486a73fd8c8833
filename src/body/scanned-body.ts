import type { NotifyCharset } from './charset.js';
import type { ParsedNotifyBody } from './parse-notify-body.js';

/**
 * A parsed body as the verifier holds it: the same content as {@link ParsedNotifyBody}, with each
 * field's decoded bytes kept as a range (`src[i]` from `from[i]` to `to[i]`) of the body itself or
 * of a per-call scratch buffer instead of one view object per field: the hot path never looks at
 * per-field views (about 30 `subarray` calls per notification), so `bytes` builds them on first
 * use (the fallback rules, the diagnosis, `parseNotifyBody`). One instance per call: nothing here
 * is shared between notifications.
 */
export class ScannedBody implements ParsedNotifyBody {
  private views: Record<string, Uint8Array> | undefined;

  constructor(
    readonly names: readonly string[],
    readonly fields: Readonly<Record<string, string>>,
    readonly charset: NotifyCharset,
    readonly fromObject: boolean,
    /** Where field `i`'s decoded bytes live, and their range. */
    readonly src: readonly Buffer[],
    readonly from: readonly number[],
    readonly to: readonly number[],
    /** Whether a field other than `sign` has an empty value (the documented rule skips it). */
    readonly hasEmpty: boolean,
    /** Whether a decoded value holds `&`: only then can the signed string have a second reading. */
    readonly hasAmpersand: boolean,
  ) {}

  /** Each field's decoded bytes, null prototype (built on first use). */
  get bytes(): Readonly<Record<string, Uint8Array>> {
    if (this.views === undefined) {
      const views = Object.create(null) as Record<string, Uint8Array>;
      for (let i = 0; i < this.names.length; i++)
        views[this.names[i]!] = this.src[i]!.subarray(this.from[i], this.to[i]);
      this.views = views;
    }
    return this.views;
  }

  /** The index of field `name`, or -1. */
  indexOf(name: string): number {
    return this.names.indexOf(name);
  }

  /** The plain-object form that `parseNotifyBody` returns. */
  toParsed(): ParsedNotifyBody {
    return {
      names: this.names,
      bytes: this.bytes,
      fields: this.fields,
      charset: this.charset,
      fromObject: this.fromObject,
    };
  }
}
