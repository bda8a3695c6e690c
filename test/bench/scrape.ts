import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/*
 * Scrape timings against the example fixture on loopback (its app renders the figures 300 ms after load).
 *
 *   cold: a fresh Node process with an empty temp directory, so the Chromium binary is unpacked again,
 *         as in a new Lambda sandbox. The scraper is bundled the way it is deployed (esbuild, with
 *         @sparticuz/chromium and playwright-core left external) and run by plain node. Timed from
 *         before the scraper module is imported until the figures are returned.
 *   warm: repeated scrapes in one process with the browser kept open.
 *
 * Usage: tsx test/bench/scrape.ts [--cold-runs N] [--warm-runs N]. Prints one JSON object.
 */

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '../..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'canton');
const PAGE = 'example.html';
const PAGE_RENDER_DELAY_MS = 300;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const round = (ms: number): number => Math.round(ms);

/** Nearest-rank percentile of an ascending list. */
function percentile(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

// The cold process: import the scraper, scrape once, report. performance.now() counts from process start.
const COLD_ENTRY = `
const start = performance.now();
const { scrapeCanton, closeBrowser } = await import('./shared/sources/canton/scrape.ts');
const imported = performance.now();
const metrics = await scrapeCanton({ url: process.argv[2] });
const done = performance.now();
await closeBrowser();
console.log(JSON.stringify({
  scrape_ms: Math.round(done - start),
  module_load_ms: Math.round(imported - start),
  since_process_start_ms: Math.round(done),
  ok: metrics.latest_round.gross_cc === 12.1,
}));
`;

/** Bundles the cold entry under node_modules/.cache so that the external packages still resolve. */
async function buildColdChild(): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = join(ROOT, 'node_modules', '.cache', 'canton-bench', 'cold-child.mjs');
  await build({
    stdin: { contents: COLD_ENTRY, resolveDir: ROOT, loader: 'ts', sourcefile: 'cold-child.ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    external: ['@sparticuz/chromium', 'playwright-core'],
    // Bundled CommonJS dependencies call require(); give the ES module bundle one.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    outfile,
    logLevel: 'error',
  });
  return outfile;
}

// For reference: unpacking alone, in the same conditions, is the floor under any cold scrape.
const UNPACK_ONLY = `
const start = performance.now();
const { default: chromium } = await import('@sparticuz/chromium');
await chromium.executablePath();
console.log(JSON.stringify({ unpack_only_ms: Math.round(performance.now() - start) }));
`;

async function runColdOnce(bundle: string, url: string): Promise<Record<string, unknown>> {
  return { ...(await runFresh([bundle, url])), ...(await runFresh(['--input-type=module', '-e', UNPACK_ONLY])) };
}

async function runFresh(args: string[]): Promise<Record<string, unknown>> {
  // A private, empty temp dir: the binary is unpacked from scratch without deleting /tmp/chromium,
  // which other processes on this machine may be running.
  const dir = await mkdtemp(join(tmpdir(), 'canton-bench-'));
  try {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: dir, CHROMIUM_PATH: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const line = out
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .pop();
    if (code !== 0 || !line) throw new Error(`fresh process failed (exit ${code}): ${out}`);
    return JSON.parse(line) as Record<string, unknown>;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { startStaticServer } = await import('../support/static-server.js');
  const server = await startStaticServer(FIXTURES);
  const url = `${server.url}/${PAGE}`;
  try {
    const bundle = await buildColdChild();
    const cold: Record<string, unknown>[] = [];
    for (let i = 0; i < arg('--cold-runs', 3); i++) cold.push(await runColdOnce(bundle, url));

    const { scrapeCanton, closeBrowser, browserLaunchCount } = await import('../../shared/sources/canton/scrape.js');
    let t = performance.now();
    await scrapeCanton({ url });
    const firstInProcess = performance.now() - t;
    const warm: number[] = [];
    for (let i = 0; i < arg('--warm-runs', 15); i++) {
      t = performance.now();
      await scrapeCanton({ url });
      warm.push(performance.now() - t);
    }
    const launches = browserLaunchCount();
    await closeBrowser();

    const coldMs = cold.map((c) => c.scrape_ms as number).sort((a, b) => a - b);
    const unpackMs = cold.map((c) => c.unpack_only_ms as number).sort((a, b) => a - b);
    const sorted = [...warm].sort((a, b) => a - b);
    const result = {
      node: process.version,
      page: PAGE,
      page_render_delay_ms: PAGE_RENDER_DELAY_MS,
      cold: {
        runs: cold,
        median_scrape_ms: percentile(coldMs, 50),
        median_unpack_only_ms: percentile(unpackMs, 50),
      },
      first_scrape_binary_already_unpacked_ms: round(firstInProcess),
      warm: {
        runs: warm.length,
        median_ms: round(percentile(sorted, 50)),
        p95_ms: round(percentile(sorted, 95)),
        min_ms: round(sorted[0]!),
        max_ms: round(sorted[sorted.length - 1]!),
        browser_launches: launches,
      },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await server.close();
  }
}

await main();
