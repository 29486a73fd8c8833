// The coverage of src/ for `npm test`: reads the V8 coverage that every process of
// the run wrote to NODE_V8_COVERAGE and turns it into line and branch counts with c8.
// Used by test/run.mjs; kept apart so the counting can be rerun on a saved coverage directory.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The floor for both lines and branches of src/, in percent. */
export const THRESHOLD = { lines: 95, branches: 95 };

/**
 * Counts the coverage of `root`/src from the V8 coverage files in `v8Dirs`, using `work` (an empty
 * directory) for scratch files. Returns c8's (istanbul's) coverage map and the files left out.
 */
export async function measureSrc(root, v8Dirs, work) {
  process.chdir(root); // c8's include/exclude globs are relative to the working directory
  const { Report } = require('c8');
  // Left out, and only these: files that compile to no JavaScript at all (interfaces and types).
  // They never load, so c8 would count their comments and declarations as lines that never ran.
  const typeOnly = typeOnlyFiles(root);
  const direct = join(work, 'v8-direct');
  const bundled = join(work, 'v8-bundled');
  for (const dir of [direct, bundled]) mkdirSync(dir);
  keepSrc(root, v8Dirs, { direct, bundled });
  const options = { extension: ['.ts'], src: [root], reporter: [], omitRelative: true, resolve: '' };
  // src/*.ts as tsx loaded them: most of the suite, in-process and in child processes.
  const map = await Report({
    ...options,
    include: ['src/**/*.ts'],
    exclude: typeOnly,
    tempDirectory: direct,
  }).getCoverageMapFromAllCoverageFiles();
  // The CLI bundle (test/support/cli-harness.ts), only for the files that never loaded on their own:
  // compiled differently, its ranges sit a column or a block apart from tsx's, and merged they
  // would count one branch twice. Filtered after the source map, by the original file.
  const loaded = () => new Set(map.files().map((f) => relative(root, f)));
  const alone = loaded();
  map.merge(
    await Report({
      ...options,
      include: ['src/**/*.ts'],
      exclude: [...typeOnly, ...alone],
      tempDirectory: bundled,
      excludeAfterRemap: true,
    }).getCoverageMapFromAllCoverageFiles(),
  );
  // A file of src/ that no process loaded counts as wholly unrun (c8's `all`). Done apart from the
  // rest, because `all` only knows the files that loaded under their own name, not through a bundle.
  const seen = loaded();
  const unloaded = walk(join(root, 'src'))
    .map((f) => relative(root, f))
    .filter((f) => f.endsWith('.ts') && !typeOnly.includes(f) && !seen.has(f));
  if (unloaded.length > 0) {
    const none = join(work, 'v8-none');
    mkdirSync(none);
    map.merge(
      await Report({
        ...options,
        include: unloaded,
        all: true,
        tempDirectory: none,
      }).getCoverageMapFromAllCoverageFiles(),
    );
  }
  return { map, typeOnly };
}

/** The report printed before the closing line, and whether the totals meet THRESHOLD. */
export function describeCoverage(root, { map, typeOnly }, seconds) {
  const total = map.getCoverageSummary();
  const rows = map
    .files()
    .map((f) => ({ file: relative(root, f), data: map.fileCoverageFor(f) }))
    .map((r) => ({ ...r, summary: r.data.toSummary() }))
    .filter((r) => r.summary.lines.pct < 100 || r.summary.branches.pct < 100)
    .sort((a, b) => a.summary.branches.pct + a.summary.lines.pct - (b.summary.branches.pct + b.summary.lines.pct));
  const pct = (m) => `${m.pct.toFixed(2).padStart(6)}% (${m.covered}/${m.total})`;
  const out = [`Coverage of src/ (${map.files().length} files; counted in ${seconds.toFixed(1)}s)`];
  out.push(`  lines    ${pct(total.lines)}   floor ${THRESHOLD.lines}%`);
  out.push(`  branches ${pct(total.branches)}   floor ${THRESHOLD.branches}%`);
  out.push(`  left out, types only: ${typeOnly.join(', ')}`);
  if (rows.length > 0)
    out.push('  not fully covered:                            lines branches  lines with something unrun');
  for (const r of rows) {
    const unrun = ranges([...r.data.getUncoveredLines().map(Number), ...unrunBranchLines(r.data)]);
    out.push(
      `    ${r.file.padEnd(42)} ${r.summary.lines.pct.toFixed(1).padStart(5)}%  ${r.summary.branches.pct.toFixed(1).padStart(5)}%  ${unrun}`,
    );
  }
  const met = total.lines.pct >= THRESHOLD.lines && total.branches.pct >= THRESHOLD.branches;
  return { met, text: out.join('\n') };
}

/**
 * Copies each process's coverage of src/ only: to `to.direct` the scripts that are src/*.ts (loaded
 * through tsx), to `to.bundled` the bundles whose source map leads back into src/ (the CLI of
 * test/support/cli-harness.ts). The rest (tsx, frameworks, node's internals) is nearly all of the data
 * and none of the answer.
 *
 * A file of src/ runs in two compiled forms: tsx's ESM output, and its CommonJS output in a process
 * that loads it through require() only (Midway's loader does). c8 merges processes' ranges by
 * offset, and the two forms' offsets differ: merged, one form's unrun functions would cover the
 * other's run ones. So each file is counted in the form most processes ran, the other left out.
 */
function keepSrc(root, fromDirs, to) {
  const srcDir = join(root, 'src') + sep;
  const inSrc = (p) => p.startsWith(srcDir) && p.endsWith('.ts');
  const forms = new Map(); // url → (form → how many scripts ran it)
  fromDirs.forEach((fromDir, i) => {
    for (const name of readdirSync(fromDir)) {
      const kept = srcCoverageOf(join(fromDir, name), inSrc);
      if (kept === undefined) continue;
      for (const script of kept.direct.result) {
        const byForm = forms.get(script.url) ?? new Map();
        byForm.set(formOf(script), (byForm.get(formOf(script)) ?? 0) + 1);
        forms.set(script.url, byForm);
      }
      for (const kind of ['direct', 'bundled']) {
        if (kept[kind].result.length > 0) writeFileSync(join(to[kind], `${i}-${name}`), JSON.stringify(kept[kind]));
      }
    }
  });
  const dominant = new Map([...forms].map(([url, byForm]) => [url, mostFrequent(byForm)]));
  // Cut down, the files are small: read again rather than all held in memory at once.
  for (const name of readdirSync(to.direct)) {
    const file = join(to.direct, name);
    const cov = JSON.parse(readFileSync(file, 'utf8'));
    cov.result = cov.result.filter((script) => dominant.get(script.url) === formOf(script));
    writeFileSync(file, JSON.stringify(cov));
  }
}

/** One process's coverage file, cut down to the scripts of src/; `undefined` if it is not one. */
function srcCoverageOf(file, inSrc) {
  let cov;
  try {
    cov = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // not a coverage file
  }
  if (!Array.isArray(cov?.result)) return undefined;
  const maps = cov['source-map-cache'] ?? {};
  const kept = { direct: { result: [], 'source-map-cache': {} }, bundled: { result: [], 'source-map-cache': {} } };
  // A file loaded twice in one process (as ESM, then through require(): Egg's loader does) leaves
  // two scripts under one URL but one source map, which fits only one of them. That process's
  // coverage of such a file is left out; the other processes that load it once still count.
  const seen = new Map();
  for (const script of cov.result) seen.set(script.url, (seen.get(script.url) ?? 0) + 1);
  for (const script of cov.result) {
    if (!script.url.startsWith('file://') || seen.get(script.url) > 1) continue;
    const path = fileURLToPath(script.url);
    const map = maps[script.url]?.data;
    if (inSrc(path)) {
      // tsx (esbuild's keepNames) prepends a `__name` helper to every file it compiles, mapped to
      // line 1: counted, it would add a function and a branch that always run to each file.
      kept.direct.result.push({
        ...script,
        functions: script.functions.filter((fn) => fn.functionName !== '__name'),
      });
      if (map) kept.direct['source-map-cache'][script.url] = maps[script.url];
      continue;
    }
    if (!Array.isArray(map?.sources) || map.sources.length < 2) continue;
    // A bundle: c8 (v8-to-istanbul) filters its sources by the path as written in the map, which
    // esbuild writes relative to the bundle, so each would be left out and its lines counted as
    // run. Written absolute, each source gets its own ranges, branches and unrun lines.
    const sources = map.sources.map((s) =>
      s.startsWith('file://') ? fileURLToPath(s) : resolve(dirname(path), map.sourceRoot ?? '', s),
    );
    if (!sources.some(inSrc)) continue;
    kept.bundled.result.push(script);
    kept.bundled['source-map-cache'][script.url] = {
      ...maps[script.url],
      data: { ...map, sourceRoot: undefined, sources },
    };
  }
  return kept;
}

/** The key counted most (the smallest on a tie, so that the choice does not depend on order). */
function mostFrequent(counts) {
  return [...counts].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0][0];
}

/** A script's compiled form, told apart by its length (the end of its top-level range). */
function formOf(script) {
  return Math.max(...script.functions.flatMap((fn) => fn.ranges.map((r) => r.endOffset)));
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** The files of src/ that compile to nothing but `export {}` (esbuild, which tsx brings). */
function typeOnlyFiles(root) {
  const { transformSync } = require('esbuild');
  return walk(join(root, 'src'))
    .filter((f) => f.endsWith('.ts'))
    .filter(
      (f) =>
        transformSync(readFileSync(f, 'utf8'), { loader: 'ts', format: 'esm' })
          .code.replace(/export\s*\{\s*\};?/g, '')
          .trim() === '',
    )
    .map((f) => relative(root, f))
    .sort();
}

/** Lines holding a branch arm that never ran, so a line that ran only one way shows up too. */
function unrunBranchLines(fileCoverage) {
  const { b, branchMap } = fileCoverage.data;
  const out = [];
  for (const [id, hits] of Object.entries(b)) {
    hits.forEach((n, i) => {
      if (n > 0) return;
      const loc = branchMap[id].locations?.[i] ?? branchMap[id].loc;
      if (loc?.start?.line) out.push(loc.start.line);
    });
  }
  return out;
}

/** `[1, 2, 3, 7]` → `1-3,7`. */
function ranges(nums) {
  const sorted = [...new Set(nums)].sort((a, b) => a - b);
  const out = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    out.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j;
  }
  return out.join(',');
}
