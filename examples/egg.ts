// Egg.js example (Egg 4): an Alipay refund notification endpoint. The app is examples/egg/ (your
// Egg app: app/router.ts mounts the adapter, config/config.default.ts keeps Egg's body parser and
// CSRF check off the notify path); this file starts it in one process with Egg's own `start`, as
// Egg's single-process mode does. Run it with
//   npm run build && node --import tsx examples/egg.ts
// and send it a signed refund with
//   npx alipay-notify send http://127.0.0.1:3000/alipay/notify --key examples/alipay-test-private-key.pem
// The contract every example meets is in examples/README.md.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { start } from 'egg';

const PORT = Number(process.env.PORT ?? 3000);

const app = await start({ baseDir: fileURLToPath(new URL('./egg/', import.meta.url)) });
const server = createServer(app.callback()).listen(PORT, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`listening on http://127.0.0.1:${port}/alipay/notify`);
});
