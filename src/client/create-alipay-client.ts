import { certificatePath, isValidAt } from '../crypto/certificate-path.js';
import { importAlipayCertificate } from '../crypto/certificates.js';
import { type ImportedPublicKey } from '../crypto/import-public-key.js';
import { decodeSignature, verifyRsaSignatureAsync } from '../crypto/verify-rsa.js';
import { AlipayCertRotationError, NotifyConfigError, NotifySignatureError } from '../errors/index.js';
import { createCertRotation, type RotatedCertificate } from '../verifier/cert-rotation.js';
import { resolveClientOptions, type AlipayClientOptions, type ResolvedClientOptions } from './client-options.js';
import { gatewayErrorOf, stringField } from './gateway-answer.js';
import { postGateway } from './post-gateway.js';
import { readGatewayResponse, type GatewayResponse } from './read-gateway-response.js';
import { toRefundQueryResult, type QueryRefundParams, type RefundQueryResult } from './refund-query-result.js';
import { beijingTimestamp, signRequestParams } from './request-params.js';
import { toTradeQueryResult, type QueryTradeParams, type TradeQueryResult } from './trade-query-result.js';

/** The OpenAPI calls that serve refund handling. Methods work detached (`const { queryRefund } = client`). */
export interface AlipayClient {
  /** `alipay.trade.fastpay.refund.query`: did this refund go through? */
  queryRefund(params: QueryRefundParams): Promise<RefundQueryResult>;
  /** `alipay.trade.query`: the trade's status and amounts. */
  queryTrade(params: QueryTradeParams): Promise<TradeQueryResult>;
  /**
   * `alipay.open.app.alipaycert.download`: the PEM of Alipay's certificate with this SN, checked:
   * it chains up to `alipayRootCert`, is valid now, has that SN, and the download's own signature
   * verifies. Fits the verifier's `downloadAlipayCert` option.
   */
  downloadAlipayCert(sn: string): Promise<string>;
}

const DOWNLOAD = 'alipay.open.app.alipaycert.download';

function tradeIds(params: { outTradeNo?: string; tradeNo?: string }, option: string): Record<string, string> {
  const ids: Record<string, string> = {};
  if (typeof params.outTradeNo === 'string' && params.outTradeNo !== '') ids['out_trade_no'] = params.outTradeNo;
  if (typeof params.tradeNo === 'string' && params.tradeNo !== '') ids['trade_no'] = params.tradeNo;
  if (Object.keys(ids).length === 0) throw new NotifyConfigError(option, 'give outTradeNo or tradeNo');
  return ids;
}

/**
 * Creates a small signed client for Alipay's OpenAPI gateway, limited to what refund handling needs:
 * the refund query, the trade query and the certificate download. Requests are signed RSA2 with the
 * app private key (Alipay open platform docs, 自行实现签名); every response's signature is
 * checked over the exact received bytes of its `…_response` value, in certificate mode with the
 * certificate its `alipay_cert_sn` names (downloaded and checked against the root when new).
 * Needs Node ≥ 20 (global `fetch`); no dependency.
 *
 * @example
 * ```ts
 * import { createAlipayClient } from 'alipay-refund-notify/client';
 * const client = createAlipayClient({ appId: '2021000000000000', privateKey: APP_PRIVATE_KEY, alipayPublicKey: ALIPAY_PUBLIC_KEY });
 * const refund = await client.queryRefund({ outTradeNo: 'order-1', outRequestNo: 'refund-1' });
 * if (refund.status === 'success') console.log(refund.refundAmount?.yuan);
 * ```
 */
export function createAlipayClient(options: AlipayClientOptions): AlipayClient {
  const o: ResolvedClientOptions = resolveClientOptions(options);
  const certMode = o.certs.length > 0;

  const call = async (method: string, biz: Readonly<Record<string, unknown>>): Promise<GatewayResponse> => {
    const params: Record<string, string> = {
      app_id: o.appId,
      method,
      format: 'JSON',
      charset: 'utf-8',
      sign_type: 'RSA2',
      timestamp: beijingTimestamp(o.now()),
      version: '1.0',
      biz_content: JSON.stringify(biz),
    };
    if (o.appCertSn !== undefined) params['app_cert_sn'] = o.appCertSn;
    if (o.rootCertSn !== undefined) params['alipay_root_cert_sn'] = o.rootCertSn;
    const bytes = await postGateway(o.gateway, signRequestParams(params, o.privateKey), o.timeoutMs, method);
    return readGatewayResponse(bytes, method);
  };

  // Checks the signature with `keys`; an unsigned answer is accepted only as an error_response,
  // which Alipay does not sign when it cannot tell the app (e.g. isv.invalid-app-id), and which
  // never becomes a result: it is thrown as ERR_GATEWAY_ERROR.
  const verify = async (
    r: GatewayResponse,
    method: string,
    keys: () => Promise<readonly (ImportedPublicKey | RotatedCertificate)[]>,
  ): Promise<void> => {
    if (r.sign === undefined) {
      if (r.isErrorResponse) throw gatewayErrorOf(r.body, method);
      throw new NotifySignatureError('ERR_SIGNATURE_INVALID', 'gateway response is not signed', { signType: 'RSA2' });
    }
    const candidates = await keys();
    const i = await verifyRsaSignatureAsync('sha256', r.signedBytes, decodeSignature(r.sign), candidates);
    if (i < 0)
      throw new NotifySignatureError('ERR_SIGNATURE_INVALID', 'gateway response signature does not verify', {
        signType: 'RSA2',
      });
    const key = candidates[i]!;
    if ('path' in key && !isValidAt(key.path, o.now())) {
      throw new NotifySignatureError(
        'ERR_CERT_INVALID',
        'the Alipay certificate that signed the response is outside its validity period',
        { signType: 'RSA2' },
      );
    }
  };

  const downloadAlipayCert = async (sn: string): Promise<string> => {
    if (typeof sn !== 'string' || sn === '')
      throw new NotifyConfigError('sn', 'required: the alipay_cert_sn to download');
    if (o.roots === undefined)
      throw new NotifyConfigError(
        'alipayRootCert',
        'required to download certificates: they are trusted only through the root',
      );
    const r = await call(DOWNLOAD, { alipay_cert_sn: sn });
    const content = r.body['code'] === '10000' ? stringField(r.body, 'alipay_cert_content') : undefined;
    let downloaded: RotatedCertificate | undefined;
    let pem: string | undefined;
    if (content !== undefined) {
      // The content is the certificate's PEM, base64-encoded (smartwalle/alipay `downloadAliPayCert`).
      pem = Buffer.from(content, 'base64').toString('utf8');
      let cert;
      try {
        cert = importAlipayCertificate(pem, 'alipay_cert_content');
      } catch (err) {
        throw new AlipayCertRotationError('unreadable', sn, { cause: err });
      }
      if (cert.sn !== sn) throw new AlipayCertRotationError('sn-mismatch', sn);
      const path = certificatePath(cert.cert, cert.chain, o.roots);
      if (path === null) throw new AlipayCertRotationError('untrusted', sn);
      if (!isValidAt(path, o.now())) throw new AlipayCertRotationError('expired', sn);
      downloaded = { ...cert, path };
    }
    // The download may already be signed with the new certificate: once that certificate has
    // passed the root check above, it may verify its own delivery.
    await verify(r, DOWNLOAD, async () => {
      if (!certMode) return o.keys;
      if (r.certSn === undefined) return o.certs;
      const signer = rotation.known(r.certSn) ?? (downloaded?.sn === r.certSn ? downloaded : undefined);
      if (signer === undefined)
        throw new NotifySignatureError('ERR_CERT_NOT_FOUND', 'the download is signed by a certificate we do not have', {
          signType: 'RSA2',
        });
      return [signer];
    });
    if (pem === undefined) throw gatewayErrorOf(r.body, DOWNLOAD);
    return pem;
  };

  // Responses signed by a certificate we do not have yet: fetch it through our own download.
  const rotation = createCertRotation({
    download: downloadAlipayCert,
    roots: o.roots ?? [],
    now: o.now,
    configured: o.certs,
  });

  const responseKeys =
    (r: GatewayResponse) => async (): Promise<readonly (ImportedPublicKey | RotatedCertificate)[]> => {
      if (!certMode) return o.keys;
      if (r.certSn === undefined) return [...o.certs, ...rotation.downloaded()];
      return [await rotation.obtain(r.certSn)];
    };

  const verifiedCall = async (
    method: string,
    biz: Readonly<Record<string, unknown>>,
  ): Promise<Readonly<Record<string, unknown>>> => {
    const r = await call(method, biz);
    await verify(r, method, responseKeys(r));
    return r.body;
  };

  return {
    async queryRefund(params) {
      if (params === null || typeof params !== 'object') throw new NotifyConfigError('params', 'must be an object');
      if (typeof params.outRequestNo !== 'string' || params.outRequestNo === '')
        throw new NotifyConfigError('outRequestNo', 'required: the refund request number');
      const biz: Record<string, unknown> = { ...tradeIds(params, 'outTradeNo'), out_request_no: params.outRequestNo };
      if (params.queryOptions !== undefined && params.queryOptions.length > 0)
        biz['query_options'] = [...params.queryOptions];
      return toRefundQueryResult(await verifiedCall('alipay.trade.fastpay.refund.query', biz), params);
    },
    async queryTrade(params) {
      if (params === null || typeof params !== 'object') throw new NotifyConfigError('params', 'must be an object');
      return toTradeQueryResult(await verifiedCall('alipay.trade.query', tradeIds(params, 'outTradeNo')), params);
    },
    downloadAlipayCert,
  };
}
