// A compact reporter for node:test: one line per test, every failed test again with its error at
// the end, and the closing line `N passed, N failed, N skipped` that CI reads. Under test/run.mjs
// (ALIPAY_NOTIFY_TEST_COUNTS set) the counts go to that file instead, and run.mjs prints the closing
// line after the coverage report, counting a failed coverage gate as one more failure.
import { writeFileSync } from 'node:fs';

export default async function* reporter(source) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const failures = [];
  for await (const event of source) {
    const { type, data } = event;
    if (type === 'test:pass' || type === 'test:fail') {
      if (data.details?.type === 'suite') {
        if (type === 'test:fail' && data.details?.error?.failureType !== 'subtestsFailed') {
          failed++;
          failures.push(data);
        }
        continue;
      }
      if (data.skip || data.todo) skipped++;
      else if (type === 'test:pass') passed++;
      else {
        failed++;
        failures.push(data);
      }
      const mark = data.skip || data.todo ? '-' : type === 'test:pass' ? '✔' : '✖';
      yield `${'  '.repeat(data.nesting)}${mark} ${data.name}${data.skip ? ` # SKIP ${typeof data.skip === 'string' ? data.skip : ''}` : ''} (${Math.round(data.details?.duration_ms ?? 0)}ms)\n`;
    } else if (type === 'test:diagnostic' && data.nesting > 0) {
      yield `${'  '.repeat(data.nesting)}# ${data.message}\n`;
    } else if (type === 'test:stderr' || type === 'test:stdout') {
      yield data.message;
    }
  }
  for (const f of failures) {
    const err = f.details?.error;
    const cause = err?.cause ?? err;
    yield `\n✖ FAILED: ${f.name} (${f.file ?? ''})\n${cause?.stack ?? cause?.message ?? String(cause)}\n`;
  }
  const countsFile = process.env.ALIPAY_NOTIFY_TEST_COUNTS;
  if (countsFile) writeFileSync(countsFile, JSON.stringify({ passed, failed, skipped }));
  else yield `\n${passed} passed, ${failed} failed, ${skipped} skipped\n`;
}
