// Midway example (Midway 4, @midwayjs/koa): an Alipay refund notification endpoint. The app is
// examples/midway-app/configuration.ts (your src/configuration.ts); this file starts it with
// Midway's Bootstrap, as a Midway app's bootstrap.js does. Run it with
//   npm run build && node --import tsx examples/midway.ts
// and send it a signed refund with
//   npx alipay-notify send http://127.0.0.1:3000/alipay/notify --key examples/alipay-test-private-key.pem
// The contract every example meets is in examples/README.md.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Bootstrap } from '@midwayjs/bootstrap';
import { MidwayApplicationManager } from '@midwayjs/core';
import type { Application } from '@midwayjs/koa';

const PORT = Number(process.env.PORT ?? 3000);

// Midway finds configuration.ts in baseDir itself.
const baseDir = fileURLToPath(new URL('./midway-app/', import.meta.url));
const container = await Bootstrap.configure({ baseDir, moduleLoadType: 'esm', logger: false }).run();
const app = (await container.getAsync(MidwayApplicationManager)).getApplication('koa') as unknown as Application;
const server = createServer(app.callback()).listen(PORT, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`listening on http://127.0.0.1:${port}/alipay/notify`);
});
