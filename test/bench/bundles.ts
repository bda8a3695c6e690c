/**
 * `npm run bench -- bundles`: the deployable functions, measured on the built assets.
 *
 * 1. `cdk synth` (the CLI, with bundling) at default settings.
 * 2. For every function: bundle size, and cold initialisation (importing the bundle: module load
 *    and handler setup) in fresh Node 24 processes, median of RUNS.
 * 3. Durations of the default schedule's work, for the cost estimate: a 15-minute tick (Alerts 1,
 *    3, 4 and 5 started together, as their schedules fire together) in new containers, then the
 *    next tick in the same (warm) containers, plus API calls.
 * 4. The monthly cost of the default configuration from those figures.
 *
 * The Canton page is the local fixture (it renders after 300 ms); the cost estimate adds an
 * allowance for loading the real page over the internet. Results also go to test/bench/results/bundles.json.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROUTES } from '../../functions/api/routes.js';
import { routeFunctionId } from '../../infra/functions.js';
import { apiTestEvent, authorizerTestEvent } from '../infra/support/events.js';
import { createApiKey } from '../../shared/store/api-keys.js';
import { createStore } from '../../shared/store/client.js';
import { tableNameVariable } from '../../shared/store/tables.js';
import { startStaticServer } from '../support/static-server.js';
import { cliSynth } from '../infra/support/cli-synth.js';
import {
  directorySize,
  invokeAsset,
  lambdaEnvironment,
  prepareTask,
  PROJECT_ROOT,
  readAssembly,
  resolveEnvironment,
  startSandboxStore,
  type InvokeOutcome,
  type SynthesizedFunction,
} from '../infra/support/lambda-sandbox.js';

const RUNS = 7;
const STACK = 'CantonRewardsMonitor';
const TARGET_BYTES = 1_000_000;
const TARGET_INIT_MS = 150;

/** us-east-1 list prices (USD), x86_64. */
export const PRICES = {
  lambdaGbSecond: 0.0000166667,
  lambdaRequest: 0.2 / 1e6,
  dynamoWrite: 0.625 / 1e6,
  dynamoRead: 0.125 / 1e6,
  dynamoStorageGbMonth: 0.25,
  pitrGbMonth: 0.2,
  secretMonth: 0.4,
  secretsApiCall: 0.05 / 1e4,
  schedulerInvocation: 1 / 1e6,
  apiRequest: 3.5 / 1e6,
  logsIngestGb: 0.5,
  logsStoreGbMonth: 0.03,
  alarmMetricMonth: 0.1,
} as const;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (n: number | undefined) => (n === undefined ? '-' : `${Math.round(n)}`);

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'crm-bench-bundles-'));
  const page = await startStaticServer(join(PROJECT_ROOT, 'test', 'fixtures', 'canton'));
  const results: Record<string, unknown> = { loadAverageAtStart: loadavg() };
  try {
    // Default settings, except that the page is the local fixture (no network here).
    const envFile = join(work, 'bench.env');
    writeFileSync(envFile, `CANTON_URL=${page.url}/example.html\n`);
    mkdirSync(join(work, 'home'));
    const synth = await cliSynth({ outdir: join(work, 'cdk.out'), envFile, home: join(work, 'home') });
    if (synth.code !== 0) throw new Error(`cdk synth failed:\n${synth.stderr}`);
    process.stdout.write(`cdk synth with bundling: ${(synth.ms / 1000).toFixed(1)} s\n\n`);
    results.synthSeconds = synth.ms / 1000;
    const assembly = readAssembly(join(work, 'cdk.out'), STACK);

    const store = await startSandboxStore('bench');
    const refs = () => ({
      ...Object.fromEntries(Object.entries(assembly.tableIds).map(([logical, id]) => [id, store.tables[logical as keyof typeof store.tables]])),
      [assembly.secretId]: 'unused',
    });
    const envFor = (fn: SynthesizedFunction, task: string, tmp: string) => {
      const env: Record<string, string> = { ...lambdaEnvironment(fn, task, tmp), ...resolveEnvironment(fn.environment, refs()), DYNAMODB_ENDPOINT: store.endpoint };
      // No channel is configured by default, so there is nothing to read from the secret.
      delete env.SECRETS_ARN;
      return env;
    };

    // Sizes and cold initialisation.
    const rows: Array<{ id: string; bytes: number; layerBytes: number; initMs: number; initMinMs: number; memoryMb: number }> = [];
    const loadTmp = join(work, 'tmp-load');
    mkdirSync(loadTmp);
    for (const fn of assembly.functions) {
      const task = prepareTask(fn, join(work, 'sandbox'));
      const loads: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const out = await invokeAsset({ taskDir: task, handler: fn.handler, event: null, env: envFor(fn, task, loadTmp), timeoutMs: 30_000, loadOnly: true });
        if (out.loadMs === undefined) throw new Error(`${fn.id} did not load: ${JSON.stringify(out.loadError)}`);
        loads.push(out.loadMs);
      }
      rows.push({
        id: fn.id,
        bytes: statSync(join(fn.assetDir, 'index.mjs')).size,
        layerBytes: fn.layerDirs.reduce((n, d) => n + directorySize(d), 0),
        initMs: median(loads),
        initMinMs: Math.min(...loads),
        memoryMb: fn.memoryMb,
      });
    }
    process.stdout.write('function               bundle     layer   memory   init median (min)   targets (no Chromium: <= 1 MB, <= 150 ms)\n');
    for (const r of rows) {
      const chromium = r.layerBytes > 0;
      const verdict = chromium ? 'Chromium function' : r.bytes <= TARGET_BYTES && r.initMs <= TARGET_INIT_MS ? 'met' : 'MISSED';
      process.stdout.write(
        `${r.id.padEnd(20)} ${`${(r.bytes / 1000).toFixed(0)} kB`.padStart(8)} ${chromium ? `${(r.layerBytes / 1e6).toFixed(0)} MB`.padStart(9) : '        -'} ${`${r.memoryMb} MB`.padStart(8)}   ${`${ms(r.initMs)} ms (${ms(r.initMinMs)})`.padStart(15)}     ${verdict}\n`,
      );
    }
    results.functions = rows;

    // Default 15-minute ticks as the schedules run them: Alert 1 on the quarter hour scrapes the
    // page; Alerts 3, 4 and 5 a minute later reuse its reading. Each process runs two ticks: the
    // first in a new container (for Alert 1: Chromium unpacked and launched), the second 3 s later
    // in the same container, as a warm one would run the next tick. SNAPSHOT_FRESH_SECONDS=2 (here
    // only) makes Alert 1's second tick scrape again, as it would 15 minutes later.
    const tickTmp = join(work, 'tmp-tick');
    mkdirSync(tickTmp);
    const runTick = async (id: string, env: Record<string, string>) => {
      const fn = assembly.functions.find((f) => f.id === id)!;
      const task = prepareTask(fn, join(work, 'sandbox-tick'));
      const out = await invokeAsset({
        taskDir: task,
        handler: fn.handler,
        event: { scheduledTime: '2026-01-01T00:00:00Z' },
        again: { event: { scheduledTime: '2026-01-01T00:15:00Z' }, pauseMs: 3000 },
        env: { ...envFor(fn, task, tickTmp), ...env },
        timeoutMs: fn.timeoutSeconds * 1000,
      });
      if (!out.ok || !out.warm?.ok) throw new Error(`${id}: ${JSON.stringify(out.error ?? out.loadError ?? out.warm?.error)}\n${out.stderr}`);
      return [id, out] as const;
    };
    const leader = await runTick('alert1', { SNAPSHOT_FRESH_SECONDS: '2' });
    const followers = await Promise.all(['alert3', 'alert4', 'alert5'].map((id) => runTick(id, {})));
    const outs = [leader, ...followers];
    const cold = Object.fromEntries(outs.map(([id, o]) => [id, (o.loadMs! + o.runMs!) / 1000]));
    const warm = Object.fromEntries(outs.map(([id, o]) => [id, o.warm!.runMs / 1000]));
    process.stdout.write(`\n15-minute tick, new containers (init + run): ${outs.map(([id, o]) => `${id} ${ms(o.loadMs)} + ${ms(o.runMs)} ms`).join(', ')}\n`);
    process.stdout.write(`15-minute tick, warm containers (run):        ${outs.map(([id, o]) => `${id} ${ms(o.warm!.runMs)} ms`).join(', ')}\n`);
    results.ticks = { coldSeconds: cold, warmSeconds: warm };

    // API: a read request through the authorizer.
    const keyStore = createStore({ tablePrefix: 'x', endpoint: store.endpoint, retentionDays: 400 }, { [tableNameVariable('api-keys')]: store.tables['api-keys'], AWS_REGION: 'us-east-1' });
    const key = (await createApiKey(keyStore, { name: 'bench', scope: 'read', now: new Date() })).secret;
    keyStore.raw.destroy();
    const api: Record<string, InvokeOutcome> = {};
    for (const [id, event] of [
      ['api-authorizer', authorizerTestEvent(key)],
      ...ROUTES.map((r) => [routeFunctionId(r), apiTestEvent(r)] as const),
    ] as const) {
      const fn = assembly.functions.find((f) => f.id === id)!;
      const task = prepareTask(fn, join(work, 'sandbox-api'));
      api[id] = await invokeAsset({ taskDir: task, handler: fn.handler, event, env: envFor(fn, task, tickTmp), timeoutMs: fn.timeoutSeconds * 1000 });
    }
    process.stdout.write(`\nAPI (cold): ${Object.entries(api).map(([id, o]) => `${id} ${ms(o.loadMs)} + ${ms(o.runMs)} ms`).join(', ')}\n`);
    results.api = Object.fromEntries(Object.entries(api).map(([id, o]) => [id, { loadMs: o.loadMs, runMs: o.runMs }]));
    await store.close();

    results.cost = costEstimate({ cold, warm, api, memoryMb: assembly.functions.find((f) => f.id === 'alert1')!.memoryMb });
    results.loadAverageAtEnd = loadavg();
    mkdirSync(join(PROJECT_ROOT, 'test', 'bench', 'results'), { recursive: true });
    writeFileSync(join(PROJECT_ROOT, 'bench', 'results', 'bundles.json'), `${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await page.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Seconds added to every scraping invocation for loading the real page over the internet. */
export const REAL_PAGE_ALLOWANCE_S = 3;

function costEstimate(m: { cold: Record<string, number>; warm: Record<string, number>; api: Record<string, InvokeOutcome>; memoryMb: number }) {
  // A 30-day month: 2,880 quarter-hours. Alert 1 scrapes every tick; Alerts 3, 4, 5 (every tick)
  // and 2 (every hour) reuse its reading a minute later.
  const scrapes = 2880;
  const reuses = 3 * 2880 + 720;
  const invocations = scrapes + reuses;
  const followerIds = Object.keys(m.cold).filter((id) => id !== 'alert1');
  const meanOf = (x: Record<string, number>) => followerIds.reduce((a, id) => a + (x[id] ?? 0), 0) / followerIds.length;
  const gb = m.memoryMb / 1024;
  const scenario = (x: Record<string, number>) => {
    const scrapeRun = (x.alert1 ?? 0) + REAL_PAGE_ALLOWANCE_S;
    const reuseRun = meanOf(x);
    const gbSeconds = (scrapes * scrapeRun + reuses * reuseRun) * gb;
    return { perRun: (scrapes * scrapeRun + reuses * reuseRun) / invocations, scrapeRun, reuseRun, gbSeconds };
  };
  // Bounds: every run in a new container (init billed, Chromium unpacked and launched), or every run warm.
  const upper = scenario(m.cold);
  const lower = scenario(m.warm);
  const apiRequests = 10_000;
  const apiSeconds = (['api-authorizer', 'api-status'] as const).reduce((s, id) => s + ((m.api[id]?.loadMs ?? 0) + (m.api[id]?.runMs ?? 0)) / 1000, 0);
  const apiGbSeconds = apiRequests * apiSeconds * 0.5;
  // Per alert run: about 6 writes (state, idempotency record and its completion, lease, snapshot, history) and 4 reads.
  const writes = invocations * 6;
  const reads = invocations * 4 + apiRequests * 3;
  const fixed = {
    lambdaRequests: (invocations + 2 * apiRequests) * PRICES.lambdaRequest,
    dynamodb: writes * PRICES.dynamoWrite + reads * PRICES.dynamoRead + 0.05 * (PRICES.dynamoStorageGbMonth + PRICES.pitrGbMonth),
    // One read per new container; at most one per run.
    secretsManager: PRICES.secretMonth + invocations * PRICES.secretsApiCall,
    // 12,240 invocations a month are inside the 14 million the scheduler includes.
    scheduler: 0,
    apiGateway: apiRequests * PRICES.apiRequest,
    logs: (((invocations + 2 * apiRequests) * 2_000) / 1e9) * PRICES.logsIngestGb + 0.1 * PRICES.logsStoreGbMonth,
    // Two standard alarms: the dead-letter queue and the API's 5XX count.
    alarms: 2 * PRICES.alarmMetricMonth,
  };
  const fixedTotal = Object.values(fixed).reduce((a, b) => a + b, 0);
  const total = (gbSeconds: number) => (gbSeconds + apiGbSeconds) * PRICES.lambdaGbSecond + fixedTotal;
  process.stdout.write(
    `\nCost at default settings, list prices (${invocations} alert runs a month, ${m.memoryMb} MB, +${REAL_PAGE_ALLOWANCE_S} s a run for the real page):\n` +
      `  warm containers: scrape ${lower.scrapeRun.toFixed(2)} s, reuse ${lower.reuseRun.toFixed(2)} s, mean ${lower.perRun.toFixed(2)} s a run = ${Math.round(lower.gbSeconds)} GB-s -> compute $${((lower.gbSeconds + apiGbSeconds) * PRICES.lambdaGbSecond).toFixed(2)}, total $${total(lower.gbSeconds).toFixed(2)}\n` +
      `  new containers:  scrape ${upper.scrapeRun.toFixed(2)} s, reuse ${upper.reuseRun.toFixed(2)} s, mean ${upper.perRun.toFixed(2)} s a run = ${Math.round(upper.gbSeconds)} GB-s -> compute $${((upper.gbSeconds + apiGbSeconds) * PRICES.lambdaGbSecond).toFixed(2)}, total $${total(upper.gbSeconds).toFixed(2)}\n` +
      Object.entries(fixed).map(([k, v]) => `  ${k.padEnd(16)} $${v.toFixed(3)}`).join('\n') +
      '\n',
  );
  return { invocations, apiRequests, apiGbSeconds, warm: lower, cold: upper, fixed, totalWarm: total(lower.gbSeconds), totalCold: total(upper.gbSeconds) };
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
