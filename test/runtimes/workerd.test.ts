// workerd, the Cloudflare Workers runtime (the `workerd` devDependency's binary), runs the core
// and the Fetch adapter as a Worker with the `nodejs_compat` flag
// (https://developers.cloudflare.com/workers/runtime-apis/nodejs/). The Worker is bundled with
// esbuild, as wrangler bundles one; the CommonJS dependencies' require('crypto') and the like
// become imports of the `node:` modules workerd provides, which is what wrangler does too.
import { builtinModules } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { build, type Plugin } from 'esbuild';
import { freePort, startChildServer } from './support/child-server.js';
import { describeRuntime } from './support/describe-runtime.js';
import { findRuntime, root } from './support/runtime-binary.js';

const workerd = findRuntime('workerd');
const dir = mkdtempSync(join(tmpdir(), 'arn-workerd-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// `require('crypto')` in a CommonJS dependency → `import * as m from 'node:crypto'`.
const NODE_BUILTINS = new RegExp(`^(${builtinModules.filter((m) => !m.startsWith('_')).join('|')})$`);
const nodeBuiltins: Plugin = {
  name: 'node-builtins',
  setup(b) {
    b.onResolve({ filter: NODE_BUILTINS }, (args) => ({ path: args.path, namespace: 'node-builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'node-builtin' }, (args) => ({
      contents: `import * as m from 'node:${args.path}'; export default m.default ?? m; export * from 'node:${args.path}';`,
      loader: 'js',
    }));
  },
};

async function bundleWorker(alipayPublicKey: string, port: number): Promise<string> {
  await build({
    entryPoints: [join(root, 'test/runtimes/fixtures/runtime-app/workerd.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: join(dir, 'worker.mjs'),
    plugins: [nodeBuiltins],
    logLevel: 'error',
  });
  // https://github.com/cloudflare/workerd/blob/main/src/workerd/server/workerd.capnp
  const config = join(dir, 'config.capnp');
  writeFileSync(
    config,
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker.mjs", esModule = embed "worker.mjs") ],
  compatibilityDate = "2025-06-01",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [ (name = "ALIPAY_PUBLIC_KEY", text = ${JSON.stringify(alipayPublicKey)}) ],
);
`,
  );
  return config;
}

describeRuntime({
  name: `workerd ${workerd.path ? workerd.version : ''}`.trim(),
  skip: workerd.skip,
  async start(alipayPublicKey) {
    const port = await freePort();
    const config = await bundleWorker(alipayPublicKey, port);
    return startChildServer(workerd.path!, ['serve', config], {
      cwd: dir,
      env: { ...process.env, NODE_V8_COVERAGE: undefined },
      port,
    });
  },
});
