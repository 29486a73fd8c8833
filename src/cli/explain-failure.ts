import { diagnoseNotify } from '../diagnose/diagnose-notify.js';
import type { NotifyDiagnosis } from '../diagnose/notify-diagnosis.js';
import { AlipayNotifyError } from '../errors/index.js';
import type { NotifyVerifierOptions } from '../verifier/resolve-options.js';

/** Why a body did not verify, for people (`lines`) and scripts (`json`). */
export interface FailureExplanation {
  readonly lines: string[];
  readonly json: Record<string, unknown>;
}

/**
 * Explains a failed verification: the stable error code, then `diagnoseNotify`'s account of why
 * (which key the signature opens under, which variant of the signed string it covers).
 * `ERR_NOT_A_REFUND` needs no diagnosis: the body verified. The lines may quote the body: print
 * them with `printLines`, the JSON with `jsonForTerminal`.
 *
 * @example
 * ```ts
 * const { lines } = explainFailure(err, body, options);
 * ```
 */
export function explainFailure(
  err: AlipayNotifyError,
  body: Buffer,
  options: NotifyVerifierOptions,
): FailureExplanation {
  const lines = [`✖ not verified: ${err.code}`];
  const json: Record<string, unknown> = { code: err.code, message: err.message };
  if (err.code === 'ERR_NOT_A_REFUND') {
    lines.push('  it verifies, but it is not a refund (drop --refund-only to see it)');
    return { lines, json };
  }
  let diagnosis: NotifyDiagnosis;
  try {
    diagnosis = diagnoseNotify(body, options);
  } catch (e) {
    if (!(e instanceof AlipayNotifyError)) throw e;
    lines.push(`  ${err.message}`);
    return { lines, json };
  }
  lines.push(`  ${diagnosis.summary}`);
  for (const f of diagnosis.findings.slice(1)) lines.push(`  · ${f.message}`);
  if (diagnosis.canonical !== null)
    lines.push(
      `  signed string checked (${diagnosis.canonical.charset}, sha256 ${diagnosis.canonical.sha256.slice(0, 16)}…)`,
    );
  lines.push('  (--json prints the whole diagnosis)');
  return { lines, json: { ...json, diagnosis } };
}
