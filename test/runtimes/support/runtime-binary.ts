// Finds a runtime's binary where its npm package installs it (node_modules/.bin: `bun`, `deno`,
// `workerd` are devDependencies whose platform packages carry the binaries), and checks it runs.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../../', import.meta.url));

export type RuntimeBinary = { path: string; version: string; skip?: undefined } | { skip: string; path?: undefined };

/** The binary and its version, or why the tests that need it are skipped. */
export function findRuntime(name: 'bun' | 'deno' | 'workerd'): RuntimeBinary {
  const path = `${root}node_modules/.bin/${name}`;
  if (!existsSync(path)) return { skip: `${name} is not installed (the "${name}" devDependency: npm ci installs it)` };
  try {
    const version = execFileSync(path, ['--version'], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, DO_NOT_TRACK: '1', DENO_NO_UPDATE_CHECK: '1' } }).trim();
    return { path, version: version.split('\n')[0]! };
  } catch (err) {
    return { skip: `${name} does not run on this machine (${(err as Error).message.split('\n')[0]})` };
  }
}
