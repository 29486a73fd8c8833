// The Egg app's config/config.default.ts. Egg's body parser and its CSRF check run before the
// router, so both are told to leave the notify path to the adapter: the parser would consume the
// body the signature is computed over, and Alipay's server-to-server POST carries no CSRF token
// (Egg would answer 403).
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default (appInfo: { name: string }) => ({
  keys: 'example-only-cookie-key', // your app's own secret
  bodyParser: { ignore: ['/alipay/notify'] },
  security: { csrf: { ignore: ['/alipay/notify'] } },
  // Only so that running the example writes nothing into this repository; an app keeps Egg's
  // defaults (./logs and ./run).
  rundir: join(tmpdir(), `${appInfo.name}-run`),
  logger: { dir: join(tmpdir(), `${appInfo.name}-logs`) },
});
