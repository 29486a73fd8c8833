import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importAlipayPublicKey } from '../../crypto/import-public-key.js';
import { generateTestKeyPair, type TestKeyPair } from '../sign-notification.js';
import type { GatewayMethodContext } from './answer-gateway-method.js';
import { createGatewayKeys } from './create-gateway-keys.js';
import { deliverNotification, type DeliverySchedule } from './deliver-notification.js';
import { fenOf, GatewayStore, type FakeTrade } from './gateway-store.js';
import { handleGatewayRequest, type GatewayRequestContext } from './handle-gateway-request.js';
import { recordRefund } from './record-refund.js';
import { signNotificationBody } from './sign-notification-body.js';
import type { PendingFault } from './take-fault.js';

export type { FakeRefund, FakeTrade } from './gateway-store.js';
export type { ResponseStyle } from './response-text.js';
export type {
  FakeAlipayGateway,
  FakeAlipayGatewayOptions,
  FakeDelivery,
  FakeDeliveryAttempt,
  FakeGatewayFault,
  FakeRefundResult,
} from './fake-gateway-types.js';
import type { FakeAlipayGateway, FakeAlipayGatewayOptions } from './fake-gateway-types.js';

/**
 * Starts a fake Alipay OpenAPI gateway on 127.0.0.1 for tests: it checks request signatures with
 * the app public key, keeps trades and refunds in memory (`alipay.trade.query`,
 * `alipay.trade.refund`, `alipay.trade.fastpay.refund.query`, `alipay.trade.close`,
 * `alipay.open.app.alipaycert.download`), signs its answers with its own key or certificate
 * (which it can rotate), answers the error cases on demand, and delivers refund notifications
 * with Alipay's retry schedule (compressed by `timeScale`) until it gets exactly `success`.
 *
 * @example
 * ```ts
 * import { createFakeAlipayGateway } from 'alipay-refund-notify/testing';
 * import { createAlipayClient } from 'alipay-refund-notify/client';
 * const gateway = await createFakeAlipayGateway();
 * const client = createAlipayClient(gateway.clientOptions());
 * const { outTradeNo } = gateway.createTrade({ totalAmount: '100.00' });
 * gateway.refund({ outTradeNo, outRequestNo: 'refund-1', refundAmount: '30.00' });
 * (await client.queryRefund({ outTradeNo, outRequestNo: 'refund-1' })).status; // 'success'
 * await gateway.close();
 * ```
 */
export async function createFakeAlipayGateway(options: FakeAlipayGatewayOptions = {}): Promise<FakeAlipayGateway> {
  const appId = options.appId ?? '2021000000000000';
  const certMode = options.mode === 'certificate';
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0)) throw new TypeError('timeScale must be a positive number');
  const generatedApp: TestKeyPair | undefined = options.appPublicKey === undefined ? generateTestKeyPair() : undefined;
  const appPublicKey = importAlipayPublicKey(options.appPublicKey ?? generatedApp!.publicKey, 'appPublicKey');
  const store = new GatewayStore();
  const calls: { method: string; biz: Record<string, unknown>; signatureValid: boolean }[] = [];
  const faults: PendingFault[] = [];
  const schedule: DeliverySchedule = { timeScale, timers: new Set(), closed: false };
  let downloads = 0;
  const keys = createGatewayKeys(certMode ? 'certificate' : 'key', appId, generatedApp);
  const { ca, appCert, keyPair } = keys;

  // These closures read `gateway` when called: it is assigned below, before any call can arrive.
  const methods: GatewayMethodContext = {
    appId,
    store,
    deliver: (url, fields) => gateway.deliver(url, fields),
    issued: keys.issued,
    countDownload: () => void downloads++,
  };
  const requests: GatewayRequestContext = {
    appId,
    appPublicKey,
    keys,
    calls,
    faults,
    methods,
    responseStyle: () => gateway.responseStyle,
  };
  const server = createServer((req, res) => {
    handleGatewayRequest(req, res, requests).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const tradeOf = (ids: { outTradeNo?: string | undefined; tradeNo?: string | undefined }): FakeTrade | undefined =>
    store.find({ trade_no: ids.tradeNo, out_trade_no: ids.outTradeNo });

  const gateway: FakeAlipayGateway = {
    url: `http://127.0.0.1:${port}/gateway.do`,
    appId,
    app: {
      privateKey: generatedApp?.privateKey,
      publicKey: options.appPublicKey ?? generatedApp!.publicKey,
      cert: appCert,
    },
    alipayPublicKey: keyPair?.publicKey,
    alipayPublicCert: certMode ? keys.issued.values().next().value : undefined,
    alipayRootCert: ca?.rootCert,
    get alipayCertSn() {
      return keys.signer.sn;
    },
    responseStyle: options.responseStyle ?? 'compact',
    calls,
    get downloads() {
      return downloads;
    },
    clientOptions() {
      if (generatedApp === undefined)
        throw new TypeError('clientOptions() needs the generated app key: do not pass appPublicKey');
      const base = { appId, privateKey: generatedApp.privateKey, gateway: gateway.url };
      return certMode
        ? { ...base, alipayPublicCert: gateway.alipayPublicCert!, appCert: appCert!, alipayRootCert: ca!.rootCert }
        : { ...base, alipayPublicKey: keyPair!.publicKey };
    },
    createTrade(t) {
      const totalFen = fenOf(t.totalAmount);
      if (!(totalFen > 0)) throw new TypeError('totalAmount must be a positive yuan amount');
      const trade = store.add({ ...t, totalFen });
      return { tradeNo: trade.tradeNo, outTradeNo: trade.outTradeNo };
    },
    refund(r) {
      const trade = tradeOf(r);
      if (trade === undefined) throw new TypeError('no such trade');
      const fen = fenOf(r.refundAmount);
      if (!(fen > 0) || store.refundedFen(trade) + fen > trade.totalFen)
        throw new TypeError('refundAmount must be positive and within what is left to refund');
      return recordRefund(methods, trade, {
        outRequestNo: r.outRequestNo,
        amountFen: fen,
        outcome: r.outcome ?? 'success',
        depositBack: r.depositBack ?? false,
      });
    },
    tradeStatus: (ids) => tradeOf(ids)?.status,
    injectFault(fault, o = {}) {
      faults.push({ fault, method: o.method, times: o.times ?? 1 });
    },
    rotateCertificate: (o = {}) => keys.rotate(o),
    sign: (fields) => signNotificationBody(keys.signer, fields),
    deliver: (url, fields) => deliverNotification(url, gateway.sign(fields), schedule),
    async close() {
      schedule.closed = true;
      for (const t of schedule.timers) clearTimeout(t);
      schedule.timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return gateway;
}
