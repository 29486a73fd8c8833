// Finds a runtime's binary where its npm package installs it: `bun`, `deno` and `workerd` are
// devDependencies whose platform packages carry the binaries (node_modules/.bin after their
// postinstall scripts; the platform package itself if those did not run), and checks it runs.
// With ALIPAY_NOTIFY_TEST_RUNTIMES=required (.ci/run sets it) a missing binary is a failure, not a skip.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../../', import.meta.url));

export type RuntimeBinary = { path: string; version: string; skip?: undefined } | { skip: string; path?: undefined };

const os = process.platform;
const x64 = process.arch === 'x64';
const PLATFORM_BINARIES = {
  bun: `@oven/bun-${os}-${x64 ? 'x64' : 'aarch64'}/bin/bun`,
  deno: `@deno/${os}-${x64 ? 'x64' : 'arm64'}-glibc/deno`,
  workerd: `@cloudflare/workerd-${os}-${x64 ? '64' : 'arm64'}/bin/workerd`,
};

function runs(name: string, path: string): string | Error {
  try {
    const out = execFileSync(path, ['--version'], {
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DO_NOT_TRACK: '1', DENO_NO_UPDATE_CHECK: '1' },
    });
    // `1.4.5`, `deno 2.9.6 (stable, …)`, `workerd 2026-11-23`: the version alone.
    return out
      .trim()
      .replace(new RegExp(`^${name}\\s+`), '')
      .split(/\s/)[0]!;
  } catch (err) {
    return err as Error;
  }
}

/** The binary and its version, or why the tests that need it are skipped. */
export function findRuntime(name: keyof typeof PLATFORM_BINARIES): RuntimeBinary {
  const candidates = [`${root}node_modules/.bin/${name}`, `${root}node_modules/${PLATFORM_BINARIES[name]}`].filter(
    (p) => existsSync(p),
  );
  const problems: string[] = [];
  for (const path of candidates) {
    const version = runs(name, path);
    if (typeof version === 'string') return { path, version };
    problems.push(version.message.split('\n')[0]!);
  }
  const skip =
    candidates.length === 0
      ? `${name} is not installed (the "${name}" devDependency: npm ci installs it)`
      : `${name} does not run on this machine (${problems.join('; ')})`;
  return { skip: unavailable(skip) };
}

/** The reason to skip a test whose tool is missing; throws instead when CI requires the tools. */
export function unavailable(reason: string): string {
  if (process.env['ALIPAY_NOTIFY_TEST_RUNTIMES'] === 'required')
    throw new Error(`ALIPAY_NOTIFY_TEST_RUNTIMES=required, but ${reason}`);
  return reason;
}
