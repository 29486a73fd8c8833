/** Command-line options of `npm run bench`. */
export interface BenchArgs {
  quick: boolean;
  sections: Set<'micro' | 'http' | 'memory'>;
  /** Whole-suite passes of the micro cases (PERF.md used 3); the figure is the median of passes. */
  passes: number;
  memorySec: number;
  httpSec: number;
  connections: number;
  pin: boolean;
  json: string | undefined;
  only: string[] | undefined;
  /** Also time the core's stages alone (parse, sign content, mapping). */
  breakdown: boolean;
}

export const USAGE = `usage: node --import tsx test/bench/run.ts [options]
  --quick            short run (~1 min: shorter timings, 20 s memory run)
  --sections=LIST    micro,http,memory (default: all)
  --only=IDS         run only these case ids / server modes (comma-separated)
  --passes=N         micro passes, median taken (default 1)
  --memory-sec=N     memory run length in seconds (default 120; --quick: 20)
  --http-sec=N       measured seconds per HTTP mode (default 10; --quick: 3)
  --connections=N    autocannon connections (default 50)
  --breakdown        also time the core's stages alone (parse, sign content, mapping)
  --no-pin           do not pin processes to CPUs with taskset
  --json=PATH        where to write the JSON (default .bench/bench-<time>.json)`;

export function parseArgs(argv: readonly string[]): BenchArgs {
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = argv.includes('--quick');
  const num = (name: string, dflt: number) => {
    const v = get(name);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  const sections = new Set((get('sections') ?? 'micro,http,memory').split(',')) as BenchArgs['sections'];
  return {
    quick,
    sections,
    passes: num('passes', 1),
    memorySec: num('memory-sec', quick ? 20 : 120),
    httpSec: num('http-sec', quick ? 3 : 10),
    connections: num('connections', 50),
    pin: !argv.includes('--no-pin'),
    json: get('json'),
    only: get('only')?.split(','),
    breakdown: argv.includes('--breakdown'),
  };
}
