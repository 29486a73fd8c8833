// Ships only the declarations the public entry points need: starting from the .d.ts of every
// `exports` target in package.json, follow relative imports (`from './x.js'`, `import('./x.js')`)
// and delete every other .d.ts under dist/. What is not reachable from an entry point is not API.
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const entries = [];
(function collect(node) {
  if (typeof node === 'string') {
    if (node.endsWith('.d.ts')) entries.push(join(root, node));
  } else if (node !== null && typeof node === 'object') {
    for (const value of Object.values(node)) collect(value);
  }
})([pkg.exports, pkg.typesVersions, pkg.types]);

const keep = new Set();
const pending = [...entries];
while (pending.length > 0) {
  const file = pending.pop();
  if (keep.has(file)) continue;
  keep.add(file);
  const text = readFileSync(file, 'utf8');
  for (const match of text.matchAll(/(?:from\s+|import\()\s*'(\.{1,2}\/[^']+)\.js'/g)) {
    pending.push(join(dirname(file), `${match[1]}.d.ts`));
  }
}

let removed = 0;
(function prune(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) prune(path);
    else if (entry.name.endsWith('.d.ts') && !keep.has(path)) {
      rmSync(path);
      removed++;
    }
  }
})(join(root, 'dist'));
console.log(`declarations: kept ${keep.size}, removed ${removed} not reachable from an entry point`);
