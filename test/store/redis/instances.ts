// The Redis tests' app: test/store/redis/express-instance.ts in processes of its own.
import { fileURLToPath } from 'node:url';
import { startInstance as startChildApp, type Instance } from '../../support/child-app.js';

export { handlerStarts, type Delivery, type Instance } from '../../support/child-app.js';

const SCRIPT = fileURLToPath(new URL('./express-instance.ts', import.meta.url));

/** Starts an Express instance on the shared Redis store. */
export function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  return startChildApp(SCRIPT, name, env);
}
