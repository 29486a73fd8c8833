// The inbox tests' app: test/inbox/inbox-app.ts (Express with the inbox) in processes of its own.
import { fileURLToPath } from 'node:url';
import { startInstance, type Instance } from '../support/child-app.js';

export { handlerStarts, type Delivery } from '../support/child-app.js';
export type App = Instance;

const SCRIPT = fileURLToPath(new URL('./inbox-app.ts', import.meta.url));

/** Starts the merchant's Express app with the inbox as its store. */
export function startApp(name: string, env: Record<string, string>): Promise<App> {
  return startInstance(SCRIPT, name, env);
}
