// `npm run demo`: the whole story in one process, nothing external. A throwaway key pair plays
// Alipay; a partial refund (UTF-8) and a full refund (GBK) are signed as Alipay signs them,
// verified from their raw bytes and printed typed; then a forged one is rejected with its code.
import { AlipayNotifyError, createNotifyVerifier } from 'alipay-refund-notify';
import { buildRefundFields, generateTestKeyPair, signNotification } from 'alipay-refund-notify/testing';

const APP_ID = '2021000000000000';
const alipay = generateTestKeyPair();
const verifier = createNotifyVerifier({ alipayPublicKey: alipay.publicKeyBase64, appId: APP_ID });

function show(title: string, body: Buffer): void {
  console.log(`\n— ${title}`);
  console.log(`  body (${body.length} bytes): ${body.toString('latin1').slice(0, 110)}…`);
  try {
    const n = verifier.verifyRefund(body);
    if (n.kind !== 'trade_refund') return;
    console.log(`  ✔ verified ${n.kind} (${n.refundType}), charset ${n.charset}, ${n.signType}`);
    console.log(`    out_trade_no ${n.outTradeNo}  out_biz_no ${n.outBizNo}  trade_status ${n.tradeStatus}`);
    console.log(`    refund_fee (cumulative) ${n.refundFee?.yuan} yuan = ${n.refundFee?.fen} fen of ${n.totalAmount?.yuan}`);
    console.log(`    gmt_refund ${n.gmtRefund?.toISOString()}  subject ${JSON.stringify(n.subject)}`);
  } catch (err) {
    if (!(err instanceof AlipayNotifyError)) throw err;
    console.log(`  ✖ rejected: ${err.code} (${err.message}) — an adapter would answer "fail"`);
  }
}

const partial = signNotification(buildRefundFields('partial', { appId: APP_ID }), { privateKey: alipay.privateKey });
show('partial refund, UTF-8', partial.body);

const full = signNotification(buildRefundFields('full', { appId: APP_ID, charset: 'GBK' }), { privateKey: alipay.privateKey });
show('full refund, GBK (the official SDK cannot verify these)', full.body);

const forged = Buffer.from(partial.body.toString('latin1').replace('refund_fee=30.00', 'refund_fee=99.00'), 'latin1');
show('forged: refund_fee changed after signing', forged);

const otherApp = signNotification(buildRefundFields('partial', { appId: '2021999999999999' }), { privateKey: alipay.privateKey });
show('genuinely signed, but for another app', otherApp.body);
