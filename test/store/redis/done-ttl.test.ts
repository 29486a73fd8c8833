// Done marks in Redis outlive the adapters' freshness window: a notification is refused by its
// age (ERR_NOTIFY_EXPIRED) before its mark can expire, so that an old genuine body replayed later
// never runs the handler again. Through the core every adapter shares, with both client kinds.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { createNotifyRequestHandler } from '../../../src/adapters/handle-notify-request.js';
import { createRedisStore } from '../../../src/store/redis-store.js';
import { buildRefundFields, generateTestKeyPair, signNotification } from '../../../src/testing/index.js';
import { DEFAULT_MAX_NOTIFY_AGE_MS, MAX_FUTURE_SKEW_MS } from '../../../src/verifier/check-freshness.js';
import { CLIENT_KINDS, REDIS_URL, SKIP_NO_URL, connect, uniquePrefix, type TestClient } from './redis-env.js';

const APP_ID = '2021000000000000';
const HOUR = 3600_000;
const alipay = generateTestKeyPair();
const clients: TestClient[] = [];
after(async () => {
  await Promise.all(clients.map((c) => c.close()));
});

for (const kind of CLIENT_KINDS) {
  test(
    `${kind}: the done mark's TTL covers maxNotifyAgeMs + 5 minutes, for the default and a merchant's own window`,
    { skip: SKIP_NO_URL },
    async () => {
      const raw = await connect(kind, REDIS_URL!);
      clients.push(raw);
      for (const maxNotifyAgeMs of [undefined, 72 * HOUR]) {
        const prefix = uniquePrefix();
        const core = createNotifyRequestHandler({
          alipayPublicKey: alipay.publicKeyBase64,
          appId: APP_ID,
          store: createRedisStore({ client: raw.client, prefix }),
          onRefund: () => undefined,
          onNotification: 'retry',
          logger: false,
          ...(maxNotifyAgeMs === undefined ? {} : { maxNotifyAgeMs }),
        });
        const { body, fields } = signNotification(buildRefundFields('partial', { appId: APP_ID }), {
          privateKey: alipay.privateKey,
        });
        assert.deepEqual(await core.handle(body, undefined), { status: 200, body: 'success' });
        const pttl = Number(await raw.command('PTTL', `${prefix}${fields['notify_id']}`));
        const window = (maxNotifyAgeMs ?? DEFAULT_MAX_NOTIFY_AGE_MS) + MAX_FUTURE_SKEW_MS;
        assert.ok(pttl > window, `PTTL ${pttl} outlives the freshness window ${window}`);
      }
    },
  );
}
