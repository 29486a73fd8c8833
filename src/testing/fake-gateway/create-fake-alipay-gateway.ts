import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ALIPAY_RETRY_INTERVALS_MS } from '../retry-schedule.js';
import { postNotification, type PostOutcome } from '../post-notification.js';
import { certificateSnOfPem } from '../../crypto/certificates.js';
import { importAlipayPublicKey } from '../../crypto/import-public-key.js';
import { signContent } from '../../crypto/sign.js';
import { decodeSignature, verifyRsaSignature } from '../../crypto/verify-rsa.js';
import { requestSignContent } from '../../client/request-params.js';
import { buildRefundFields } from '../build-notification-fields.js';
import { beijing } from '../field-helpers.js';
import {
  createTestCertificateAuthority,
  signNotificationWithCertificate,
  type TestCertificateAuthority,
} from '../generate-test-certificates.js';
import { generateTestKeyPair, signNotification, type TestKeyPair } from '../sign-notification.js';
import { fenOf, GatewayStore, yuan, type FakeRefund, type FakeTrade } from './gateway-store.js';
import { envelopeText, jsonText } from './response-text.js';

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
import type {
  FakeAlipayGateway,
  FakeAlipayGatewayOptions,
  FakeGatewayFault,
  FakeRefundResult,
} from './fake-gateway-types.js';

interface Signer {
  readonly privateKey: string;
  readonly sn: string | undefined;
  readonly cert: string | undefined;
}

const ACQ_SYSTEM_ERROR = { code: '40004', msg: 'Business Failed', sub_code: 'ACQ.SYSTEM_ERROR', sub_msg: '系统错误' };
const UNAVAILABLE = {
  code: '20000',
  msg: 'Service Currently Unavailable',
  sub_code: 'isp.unknow-error',
  sub_msg: '系统繁忙',
};
const business = (subCode: string, subMsg: string): Record<string, string> => ({
  code: '40004',
  msg: 'Business Failed',
  sub_code: subCode,
  sub_msg: subMsg,
});

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

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
  const faults: { fault: FakeGatewayFault; method: string | undefined; times: number }[] = [];
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let downloads = 0;
  let closed = false;

  // Certificate mode: one root, the app's certificate and the first "Alipay" certificate under it.
  let ca: TestCertificateAuthority | undefined;
  let appCert: string | undefined;
  let signer: Signer;
  const issued = new Map<string, string>();
  let keyPair: TestKeyPair | undefined;
  if (certMode) {
    ca = createTestCertificateAuthority();
    const first = ca.issue('Test Alipay Notify Certificate');
    issued.set(first.sn, first.cert);
    signer = { privateKey: first.privateKey, sn: first.sn, cert: first.cert };
    if (generatedApp !== undefined) {
      // The app certificate carries the app's own key, issued by the same root.
      appCert = ca.issue(`Test App ${appId}`).cert;
    }
  } else {
    keyPair = generateTestKeyPair();
    signer = { privateKey: keyPair.privateKey, sn: undefined, cert: undefined };
  }
  const appCertSn = appCert === undefined ? undefined : certificateSnOfPem(appCert);

  const takeFault = (method: string): FakeGatewayFault | undefined => {
    const i = faults.findIndex((f) => f.method === undefined || f.method === method);
    if (i < 0) return undefined;
    const f = faults[i]!;
    if (--f.times <= 0) faults.splice(i, 1);
    return f.fault;
  };

  const respond = (
    res: ServerResponse,
    method: string,
    body: Readonly<Record<string, unknown>>,
    fault?: FakeGatewayFault,
    asError = false,
  ): void => {
    const style = gateway.responseStyle;
    const key = asError ? 'error_response' : `${method.replaceAll('.', '_')}_response`;
    let inner = jsonText(body, style);
    const signWith = fault === 'wrong-key' ? generateTestKeyPair().privateKey : signer.privateKey;
    const sign = signContent('RSA2', Buffer.from(inner, 'utf8'), { privateKey: signWith });
    if (fault === 'tampered') inner = inner.replace('{', '{"refund_status":"REFUND_SUCCESS",');
    if (fault === 'respaced') inner = inner.replace('{', '{ ');
    const extra: [string, string][] = [];
    if (signer.sn !== undefined) extra.push(['alipay_cert_sn', signer.sn]);
    if (fault !== 'unsigned' && !asError) extra.push(['sign', sign]);
    let text = envelopeText(key, inner, extra, style);
    if (fault === 'duplicate')
      text = text.replace(
        /\}\s*$/,
        `,${JSON.stringify(key)}:${inner.replace('{', '{"refund_status":"REFUND_SUCCESS",')}}`,
      );
    res.writeHead(200, { 'content-type': 'text/html;charset=utf-8' });
    res.end(text);
  };

  const notificationFields = (trade: FakeTrade, refund: FakeRefund): Record<string, string> => {
    const refunded = store.refundedFen(trade);
    const full = refunded >= trade.totalFen;
    return buildRefundFields(full ? 'full' : 'partial', {
      appId,
      overrides: {
        trade_no: trade.tradeNo,
        out_trade_no: trade.outTradeNo,
        out_biz_no: refund.outRequestNo,
        total_amount: yuan(trade.totalFen),
        receipt_amount: yuan(trade.totalFen),
        buyer_pay_amount: yuan(trade.totalFen),
        invoice_amount: yuan(trade.totalFen),
        fund_bill_list: `[{"amount":"${yuan(trade.totalFen)}","fundChannel":"ALIPAYACCOUNT"}]`,
        refund_fee: yuan(refunded),
        gmt_refund: beijing(refund.at, true),
      },
    });
  };

  const doRefund = (
    trade: FakeTrade,
    outRequestNo: string,
    amountFen: number,
    outcome: 'success' | 'failed',
    depositBack: boolean,
  ): FakeRefundResult => {
    const refund: FakeRefund = { outRequestNo, amountFen, outcome, at: new Date(), depositBack };
    trade.refunds.set(outRequestNo, refund);
    if (outcome === 'failed') return { refund, delivery: undefined };
    const full = store.refundedFen(trade) >= trade.totalFen;
    if (full) trade.status = 'TRADE_CLOSED';
    const notify = trade.notifyUrl !== undefined && (!full || trade.notifyFullRefund);
    return {
      refund,
      delivery: notify ? gateway.deliver(trade.notifyUrl, notificationFields(trade, refund)) : undefined,
    };
  };

  const handlers: Record<string, (biz: Record<string, unknown>) => { body: Record<string, unknown> }> = {
    'alipay.trade.query'(biz) {
      const t = store.find(biz);
      if (t === undefined) return { body: business('ACQ.TRADE_NOT_EXIST', '交易不存在') };
      return {
        body: {
          code: '10000',
          msg: 'Success',
          trade_no: t.tradeNo,
          out_trade_no: t.outTradeNo,
          buyer_logon_id: 'tes***@example.com',
          trade_status: t.status,
          total_amount: yuan(t.totalFen),
          receipt_amount: yuan(t.status === 'WAIT_BUYER_PAY' ? 0 : t.totalFen),
          buyer_pay_amount: yuan(t.status === 'WAIT_BUYER_PAY' ? 0 : t.totalFen),
          send_pay_date: beijing(t.paidAt),
        },
      };
    },
    'alipay.trade.refund'(biz) {
      const t = store.find(biz);
      if (t === undefined) return { body: business('ACQ.TRADE_NOT_EXIST', '交易不存在') };
      const fen = fenOf(biz['refund_amount']);
      const outRequestNo = typeof biz['out_request_no'] === 'string' ? biz['out_request_no'] : t.outTradeNo;
      if (!(fen > 0)) return { body: business('ACQ.INVALID_PARAMETER', '参数无效') };
      const again = t.refunds.get(outRequestNo);
      if (again === undefined) {
        if (t.status !== 'TRADE_SUCCESS') return { body: business('ACQ.TRADE_STATUS_ERROR', '交易状态不合法') };
        if (store.refundedFen(t) + fen > t.totalFen)
          return { body: business('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限') };
        doRefund(t, outRequestNo, fen, 'success', false);
      }
      return {
        body: {
          code: '10000',
          msg: 'Success',
          trade_no: t.tradeNo,
          out_trade_no: t.outTradeNo,
          buyer_logon_id: 'tes***@example.com',
          fund_change: again === undefined ? 'Y' : 'N',
          refund_fee: yuan(store.refundedFen(t)),
          gmt_refund_pay: beijing(new Date()),
        },
      };
    },
    'alipay.trade.fastpay.refund.query'(biz) {
      const t = store.find(biz);
      if (t === undefined) return { body: business('ACQ.TRADE_NOT_EXIST', '交易不存在') };
      const r = typeof biz['out_request_no'] === 'string' ? t.refunds.get(biz['out_request_no']) : undefined;
      // No refund_status: the refund request was not received, or it failed.
      if (r === undefined || r.outcome === 'failed') return { body: { code: '10000', msg: 'Success' } };
      const options = Array.isArray(biz['query_options']) ? (biz['query_options'] as unknown[]) : [];
      const body: Record<string, unknown> = {
        code: '10000',
        msg: 'Success',
        trade_no: t.tradeNo,
        out_trade_no: t.outTradeNo,
        out_request_no: r.outRequestNo,
        total_amount: yuan(t.totalFen),
        refund_amount: yuan(r.amountFen),
        refund_status: 'REFUND_SUCCESS',
      };
      if (options.includes('gmt_refund_pay')) body['gmt_refund_pay'] = beijing(r.at, true).slice(0, 19);
      if (options.includes('deposit_back_info')) {
        body['deposit_back_info'] = r.depositBack
          ? {
              has_deposit_back: 'true',
              dback_status: 'S',
              dback_amount: yuan(r.amountFen),
              bank_ack_time: beijing(r.at),
              est_bank_receipt_time: beijing(new Date(r.at.getTime() + 86_400_000)),
            }
          : { has_deposit_back: 'false' };
      }
      return { body };
    },
    'alipay.trade.close'(biz) {
      const t = store.find(biz);
      if (t === undefined) return { body: business('ACQ.TRADE_NOT_EXIST', '交易不存在') };
      if (t.status !== 'WAIT_BUYER_PAY') return { body: business('ACQ.TRADE_STATUS_ERROR', '交易状态不合法') };
      t.status = 'TRADE_CLOSED';
      return { body: { code: '10000', msg: 'Success', trade_no: t.tradeNo, out_trade_no: t.outTradeNo } };
    },
    'alipay.open.app.alipaycert.download'(biz) {
      downloads++;
      const pem = typeof biz['alipay_cert_sn'] === 'string' ? issued.get(biz['alipay_cert_sn']) : undefined;
      if (pem === undefined) return { body: business('CERT_NOT_EXIST', '证书不存在') };
      return {
        body: { code: '10000', msg: 'Success', alipay_cert_content: Buffer.from(pem, 'utf8').toString('base64') },
      };
    },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const params: Record<string, string> = {};
    for (const [k, v] of url.searchParams) params[k] = v;
    for (const [k, v] of new URLSearchParams(await readBody(req))) params[k] = v;
    const method = params['method'] ?? '';
    let biz: Record<string, unknown> = {};
    try {
      const parsed = JSON.parse(params['biz_content'] ?? '{}') as unknown;
      if (parsed !== null && typeof parsed === 'object') biz = parsed as Record<string, unknown>;
    } catch {
      // An unreadable biz_content is answered as a missing parameter below.
    }
    const sign = params['sign'];
    const signatureValid =
      sign !== undefined &&
      verifyRsaSignature('sha256', Buffer.from(requestSignContent(params), 'utf8'), decodeSignature(sign), [
        appPublicKey,
      ]) === 0;
    calls.push({ method, biz, signatureValid });
    const fault = takeFault(method);
    if (fault === 'reset') return void req.socket.destroy();
    if (fault === 'hang') return;
    if (fault === 'http-error') {
      res.writeHead(502, { 'content-type': 'text/html' });
      return void res.end('<html><body>502 Bad Gateway</body></html>');
    }
    if (fault === 'garbage') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return void res.end('<html><body>系统繁忙</body></html>');
    }
    // Errors Alipay cannot tie to an app come unsigned under error_response. `format` is optional
    // (JSON is the only one), and the official Node SDK leaves it out.
    if (params['app_id'] !== appId)
      return respond(
        res,
        method,
        { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-app-id', sub_msg: '无效的AppID参数' },
        undefined,
        true,
      );
    const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
    if (handler === undefined)
      return respond(
        res,
        method,
        { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-method', sub_msg: '不存在的方法名' },
        undefined,
        true,
      );
    if (
      !signatureValid ||
      params['sign_type'] !== 'RSA2' ||
      params['charset'] !== 'utf-8' ||
      (params['format'] ?? 'JSON') !== 'JSON' ||
      params['version'] !== '1.0' ||
      !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(params['timestamp'] ?? '')
    ) {
      return respond(
        res,
        method,
        { code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature', sub_msg: '验签出错' },
        fault,
      );
    }
    if (certMode && (params['app_cert_sn'] !== appCertSn || params['alipay_root_cert_sn'] !== ca!.rootCertSn)) {
      return respond(
        res,
        method,
        {
          code: '40002',
          msg: 'Invalid Arguments',
          sub_code: 'isv.app-cert-sn-mismatch',
          sub_msg: '应用公钥证书序列号不匹配',
        },
        fault,
      );
    }
    if (fault === 'system-error') return respond(res, method, ACQ_SYSTEM_ERROR);
    if (fault === 'unavailable') return respond(res, method, UNAVAILABLE);
    respond(res, method, handler(biz).body, fault);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
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
    alipayPublicCert: certMode ? issued.values().next().value : undefined,
    alipayRootCert: ca?.rootCert,
    get alipayCertSn() {
      return signer.sn;
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
      return doRefund(trade, r.outRequestNo, fen, r.outcome ?? 'success', r.depositBack ?? false);
    },
    tradeStatus: (ids) => tradeOf(ids)?.status,
    injectFault(fault, o = {}) {
      faults.push({ fault, method: o.method, times: o.times ?? 1 });
    },
    rotateCertificate(o = {}) {
      if (ca === undefined) throw new TypeError('rotateCertificate() needs mode: certificate');
      const issuer = o.trusted === false ? createTestCertificateAuthority() : ca;
      const next = issuer.issue(
        'Test Alipay Notify Certificate',
        o.validTo === undefined ? {} : { validTo: o.validTo },
      );
      issued.set(next.sn, next.cert);
      signer = { privateKey: next.privateKey, sn: next.sn, cert: next.cert };
      return { sn: next.sn, cert: next.cert };
    },
    sign(fields) {
      const signed =
        signer.sn === undefined
          ? signNotification(fields, { privateKey: signer.privateKey })
          : signNotificationWithCertificate(fields, { privateKey: signer.privateKey, alipayCertSn: signer.sn });
      return signed.body;
    },
    deliver(url, fields) {
      const body = gateway.sign(fields);
      const attempts: PostOutcome[] = [];
      const done = new Promise<{ acknowledged: boolean; attempts: number }>((resolve) => {
        const attempt = async (n: number): Promise<void> => {
          const outcome = await postNotification(new URL(url), body, 'UTF-8', 10_000);
          attempts.push(outcome);
          const wait = ALIPAY_RETRY_INTERVALS_MS[n];
          if (outcome.acknowledged || wait === undefined || closed)
            return resolve({ acknowledged: outcome.acknowledged, attempts: attempts.length });
          const timer = setTimeout(() => {
            timers.delete(timer);
            void attempt(n + 1);
          }, wait * timeScale);
          timers.add(timer);
        };
        void attempt(0);
      });
      return { attempts, done };
    },
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return gateway;
}
