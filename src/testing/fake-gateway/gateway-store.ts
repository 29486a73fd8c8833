import { randomBytes } from 'node:crypto';

/** A trade the fake gateway knows. */
export interface FakeTrade {
  readonly tradeNo: string;
  readonly outTradeNo: string;
  readonly totalFen: number;
  status: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED' | 'TRADE_FINISHED';
  readonly paidAt: Date;
  readonly refunds: Map<string, FakeRefund>;
  /** Where refund notifications go, when set. */
  readonly notifyUrl: string | undefined;
  /**
   * Whether a full refund (TRADE_CLOSED) is notified. Off by default, as for 当面付 and 电脑网站支付,
   * where Alipay does not send it unless configured — which is why reconciliation is needed.
   */
  readonly notifyFullRefund: boolean;
}

/** A refund request the fake gateway received. */
export interface FakeRefund {
  readonly outRequestNo: string;
  readonly amountFen: number;
  /** `failed` refunds are answered without `refund_status`, as Alipay does. */
  readonly outcome: 'success' | 'failed';
  readonly at: Date;
  readonly depositBack: boolean;
}

/** Yuan text of a fen amount, two decimals. */
export function yuan(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** Fen of a yuan decimal, or NaN. */
export function fenOf(text: unknown): number {
  if (typeof text !== 'string' || !/^\d{1,10}(\.\d{1,2})?$/.test(text)) return Number.NaN;
  const [whole, fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

const digits = (n: number): string => [...randomBytes(n)].map((b) => String(b % 10)).join('');

/** The fake gateway's trades, by `trade_no` and `out_trade_no`. */
export class GatewayStore {
  private readonly trades = new Map<string, FakeTrade>();
  private readonly byOut = new Map<string, FakeTrade>();

  add(t: {
    outTradeNo?: string;
    totalFen: number;
    status?: FakeTrade['status'];
    notifyUrl?: string;
    notifyFullRefund?: boolean;
  }): FakeTrade {
    const now = new Date();
    const trade: FakeTrade = {
      tradeNo: `${now.toISOString().slice(0, 10).replace(/-/g, '')}22001${digits(15)}`,
      outTradeNo: t.outTradeNo ?? `ORDER${digits(12)}`,
      totalFen: t.totalFen,
      status: t.status ?? 'TRADE_SUCCESS',
      paidAt: now,
      refunds: new Map(),
      notifyUrl: t.notifyUrl,
      notifyFullRefund: t.notifyFullRefund ?? false,
    };
    this.trades.set(trade.tradeNo, trade);
    this.byOut.set(trade.outTradeNo, trade);
    return trade;
  }

  /** `trade_no` wins over `out_trade_no`, as Alipay documents. */
  find(ids: { trade_no?: unknown; out_trade_no?: unknown }): FakeTrade | undefined {
    if (typeof ids.trade_no === 'string' && ids.trade_no !== '') return this.trades.get(ids.trade_no);
    if (typeof ids.out_trade_no === 'string') return this.byOut.get(ids.out_trade_no);
    return undefined;
  }

  refundedFen(trade: FakeTrade): number {
    let sum = 0;
    for (const r of trade.refunds.values()) if (r.outcome === 'success') sum += r.amountFen;
    return sum;
  }
}
