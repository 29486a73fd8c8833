// The Express adapter against Express 4 and 5 (installed side by side as npm aliases).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import express4 from 'express4';
import express5 from 'express5';
import { createExpressHandler } from '../../src/adapters/express.js';
import { ALIPAY_PUBLIC_KEY, APP_ID, describeAdapter, refund, type Target } from './support/adapter-cases.js';
import { listen, NOTIFY_PATH, post } from './support/http.js';

type Express = typeof express5;

function expressTarget(name: string, express: Express, globalParser: Target['globalParser']): Target {
  return {
    name,
    globalParser,
    async start(options, setup = {}) {
      const app = express();
      if (setup.globalParser) app.use(express.urlencoded({ extended: false }));
      app.post(NOTIFY_PATH, createExpressHandler(options));
      return listen(createServer(app));
    },
  };
}

// Express 4's body-parser refuses Alipay's malformed Content-Type (https://github.com/expressjs/body-parser/issues/137) and leaves the
// stream alone; Express 5's (body-parser 2) accepts it and consumes the body, so the adapter must
// say how to mount it.
describeAdapter(expressTarget('Express 4', express4, { alipayHeader: 'success', standardHeader: 'already_parsed' }));
describeAdapter(
  expressTarget('Express 5', express5, { alipayHeader: 'already_parsed', standardHeader: 'already_parsed' }),
);

for (const [name, express] of [
  ['Express 4', express4],
  ['Express 5', express5],
] as const) {
  test(`${name}: a raw Buffer captured by express.urlencoded({ verify }) or express.raw() is reused`, async () => {
    const { body } = refund();
    const seen: string[] = [];
    const app = express();
    const options = {
      alipayPublicKey: ALIPAY_PUBLIC_KEY,
      appId: APP_ID,
      onRefund: (n: { notifyId: string }) => void seen.push(n.notifyId),
      onNotification: 'retry' as const,
    };
    app.post(
      '/captured',
      express.urlencoded({
        extended: false,
        verify: (req, _res, buf) => ((req as unknown as { rawBody: Buffer }).rawBody = buf),
      }),
      createExpressHandler(options),
    );
    app.post('/raw', express.raw({ type: () => true }), createExpressHandler(options));
    const server = await listen(createServer(app));
    try {
      const captured = await post(server.url, body, {
        path: '/captured',
        contentType: 'application/x-www-form-urlencoded',
      });
      assert.equal(captured.text, 'success');
      const raw = await post(server.url, refund().body, { path: '/raw' });
      assert.equal(raw.text, 'success');
    } finally {
      await server.close();
    }
    assert.equal(seen.length, 2);
  });
}
