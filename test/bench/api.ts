/**
 * API latency over 30 days of 10-minute history (3 Canton series, 12,960 records) in the embedded
 * store: GET /api/metrics?limit=1000 and GET /api/metrics/latest invoked through their handlers,
 * each beside the raw DynamoDB queries that fetch the same page, interleaved in the same run.
 * Also shown: the whole local HTTP path (server, authorizer, handler) for the same requests.
 *
 *   node_modules/.bin/tsx test/bench/api.ts
 */
import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { handler as latestHandler } from '../../functions/api/metrics-latest.js';
import { handler as metricsHandler } from '../../functions/api/metrics.js';
import { startLocalApi } from '../../infra/local/api-server.js';
import { ensureTables, startEmbeddedStore } from '../../infra/local/embedded-store.js';
import { SERIES_NAMES } from '../../shared/api/series.js';
import { logger } from '../../shared/lambda/logger.js';
import { setRuntime } from '../../shared/lambda/runtime-cache.js';
import { createRuntime } from '../../shared/runtime.js';
import { call, mintKey, seedHistory } from '../api/support.js';

logger.setLogLevel('SILENT');
const WARMUP = 15;
const RUNS = Number(process.env.BENCH_RUNS ?? 200);

const store = await startEmbeddedStore();
const rt = createRuntime({ DYNAMODB_ENDPOINT: store.endpoint, TABLE_PREFIX: 'bench' });
await ensureTables(rt.store);
setRuntime(rt);

const CANTON = ['canton#latest_round', 'canton#1hr_avg', 'canton#24hr_avg'];
const end = new Date('2026-12-03T12:00:00.000Z');
const seedStarted = performance.now();
const seeded = await seedHistory(rt.store, { series: CANTON, end, count: 30 * 144, stepMinutes: 10 });
process.stderr.write(`Seeded ${seeded.length} records in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s\n`);

const context = { awsRequestId: 'bench', functionName: 'bench', getRemainingTimeInMillis: () => 30_000 } as Context;
const event = (path: string, query: Record<string, string> | null): APIGatewayProxyEvent =>
  ({
    resource: path,
    path,
    httpMethod: 'GET',
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: query,
    multiValueQueryStringParameters: query ? Object.fromEntries(Object.entries(query).map(([k, v]) => [k, [v]])) : null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    // What the authorizer hands over for a read key.
    requestContext: { requestId: randomUUID(), authorizer: { principalId: 'key_bench', scope: 'read', key_id: 'key_bench' } },
  }) as unknown as APIGatewayProxyEvent;

type Invoke = (e: APIGatewayProxyEvent, c: Context) => Promise<APIGatewayProxyResult>;
const viaHandler = (h: unknown, path: string, query: Record<string, string> | null) => async () => {
  const r = await (h as Invoke)(event(path, query), context);
  if (r.statusCode !== 200) throw new Error(`${path}: ${r.statusCode} ${r.body}`);
  return JSON.parse(r.body) as { count: number };
};

const rawPage = async () => {
  const out = await rt.store.doc.send(
    new QueryCommand({
      TableName: rt.store.table('metrics'),
      KeyConditionExpression: 'series = :s',
      ExpressionAttributeValues: { ':s': CANTON[0] },
      ScanIndexForward: false,
      Limit: 1000,
    }),
  );
  return { count: out.Items?.length ?? 0 };
};

const rawLatest = (series: readonly string[]) => async () => {
  const found = await Promise.all(
    series.map((s) =>
      rt.store.doc.send(
        new QueryCommand({
          TableName: rt.store.table('metrics'),
          KeyConditionExpression: 'series = :s',
          ExpressionAttributeValues: { ':s': s },
          ScanIndexForward: false,
          Limit: 1,
        }),
      ),
    ),
  );
  return { count: found.filter((o) => (o.Items?.length ?? 0) > 0).length };
};

const key = await mintKey(rt.store, rt.now(), 'bench');
const api = await startLocalApi(rt, 0, { log: () => undefined });
const viaHttp = (pathAndQuery: string) => async () => {
  const r = await call(api.url, pathAndQuery, { 'X-API-Key': key.secret });
  if (r.status !== 200) throw new Error(`${pathAndQuery}: ${r.status}`);
  return r.json as { count: number };
};

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

/** Runs the contenders in alternating order per round, so drift affects all alike. */
async function compare(name: string, contenders: Array<[string, () => Promise<{ count: number }>]>) {
  const times = contenders.map(() => [] as number[]);
  const counts = new Set<string>();
  for (let round = 0; round < WARMUP + RUNS; round++) {
    const order = round % 2 === 0 ? contenders.map((_, i) => i) : contenders.map((_, i) => contenders.length - 1 - i);
    for (const i of order) {
      const t0 = performance.now();
      const { count } = await contenders[i]![1]();
      const ms = performance.now() - t0;
      if (round >= WARMUP) times[i]!.push(ms);
      counts.add(`${contenders[i]![0]}=${count}`);
    }
  }
  const stats = times.map((t) => {
    const sorted = [...t].sort((a, b) => a - b);
    return { median: quantile(sorted, 0.5), p95: quantile(sorted, 0.95) };
  });
  const base = stats[0]!;
  process.stdout.write(`\n${name}  (${RUNS} runs each; records per call: ${[...counts].join(', ')})\n`);
  process.stdout.write(`  ${'path'.padEnd(34)}${'median ms'.padStart(11)}${'p95 ms'.padStart(10)}${'× raw (median)'.padStart(16)}${'× raw (p95)'.padStart(13)}\n`);
  contenders.forEach(([label], i) => {
    const s = stats[i]!;
    process.stdout.write(
      `  ${label.padEnd(34)}${s.median.toFixed(2).padStart(11)}${s.p95.toFixed(2).padStart(10)}${(s.median / base.median).toFixed(2).padStart(16)}${(s.p95 / base.p95).toFixed(2).padStart(13)}\n`,
    );
  });
}

await compare('GET /api/metrics?limit=1000', [
  ['raw Query (Limit 1000)', rawPage],
  ['handler', viaHandler(metricsHandler, '/api/metrics', { limit: '1000' })],
  ['local HTTP + authorizer + handler', viaHttp('/api/metrics?limit=1000')],
]);
await compare(`GET /api/metrics/latest (${SERIES_NAMES.length} series)`, [
  [`raw Query ×${SERIES_NAMES.length} (Limit 1)`, rawLatest(SERIES_NAMES)],
  ['handler', viaHandler(latestHandler, '/api/metrics/latest', null)],
  ['local HTTP + authorizer + handler', viaHttp('/api/metrics/latest')],
]);
await compare('GET /api/metrics/latest?source=canton (3 series)', [
  ['raw Query ×3 (Limit 1)', rawLatest(CANTON)],
  ['handler', viaHandler(latestHandler, '/api/metrics/latest', { source: 'canton' })],
]);

await api.close();
await store.close();
