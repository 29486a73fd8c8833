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

const usage = `Usage: alipay-notify query-trade (--out-trade-no <no> | --trade-no <no>) [options]

Asks Alipay (alipay.trade.query) for a trade's status and amounts and prints the verified answer
as JSON. A fully refunded trade reads TRADE_CLOSED.

Trade:
  --out-trade-no <no>      the trade's out_trade_no
  --trade-no <no>          Alipay's trade_no
${CLIENT_ARG_USAGE}

Exit codes: 0 answered, 1 Alipay said no (e.g. ACQ.TRADE_NOT_EXIST) or the answer did not verify,
2 bad arguments, 3 gateway unreachable or timed out.`;

const OPTIONS = { ...CLIENT_ARG_OPTIONS, 'out-trade-no': { type: 'string' }, 'trade-no': { type: 'string' } } as const;

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
  if (outTradeNo === undefined && tradeNo === undefined) throw new UsageError('give --out-trade-no or --trade-no');
  const client = clientFromArgs(values);
  try {
    const result = await client.queryTrade(outTradeNo !== undefined ? { outTradeNo } : { tradeNo: tradeNo! });
    console.log(jsonForTerminal({ ok: true, ...(resultToJson(result) as object) }));
    return EXIT.OK;
  } catch (err) {
    return printFailure(err);
  }
}

/** `alipay-notify query-trade`: asks Alipay for a trade's status and amounts. */
export const queryTrade: Command = {
  name: 'query-trade',
  summary: "ask Alipay for a trade's status and amounts (JSON)",
  usage,
  run,
};
