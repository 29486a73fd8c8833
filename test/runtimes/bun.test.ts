// Bun (the `bun` devDependency's binary) runs the core and the Fetch adapter: Bun.serve on loopback.
import { startChildServer } from './support/child-server.js';
import { describeRuntime } from './support/describe-runtime.js';
import { findRuntime, root } from './support/runtime-binary.js';

const bun = findRuntime('bun');

describeRuntime({
  name: `Bun ${bun.path ? bun.version : ''}`.trim(),
  skip: bun.skip,
  start: (alipayPublicKey) =>
    startChildServer(bun.path!, ['--no-install', 'test/runtimes/fixtures/runtime-app/bun.mjs'], {
      cwd: root,
      env: { ...process.env, ALIPAY_PUBLIC_KEY: alipayPublicKey, DO_NOT_TRACK: '1', NODE_V8_COVERAGE: undefined },
    }),
});
