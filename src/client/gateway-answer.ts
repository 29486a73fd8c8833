import { AlipayGatewayError, type AlipayGatewayAnswer } from '../errors/index.js';
import { parseAmount, type Amount } from '../map/amount.js';
import { parseBeijingTime } from '../map/beijing-time.js';

/** A response member as a string, or undefined when absent or empty. */
export function stringField(body: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const v = body[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** An amount member, parsed exactly (`ERR_FIELD_INVALID` when it is not a decimal). */
export function amountField(body: Readonly<Record<string, unknown>>, name: string): Amount | undefined {
  const v = stringField(body, name);
  return v === undefined ? undefined : parseAmount(v, name);
}

/** A Beijing-time member as a `Date` (`ERR_FIELD_INVALID` when malformed). */
export function timeField(body: Readonly<Record<string, unknown>>, name: string): Date | undefined {
  const v = stringField(body, name);
  return v === undefined ? undefined : parseBeijingTime(v, name);
}

/** Alipay's `code` / `msg` / `sub_code` / `sub_msg` of a response. */
export function answerOf(body: Readonly<Record<string, unknown>>): AlipayGatewayAnswer {
  const answer: { alipayCode?: string; msg?: string; subCode?: string; subMsg?: string } = {};
  const code = stringField(body, 'code');
  const msg = stringField(body, 'msg');
  const subCode = stringField(body, 'sub_code');
  const subMsg = stringField(body, 'sub_msg');
  if (code !== undefined) answer.alipayCode = code;
  if (msg !== undefined) answer.msg = msg;
  if (subCode !== undefined) answer.subCode = subCode;
  if (subMsg !== undefined) answer.subMsg = subMsg;
  return answer;
}

/**
 * "Ask again later" answers: `20000` (service unavailable) and `ACQ.SYSTEM_ERROR`
 * (Alipay open platform docs, 公共错误码: `20000` 服务不可用 → 稍后重试; the refund query's error list:
 * `ACQ.SYSTEM_ERROR` 系统错误 → 重新发起请求).
 */
export function isTransientAnswer(answer: AlipayGatewayAnswer): boolean {
  return answer.alipayCode === '20000' || answer.subCode === 'ACQ.SYSTEM_ERROR';
}

/**
 * The error for an answer that is not `10000`, Alipay's code kept on it.
 *
 * @example
 * ```ts
 * if (body.code !== '10000') throw gatewayErrorOf(body, method);
 * ```
 */
export function gatewayErrorOf(body: Readonly<Record<string, unknown>>, method: string): AlipayGatewayError {
  const answer = answerOf(body);
  return new AlipayGatewayError(
    'ERR_GATEWAY_ERROR',
    `Alipay answered code ${answer.alipayCode ?? '(none)'}${answer.subCode === undefined ? '' : ` / ${answer.subCode}`}`,
    { method, httpStatus: 200, ...answer },
  );
}

/** A response that is for another trade or refund than the one asked about. */
export function mismatch(method: string, field: string): AlipayGatewayError {
  return new AlipayGatewayError('ERR_GATEWAY_ERROR', `gateway response is for another ${field}`, {
    method,
    httpStatus: 200,
  });
}
