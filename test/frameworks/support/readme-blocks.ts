// The ```ts blocks of README sections, with where they are: read by the test that compiles them
// (readme-snippets.test.ts) and by the one that runs the recipes from the packed tarball
// (test/package/recipes-from-tarball.test.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const README = fileURLToPath(new URL('../../../README.md', import.meta.url));

export interface ReadmeBlock {
  /** The `## ` section it is in. */
  section: string;
  /** The `### ` heading above it in that section, if any. */
  heading: string | undefined;
  /** The file the block's first line names (`// app/router.ts`), if it names one. */
  named: string | undefined;
  code: string;
  /** The README line of the block's first line of code. */
  line: number;
  /** Preceded by `<!-- ts-fragment -->`: it leaves something to the reader. */
  fragment: boolean;
}

/** Every ```ts block of the `## ` sections named, in README order. */
export function readmeBlocks(sections: readonly string[]): ReadmeBlock[] {
  const readme = readFileSync(README, 'utf8');
  const blocks: ReadmeBlock[] = [];
  for (const section of sections) {
    const start = readme.indexOf(`\n${section}\n`);
    assert.ok(start >= 0, `README has "${section}"`);
    const end = readme.indexOf('\n## ', start + section.length + 2);
    const text = readme.slice(start, end < 0 ? undefined : end);
    for (const m of text.matchAll(/(<!-- ts-fragment -->\n)?```ts\n([\s\S]*?)```/g)) {
      const code = m[2]!;
      const headings = [...text.slice(0, m.index).matchAll(/^### (.+)$/gm)];
      blocks.push({
        section,
        heading: headings.at(-1)?.[1],
        named: /^\/\/ ([\w./-]+\.ts)\b/.exec(code)?.[1],
        code,
        line: readme.slice(0, start + m.index).split('\n').length + 1 + (m[1] ? 1 : 0),
        fragment: m[1] !== undefined,
      });
    }
  }
  return blocks;
}
