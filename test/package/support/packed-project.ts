// The package as a user gets it: `npm pack` of this repository (built first: `npm test` builds),
// the tarball installed into a fresh project in a temporary directory. Shared by the tests that
// run something from the tarball rather than from the repository.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
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

export interface PackOptions {
  /** The project's `package.json` `type` (default `module`). */
  readonly type?: 'module' | 'commonjs';
  /**
   * How the tarball gets into the project. `npm` (default): `npm install <tarball>`, which fetches
   * the package's own dependencies from the npm cache when it has them (`--prefer-offline`) or the
   * registry, as a user's install does. `unpacked`: the tarball is extracted where npm puts it
   * (`node_modules/alipay-refund-notify`, its bin linked into `node_modules/.bin`), and its
   * dependencies are linked from this repository's node_modules: no network, and faster.
   */
  readonly install?: 'npm' | 'unpacked';
}

/**
 * Packs the repository and puts the tarball into a new project in a temporary directory whose
 * name starts with `prefix`.
 */
export function installPackedPackage(prefix: string, options: PackOptions = {}): PackedProject {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    const out = execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    const [packed] = JSON.parse(out.slice(out.indexOf('['))) as [{ filename: string; files: { path: string }[] }];
    const tarball = join(dir, packed.filename);
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: `${prefix.replace(/[^a-z]/g, '')}-user`, private: true, type: options.type ?? 'module' }),
    );
    const linkFromRepo = (links: Record<string, string>): void => {
      for (const [name, source] of Object.entries(links)) {
        const at = join(dir, 'node_modules', ...name.split('/'));
        mkdirSync(dirname(at), { recursive: true });
        symlinkSync(realpathSync(join(repoRoot, 'node_modules', ...source.split('/'))), at, 'junction');
      }
    };
    if (options.install === 'unpacked') unpack(tarball, dir, linkFromRepo);
    else
      execFileSync(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', '--silent', tarball], {
        cwd: dir,
        stdio: 'pipe',
      });
    return {
      dir,
      tarball,
      files: packed.files.map((f) => f.path),
      bin: (name) => join(dir, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name),
      // After the install: npm would prune links it did not make.
      linkFromRepo,
      remove: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** What `npm install <tarball>` lays out, from the tarball itself and this repository's dependencies. */
function unpack(tarball: string, dir: string, linkFromRepo: (links: Record<string, string>) => void): void {
  const at = join(dir, 'node_modules', PACKAGE_NAME);
  mkdirSync(at, { recursive: true });
  // npm's tarballs hold everything under `package/`.
  execFileSync('tar', ['-xzf', tarball, '-C', at, '--strip-components=1']);
  const manifest = JSON.parse(readFileSync(join(at, 'package.json'), 'utf8')) as {
    bin?: Record<string, string>;
    dependencies?: Record<string, string>;
  };
  linkFromRepo(Object.fromEntries(Object.keys(manifest.dependencies ?? {}).map((name) => [name, name])));
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  for (const [name, target] of Object.entries(manifest.bin ?? {})) {
    chmodSync(join(at, target), 0o755);
    symlinkSync(relative(join(dir, 'node_modules', '.bin'), join(at, target)), join(dir, 'node_modules', '.bin', name));
  }
}
