// The package as a user gets it: `npm pack` of this repository (built first: `npm test` builds),
// the tarball installed into a fresh project in a temporary directory. Shared by the tests that
// run something from the tarball rather than from the repository.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const PACKAGE_NAME = 'alipay-refund-notify';
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface PackedProject {
  /** The fresh project the tarball is installed in. */
  readonly dir: string;
  /** The tarball, inside `dir`. */
  readonly tarball: string;
  /** The paths the tarball holds (`dist/esm/index.js`, `README.md`, …). */
  readonly files: readonly string[];
  /** The path of a command the install put in `node_modules/.bin`. */
  bin(name: string): string;
  /**
   * Makes packages of this repository's node_modules resolvable from the project by the name an
   * app imports: `{ express: 'express5' }` links `node_modules/express` to the repository's
   * `express5`. The frameworks come from here rather than from the registry: they are the
   * versions the rest of the suite tests, and no network is needed.
   */
  linkFromRepo(links: Record<string, string>): void;
  /** Deletes the project. */
  remove(): void;
}

/**
 * Packs the repository and installs the tarball into a new project (`package.json` with `type`
 * set as given) in a temporary directory whose name starts with `prefix`. The install fetches the
 * package's own dependencies from the npm cache when it has them (`--prefer-offline`).
 */
export function installPackedPackage(prefix: string, type: 'module' | 'commonjs' = 'module'): PackedProject {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    const out = execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: repoRoot, encoding: 'utf8' });
    const [packed] = JSON.parse(out.slice(out.indexOf('['))) as [{ filename: string; files: { path: string }[] }];
    const tarball = join(dir, packed.filename);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `${prefix.replace(/[^a-z]/g, '')}-user`, private: true, type }));
    execFileSync(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--silent', tarball], { cwd: dir, stdio: 'pipe' });
    return {
      dir,
      tarball,
      files: packed.files.map((f) => f.path),
      bin: (name) => join(dir, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name),
      // After the install: npm would prune links it did not make.
      linkFromRepo(links) {
        for (const [name, source] of Object.entries(links)) {
          const at = join(dir, 'node_modules', ...name.split('/'));
          mkdirSync(dirname(at), { recursive: true });
          symlinkSync(realpathSync(join(repoRoot, 'node_modules', ...source.split('/'))), at, 'junction');
        }
      },
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
