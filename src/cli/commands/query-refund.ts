import { parseArgs } from 'node:util';
import type { Command } from '../command.js';
import {
  CLIENT_ARG_OPTIONS,
  CLIENT_ARG_USAGE,
  clientFromArgs,
  printFailure,
  resultToJson,
} from '../client-from-options.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { joinOptionValues } from '../join-option-values.js';
import { jsonForTerminal } from '../terminal-text.js';

const usage = `Usage: alipay-notify query-refund (--out-trade-no <no> | --trade-no <no>) --out-request-no <no> [options]

Asks Alipay (alipay.trade.fastpay.refund.query) whether a refund went through and prints the
verified answer as JSON: "status" is "success" (REFUND_SUCCESS), "not_refunded" (no refund_status:
the refund was not received or failed) or "unknown" (Alipay could not say: ask again later).
Ask no sooner than about 10 seconds after the refund.

Refund:
  --out-trade-no <no>      the trade's out_trade_no (or --trade-no)
  --trade-no <no>          Alipay's trade_no
  --out-request-no <no>    the refund's out_request_no (the out_trade_no when the refund had none)
  --query-options <list>   extra fields, comma-separated: gmt_refund_pay,deposit_back_info,…
${CLIENT_ARG_USAGE}

Exit codes: 0 answered, 1 Alipay said no or the answer did not verify, 2 bad arguments,
3 gateway unreachable or timed out.`;

const OPTIONS = {
  ...CLIENT_ARG_OPTIONS,
  'out-trade-no': { type: 'string' },
  'trade-no': { type: 'string' },
  'out-request-no': { type: 'string' },
  'query-options': { type: 'string' },
} as const;

async function run(argv: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: joinOptionValues(argv, OPTIONS),
    options: OPTIONS,
    allowPositionals: false,
  });
  if (values.help === true) {
    console.log(usage);
    return EXIT.OK;
  }
  const outTradeNo = values['out-trade-no'];
  const tradeNo = values['trade-no'];
  const outRequestNo = values['out-request-no'];
  if (outTradeNo === undefined && tradeNo === undefined) throw new UsageError('give --out-trade-no or --trade-no');
  if (outRequestNo === undefined) throw new UsageError('give --out-request-no');
  const client = clientFromArgs(values);
  const queryOptions = values['query-options']
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const ids =
    outTradeNo !== undefined ? { outTradeNo, ...(tradeNo === undefined ? {} : { tradeNo }) } : { tradeNo: tradeNo! };
  try {
    const result = await client.queryRefund({
      ...ids,
      outRequestNo,
      ...(queryOptions === undefined ? {} : { queryOptions }),
    });
    console.log(jsonForTerminal({ ok: true, ...(resultToJson(result) as object) }));
    return EXIT.OK;
  } catch (err) {
    return printFailure(err);
  }
}

/** `alipay-notify query-refund`: asks Alipay whether a refund went through. */
export const queryRefund: Command = {
  name: 'query-refund',
  summary: 'ask Alipay whether a refund went through (JSON)',
  usage,
  run,
};
