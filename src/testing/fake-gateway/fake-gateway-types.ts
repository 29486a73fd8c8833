/** The fake Alipay gateway's options and its handle, for tests. */
import type { PostOutcome } from '../post-notification.js';
import type { FakeRefund, FakeTrade } from './gateway-store.js';
import type { ResponseStyle } from './response-text.js';

/** One delivery attempt: what the endpoint answered (`acknowledged` only for exactly `success`). */
export type FakeDeliveryAttempt = PostOutcome;

/** What the fake gateway can be told to do wrong, once or several times. */
export type FakeGatewayFault =
  /** `40004` / `ACQ.SYSTEM_ERROR`, signed: "ask again later". */
  | 'system-error'
  /** `20000` / `isp.unknow-error`, signed: service unavailable. */
  | 'unavailable'
  /** HTTP 502 with an HTML body. */
  | 'http-error'
  /** 200 with a body that is not JSON. */
  | 'garbage'
  /** Never answers (until the gateway closes): the client's timeout. */
  | 'hang'
  /** Drops the connection: the client sees a transport failure. */
  | 'reset'
  /** A member added to the response after signing (`refund_status: REFUND_SUCCESS`). */
  | 'tampered'
  /** Whitespace added inside the signed text after signing: same JSON, other bytes. */
  | 'respaced'
  /** No `sign`. */
  | 'unsigned'
  /** Signed with a key that is not Alipay's. */
  | 'wrong-key'
  /** The response member twice: the genuine signed one, then a forged one. */
  | 'duplicate';

/** Options of {@link createFakeAlipayGateway}. */
export interface FakeAlipayGatewayOptions {
  /** The app id requests must carry. Default `'2021000000000000'`. */
  appId?: string;
  /** `key` (public-key mode, default) or `certificate` (public-key-certificate mode, with rotation). */
  mode?: 'key' | 'certificate';
  /** The app's public key, to check request signatures. Default: a key pair is generated (see `app`). */
  appPublicKey?: string;
  /** How responses are written. Default `compact`; `odd` tests exact-bytes verification. */
  responseStyle?: ResponseStyle;
  /** Multiplies Alipay's notification retry schedule (4m, 10m, 10m, 1h, 2h, 6h, 15h). Default 1; `0.001` makes 4 minutes 240 ms. */
  timeScale?: number;
  /** Port on 127.0.0.1. Default 0 (any free port). */
  port?: number;
}

/** One notification being delivered with Alipay's retry schedule. */
export interface FakeDelivery {
  /** Every attempt so far. */
  readonly attempts: readonly FakeDeliveryAttempt[];
  /** Resolves when the endpoint answered exactly `success`, or when the schedule is exhausted. */
  readonly done: Promise<{ readonly acknowledged: boolean; readonly attempts: number }>;
}

/** A refund made through the gateway. */
export interface FakeRefundResult {
  readonly refund: FakeRefund;
  /** The refund notification's delivery, when the trade has a `notifyUrl` and this refund is notified. */
  readonly delivery: FakeDelivery | undefined;
}

/** A loopback HTTP server that plays Alipay's OpenAPI gateway for tests. */
export interface FakeAlipayGateway {
  /** The gateway URL (`http://127.0.0.1:<port>/gateway.do`): give it as the client's `gateway`. */
  readonly url: string;
  readonly appId: string;
  /** The app key pair (generated unless `appPublicKey` was given: then only the public half) and, in certificate mode, its certificate. */
  readonly app: {
    readonly privateKey: string | undefined;
    readonly publicKey: string;
    readonly cert: string | undefined;
  };
  /** Key mode: the public key responses and notifications are signed for. */
  readonly alipayPublicKey: string | undefined;
  /** Certificate mode: the first "Alipay" certificate (rotation adds more). */
  readonly alipayPublicCert: string | undefined;
  /** Certificate mode: the root every genuine certificate chains up to. */
  readonly alipayRootCert: string | undefined;
  /** Certificate mode: the SN of the certificate signing now. */
  readonly alipayCertSn: string | undefined;
  /** Style of the next responses. */
  responseStyle: ResponseStyle;
  /** Every call received: method, biz_content, and whether the request signature verified. */
  readonly calls: readonly {
    readonly method: string;
    readonly biz: Readonly<Record<string, unknown>>;
    readonly signatureValid: boolean;
  }[];
  /** How many `alipay.open.app.alipaycert.download` calls arrived. */
  readonly downloads: number;
  /** Options for `createAlipayClient` that talk to this gateway (needs the generated app key). */
  clientOptions(): {
    appId: string;
    privateKey: string;
    gateway: string;
    alipayPublicKey?: string;
    alipayPublicCert?: string;
    appCert?: string;
    alipayRootCert?: string;
  };
  /** Creates a trade (paid by default), as if a buyer had paid it. */
  createTrade(trade: {
    totalAmount: string;
    outTradeNo?: string;
    status?: FakeTrade['status'];
    notifyUrl?: string;
    notifyFullRefund?: boolean;
  }): { readonly tradeNo: string; readonly outTradeNo: string };
  /** Refunds (as `alipay.trade.refund` would); `outcome: 'failed'` records a refund that did not go through. */
  refund(refund: {
    outTradeNo?: string;
    tradeNo?: string;
    outRequestNo: string;
    refundAmount: string;
    outcome?: 'success' | 'failed';
    depositBack?: boolean;
  }): FakeRefundResult;
  /** The trade's status now. */
  tradeStatus(ids: { outTradeNo?: string; tradeNo?: string }): FakeTrade['status'] | undefined;
  /** Makes the next `times` calls (of `method`, or any) answer with `fault`. */
  injectFault(fault: FakeGatewayFault, options?: { method?: string; times?: number }): void;
  /**
   * Certificate mode: issues a new "Alipay" certificate and signs everything with it from now on;
   * it is served by the certificate download. `trusted: false` issues it from another root with
   * the same names, which must be refused.
   */
  rotateCertificate(options?: { trusted?: boolean; validTo?: Date }): { readonly sn: string; readonly cert: string };
  /** Signs notification fields with the current key or certificate (adding `alipay_cert_sn` in certificate mode): the POST body. */
  sign(fields: Readonly<Record<string, string>>): Buffer;
  /** Signs notification fields with the current key or certificate and delivers them to `url` with Alipay's retry schedule. */
  deliver(url: string, fields: Readonly<Record<string, string>>): FakeDelivery;
  /** Stops the server and every pending delivery. */
  close(): Promise<void>;
}
