/** Command-line options of `npm run bench`. */
export type Section = 'micro' | 'store' | 'http' | 'memory';

export interface BenchArgs {
  quick: boolean;
  sections: Set<Section>;
  /** Micro and store cases: measured rounds (each round runs every case once, one slice each). */
  rounds: number;
  /** Micro and store cases: how long one case runs in one round. */
  sliceMs: number;
  /** HTTP: measured rounds (each round loads the adapter and the hand-written server once each). */
  httpRounds: number;
  /** HTTP: seconds of load per server per round. */
  httpSec: number;
  /** HTTP: seconds of load per server before the first round (discarded). */
  httpWarmupSec: number;
  connections: number;
  memorySec: number;
  /** Distinct pre-signed notifications the HTTP and memory runs cycle through. */
  pool: number;
  pin: boolean;
  /** Reuse signed fixtures from `.bench/` when they are recent enough (signing is the slow part). */
  cache: boolean;
  json: string | undefined;
  /** Only these micro/store case ids and HTTP frameworks. */
  only: string[] | undefined;
  /** Also time the core's stages alone (parse, sign content, mapping) and the async paths. */
  breakdown: boolean;
}

export const USAGE = `usage: node --import tsx test/bench/run.ts [options]     (npm run bench -- [options])
  --quick              sub-minute smoke run (also BENCH_QUICK=1): fewer, shorter rounds
  --sections=LIST      micro,store,http,memory (default: all; --quick: all but memory)
  --only=IDS           only these micro/store case ids and HTTP frameworks (comma-separated)
  --rounds=N           micro and store rounds (default 15; --quick: 5)
  --slice-ms=N         one case's slice in a round (default 60; --quick: 25)
  --http-rounds=N      HTTP rounds per framework (default 5; --quick: 2)
  --http-sec=N         seconds of load per server per round (default 2; --quick: 0.7)
  --http-warmup-sec=N  discarded load per server first (default 1.5; --quick: 0.5)
  --connections=N      concurrent HTTP connections (default 50)
  --memory-sec=N       memory run length in seconds (default 45; --quick, if asked for: 6)
  --pool=N             pre-signed distinct notifications (default 3000; --quick: 800)
  --breakdown          also time the core's stages alone and the async paths
  --no-pin             do not pin processes to CPUs with taskset
  --no-cache           sign fresh fixtures instead of reusing recent ones from .bench/
  --json=PATH          where to write the JSON (default .bench/bench-<time>.json)`;

export function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BenchArgs {
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick =
    argv.includes('--quick') ||
    (env['BENCH_QUICK'] !== undefined && env['BENCH_QUICK'] !== '' && env['BENCH_QUICK'] !== '0');
  const num = (name: string, full: number, short: number, integer = false) => {
    const v = get(name);
    if (v === undefined) return quick ? short : full;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
      throw new Error(`--${name} must be a positive ${integer ? 'integer' : 'number'}`);
    return n;
  };
  // A few seconds of memory samples say nothing about growth: the quick run leaves that section out.
  const sections = new Set(
    (get('sections') ?? (quick ? 'micro,store,http' : 'micro,store,http,memory')).split(','),
  ) as Set<Section>;
  for (const s of sections)
    if (!['micro', 'store', 'http', 'memory'].includes(s)) throw new Error(`unknown section ${s}`);
  return {
    quick,
    sections,
    rounds: num('rounds', 15, 5, true),
    sliceMs: num('slice-ms', 60, 25),
    httpRounds: num('http-rounds', 5, 2, true),
    httpSec: num('http-sec', 2, 0.7),
    httpWarmupSec: num('http-warmup-sec', 1.5, 0.5),
    connections: num('connections', 50, 50, true),
    memorySec: num('memory-sec', 45, 6),
    pool: num('pool', 3000, 800, true),
    pin: !argv.includes('--no-pin'),
    cache: !argv.includes('--no-cache'),
    json: get('json'),
    only: get('only')?.split(','),
    breakdown: argv.includes('--breakdown'),
  };
}
