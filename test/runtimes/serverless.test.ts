// The serverless adapter, invoked as the platforms invoke a function: with the event objects that
// AWS Lambda function URLs (payload 2.0), API Gateway REST proxy integrations (payload 1.0) and
// Alibaba Cloud Function Compute 3.0 HTTP triggers (a JSON Buffer) document, body base64-encoded
// or not, and the response object checked as the platform would map it to HTTP.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NotifyAdapterOptions } from '../../src/adapters/adapter-options.js';
import {
  createServerlessHandler,
  type ServerlessHttpEvent,
  type ServerlessHttpResponse,
} from '../../src/adapters/serverless.js';
import type { AlipayNotifyError } from '../../src/errors/index.js';
import type { AlipayNotification } from '../../src/types.js';
import { ALIPAY_PUBLIC_KEY, APP_ID, SUBJECT, realAlipay, signedRefund, tampered } from './support/notifications.js';

const ALIPAY_CONTENT_TYPE = 'application/x-www-form-urlencoded; text/html; charset=UTF-8';
const PATH = '/alipay/notify';
type Encoding = 'text' | 'base64';

function encodeBody(body: Buffer, encoding: Encoding): { body: string; isBase64Encoded: boolean } {
  // A text body is the platform's UTF-8 reading of the bytes; Alipay's bodies are ASCII.
  return encoding === 'base64'
    ? { body: body.toString('base64'), isBase64Encoded: true }
    : { body: body.toString('utf8'), isBase64Encoded: false };
}

// https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-request-payload
function lambdaFunctionUrlEvent(body: Buffer, encoding: Encoding) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: PATH,
    rawQueryString: '',
    headers: {
      'content-type': ALIPAY_CONTENT_TYPE,
      'content-length': String(body.length),
      host: 'abcdefghij.lambda-url.ap-east-1.on.aws',
      'user-agent': 'Mozilla/4.0',
      'x-amzn-trace-id': 'Root=1-6710a7c1-1c2f3e4d5a6b7c8d9e0f1a2b',
      'x-forwarded-for': '110.75.0.1',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
    },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghij',
      domainName: 'abcdefghij.lambda-url.ap-east-1.on.aws',
      domainPrefix: 'abcdefghij',
      http: { method: 'POST', path: PATH, protocol: 'HTTP/1.1', sourceIp: '110.75.0.1', userAgent: 'Mozilla/4.0' },
      requestId: 'c5a6e1f0-8d2b-4a7e-9f3c-1b2d3e4f5a6b',
      routeKey: '$default',
      stage: '$default',
      time: '17/Oct/2024:06:41:11 +0000',
      timeEpoch: 1729147271000,
    },
    ...encodeBody(body, encoding),
  };
}

// https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-input-format
function apiGatewayRestEvent(body: Buffer, encoding: Encoding) {
  const headers = {
    'Content-Type': ALIPAY_CONTENT_TYPE,
    Host: 'abcdefghij.execute-api.ap-east-1.amazonaws.com',
    'User-Agent': 'Mozilla/4.0',
    'X-Forwarded-For': '110.75.0.1',
  };
  return {
    resource: PATH,
    path: PATH,
    httpMethod: 'POST',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdefghij',
      httpMethod: 'POST',
      path: `/prod${PATH}`,
      protocol: 'HTTP/1.1',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      resourcePath: PATH,
      stage: 'prod',
      identity: { sourceIp: '110.75.0.1', userAgent: 'Mozilla/4.0' },
    },
    ...encodeBody(body, encoding),
  };
}

// https://www.alibabacloud.com/help/en/functioncompute/fc-3-0/user-guide/http-trigger-invoking-function
// Node.js handlers receive the event as a Buffer of this JSON.
function functionComputeEvent(body: Buffer, encoding: Encoding): Buffer {
  return Buffer.from(
    JSON.stringify({
      version: 'v1',
      rawPath: PATH,
      ...encodeBody(body, encoding),
      headers: {
        'Content-Type': ALIPAY_CONTENT_TYPE,
        'User-Agent': 'Mozilla/4.0',
        'Content-Length': String(body.length),
      },
      queryParameters: {},
      requestContext: {
        accountId: '1234567890123456',
        domainName: 'notify-abcdefghij.cn-hangzhou.fcapp.run',
        domainPrefix: 'notify-abcdefghij',
        http: { method: 'POST', path: PATH, protocol: 'HTTP/1.1', sourceIp: '110.75.0.1', userAgent: 'Mozilla/4.0' },
        requestId: '1-6710a7c1-0a1b2c3d-4e5f6a7b8c9d',
        time: '2024-10-17T06:41:11Z',
        timeEpoch: '1729147271000',
      },
    }),
  );
}

const PLATFORMS = [
  { name: 'Lambda function URL (payload 2.0)', event: lambdaFunctionUrlEvent },
  { name: 'API Gateway REST proxy (payload 1.0)', event: apiGatewayRestEvent },
  { name: 'Function Compute 3.0 HTTP trigger (JSON Buffer)', event: functionComputeEvent },
] as const;

interface Seen {
  refunds: { n: AlipayNotification; rawBody: Buffer; request: ServerlessHttpEvent }[];
  others: AlipayNotification[];
  errors: { code: string; status: number | undefined; message: string; request: ServerlessHttpEvent }[];
}

function handlerFor(extra: Partial<NotifyAdapterOptions<ServerlessHttpEvent>> = {}) {
  const seen: Seen = { refunds: [], others: [], errors: [] };
  const handler = createServerlessHandler({
    alipayPublicKey: ALIPAY_PUBLIC_KEY,
    appId: APP_ID,
    onRefund: async (n, ctx) => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      seen.refunds.push({ n, rawBody: ctx.rawBody, request: ctx.request });
    },
    onNotification: async (n) => {
      seen.others.push(n);
    },
    onError: (err: AlipayNotifyError, ctx) =>
      seen.errors.push({ code: err.code, status: ctx.status, message: err.message, request: ctx.request }),
    ...extra,
  });
  return { handler, seen };
}

function assertReply(response: ServerlessHttpResponse, statusCode: number, body: 'success' | 'fail'): void {
  assert.deepEqual(response, {
    statusCode,
    headers: { 'content-type': 'text/plain; charset=utf-8' },
    body,
    isBase64Encoded: false,
  });
}

for (const platform of PLATFORMS) {
  for (const encoding of ['base64', 'text'] as const) {
    const on = `${platform.name}, ${encoding} body`;
    describe(on, () => {
      test(`${on}: a UTF-8 refund: success after the handler ran once, with the exact bytes and the event`, async () => {
        const { handler, seen } = handlerFor();
        const refund = signedRefund('partial', 'utf-8');
        assertReply(await handler(platform.event(refund.body, encoding)), 200, 'success');
        assert.equal(seen.refunds.length, 1);
        const { n, rawBody, request } = seen.refunds[0]!;
        assert.equal(n.kind === 'trade_refund' && n.refundType, 'partial');
        assert.equal(n.notifyId, refund.notifyId);
        assert.deepEqual(rawBody, refund.body);
        assert.equal(request.isBase64Encoded, encoding === 'base64');
        assert.ok(JSON.stringify(request).includes(PATH), 'the handler sees the platform event');
        assert.deepEqual(seen.errors, []);
      });

      test(`${on}: a GBK refund verifies over its GBK bytes and arrives decoded`, async () => {
        const { handler, seen } = handlerFor();
        const refund = signedRefund('full', 'GBK');
        assertReply(await handler(platform.event(refund.body, encoding)), 200, 'success');
        const n = seen.refunds[0]?.n;
        assert.equal(n?.charset, 'gbk');
        assert.equal(n?.kind === 'trade_refund' && n.subject, SUBJECT);
        assert.equal(n?.kind === 'trade_refund' && n.refundType, 'full');
      });

      test(`${on}: a tampered refund: 400 fail, no handler, onError sees ERR_SIGNATURE_INVALID`, async () => {
        const { handler, seen } = handlerFor();
        assertReply(await handler(platform.event(tampered(signedRefund('partial', 'utf-8')), encoding)), 400, 'fail');
        assertReply(await handler(platform.event(tampered(signedRefund('full', 'GBK')), encoding)), 400, 'fail');
        assert.equal(seen.refunds.length, 0);
        assert.deepEqual(
          seen.errors.map((e) => [e.code, e.status]),
          [
            ['ERR_SIGNATURE_INVALID', 400],
            ['ERR_SIGNATURE_INVALID', 400],
          ],
        );
      });

      test(`${on}: duplicates, one after another and five at once: the handler runs once, every copy gets success`, async () => {
        const { handler, seen } = handlerFor();
        const refund = signedRefund('partial', 'utf-8');
        assertReply(await handler(platform.event(refund.body, encoding)), 200, 'success');
        assertReply(await handler(platform.event(refund.body, encoding)), 200, 'success');
        const other = signedRefund('full', 'GBK');
        const answers = await Promise.all(
          Array.from({ length: 5 }, () => handler(platform.event(other.body, encoding))),
        );
        for (const a of answers) assertReply(a, 200, 'success');
        assert.deepEqual(
          seen.refunds.map((r) => r.n.notifyId),
          [refund.notifyId, other.notifyId],
        );
      });
    });
  }
}

describe('serverless adapter: the edges', () => {
  test('a real Alipay-signed notification in a function URL event is verified and handled', async () => {
    const { handler, seen } = handlerFor({
      alipayPublicKey: realAlipay.alipayPublicKey,
      appId: realAlipay.appId,
      now: realAlipay.now,
    });
    assertReply(await handler(lambdaFunctionUrlEvent(realAlipay.body, 'base64')), 200, 'success');
    assert.deepEqual(
      seen.others.map((n) => [n.kind, n.notifyId]),
      [['trade', realAlipay.notifyId]],
    );
  });

  test('a throwing handler: 500 fail, and the retry runs it again and succeeds', async () => {
    let calls = 0;
    const { handler, seen } = handlerFor({
      onRefund: () => {
        if (++calls === 1) throw new Error('database down');
      },
    });
    const event = apiGatewayRestEvent(signedRefund('partial', 'utf-8').body, 'text');
    assertReply(await handler(event), 500, 'fail');
    assertReply(await handler(event), 200, 'success');
    assert.equal(calls, 2);
    assert.deepEqual(
      seen.errors.map((e) => e.code),
      ['ERR_HANDLER_FAILED'],
    );
  });

  test('a body over maxBodyBytes: 413 fail, base64 or not, before the handler', async () => {
    const { handler, seen } = handlerFor({ maxBodyBytes: 4096 });
    const big = Buffer.concat([signedRefund('partial', 'utf-8').body, Buffer.from(`&padding=${'x'.repeat(8000)}`)]);
    assertReply(await handler(lambdaFunctionUrlEvent(big, 'base64')), 413, 'fail');
    assertReply(await handler(lambdaFunctionUrlEvent(big, 'text')), 413, 'fail');
    // Just over the limit, where only the decoded length tells: a length divisible by 3 has no
    // base64 padding, so its encoded length alone does not show the decoded one is over.
    const signed = signedRefund('partial', 'utf-8').body;
    const edge = Buffer.concat([signed, Buffer.from(`&p=${'x'.repeat(3 - ((signed.length + 3) % 3))}`)]);
    assert.equal(edge.length % 3, 0);
    const { handler: tight } = handlerFor({ maxBodyBytes: edge.length - 1 });
    assertReply(await tight(lambdaFunctionUrlEvent(edge, 'base64')), 413, 'fail');
    assert.equal(seen.refunds.length, 0);
    assert.deepEqual(
      seen.errors.map((e) => e.code),
      ['ERR_BODY_TOO_LARGE', 'ERR_BODY_TOO_LARGE'],
    );
  });

  test('a body marked base64 that is not base64: 400 fail, ERR_BODY_MALFORMED', async () => {
    const { handler, seen } = handlerFor();
    const event = { ...lambdaFunctionUrlEvent(signedRefund('partial', 'utf-8').body, 'text'), isBase64Encoded: true };
    assertReply(await handler(event), 400, 'fail');
    assert.deepEqual(
      seen.errors.map((e) => e.code),
      ['ERR_BODY_MALFORMED'],
    );
  });

  test('an event without a body (a GET on the function URL): 400 fail, the handler is not called', async () => {
    const { handler, seen } = handlerFor();
    const { body: _omitted, ...withoutBody } = lambdaFunctionUrlEvent(Buffer.alloc(0), 'text');
    assertReply(await handler(withoutBody), 400, 'fail');
    assertReply(await handler({ ...apiGatewayRestEvent(Buffer.alloc(0), 'text'), body: null }), 400, 'fail');
    assert.equal(seen.refunds.length, 0);
    assert.equal(seen.errors.length, 2);
  });

  test('an event that is not an HTTP event: 500 fail, and onError says how to invoke the function and gets what arrived', async () => {
    const { handler, seen } = handlerFor();
    const notHttp = [
      { Records: [{ eventSource: 'aws:sqs', body: 'x' }] }, // another trigger
      { ...lambdaFunctionUrlEvent(signedRefund('partial', 'utf-8').body, 'text'), body: { refund_fee: '1.00' } }, // a body already parsed by a mapping template
      Buffer.from('not json'),
      'not json either',
      null,
    ];
    for (const event of notHttp) assertReply(await handler(event as never), 500, 'fail');
    assert.deepEqual(
      seen.errors.map((e) => [e.code, e.status]),
      notHttp.map(() => ['ERR_BODY_ALREADY_PARSED', 500]),
    );
    assert.match(
      seen.errors[0]!.message,
      /function URL, an API Gateway proxy integration or a Function Compute HTTP trigger/,
    );
    assert.deepEqual(seen.errors[0]!.request, { isBase64Encoded: false, input: notHttp[0] });
    assert.equal(seen.refunds.length, 0);
  });

  test('a Function Compute event passed as a JSON string (as from a test console) works too', async () => {
    const { handler, seen } = handlerFor();
    const refund = signedRefund('partial', 'utf-8');
    assertReply(await handler(functionComputeEvent(refund.body, 'base64').toString('utf8')), 200, 'success');
    assert.equal(seen.refunds[0]?.n.notifyId, refund.notifyId);
    assert.equal(seen.refunds[0]?.request.rawPath, PATH);
  });
});

describe('options given as a function', () => {
  test('resolved on the first invocation; while they throw, each invocation is 500 fail and tried again', async () => {
    let key: string | undefined;
    const handled: string[] = [];
    const handler = createServerlessHandler(() => {
      if (key === undefined) throw new Error('ALIPAY_PUBLIC_KEY is not set');
      return {
        alipayPublicKey: key,
        appId: APP_ID,
        logger: false,
        onRefund: (n) => void handled.push(n.notifyId),
        onNotification: 'acknowledge',
      };
    });
    const refund = signedRefund('partial', 'utf-8');
    assertReply(await handler(lambdaFunctionUrlEvent(refund.body, 'base64')), 500, 'fail');
    key = ALIPAY_PUBLIC_KEY;
    assertReply(await handler(lambdaFunctionUrlEvent(refund.body, 'base64')), 200, 'success');
    assert.deepEqual(handled, [refund.notifyId]);
  });
});
