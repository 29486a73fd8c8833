// Deno (the `deno` devDependency's binary) runs the core and the Fetch adapter: Deno.serve on
// loopback, with the permissions the package needs (network on loopback, reading its files, one
// environment variable), resolving its dependencies from node_modules.
import { startChildServer } from './support/child-server.js';
import { describeRuntime } from './support/describe-runtime.js';
import { findRuntime, root } from './support/runtime-binary.js';

const deno = findRuntime('deno');

describeRuntime({
  name: `Deno ${deno.path ? deno.version : ''}`.trim(),
  skip: deno.skip,
  start: (alipayPublicKey) =>
    startChildServer(
      deno.path!,
      [
        'run',
        '--no-lock',
        '--no-prompt',
        '--allow-net=127.0.0.1',
        '--allow-env',
        `--allow-read=${root}`,
        'test/runtimes/fixtures/runtime-app/deno.mjs',
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          ALIPAY_PUBLIC_KEY: alipayPublicKey,
          DENO_NO_UPDATE_CHECK: '1',
          NODE_V8_COVERAGE: undefined,
        },
      },
    ),
  // Deno's crypto.publicDecrypt has no RSA_NO_PADDING, so diagnoseNotify cannot open a signature
  // there and reports every key as not having made it.
  knownDiagnoseGap: (reports) =>
    reports.some((r) => r.name === 'utf-8 tampered' && r.diagnosis.keys.every((k) => k.status === 'bad-padding'))
      ? "Deno's publicDecrypt lacks RSA_NO_PADDING: diagnoseNotify reports the right key as bad-padding (needs a fallback in diagnoseNotify)"
      : undefined,
});
