import { request as httpRequest } from 'node:http';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalApi, type LocalApi } from '../../infra/local/api-server.js';
import type { EmbeddedStore } from '../../infra/local/embedded-store.js';
import { runKeysCli } from '../../infra/cli/keys.js';
import type { Env } from '../../shared/config/env.js';
import type { Runtime } from '../../shared/runtime.js';
import type { Store } from '../../shared/store/client.js';
import { startTestStore, testRuntime } from '../support/embedded.js';

export interface MintedKey {
  id: string;
  name: string;
  scope: 'read' | 'admin';
  secret: string;
}

/** Mints keys exactly as an operator does, through the key command, and reads back what it printed. */
export async function mintKeys(store: Store, now: Date, args: string[]): Promise<MintedKey[]> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runKeysCli(['create', ...args, '--json'], { store, now: () => now, out: (l) => out.push(l), err: (l) => err.push(l) });
  if (code !== 0) throw new Error(`keys create failed (${code}): ${err.join('\n')}`);
  return JSON.parse(out.join('\n')) as MintedKey[];
}

export async function mintKey(store: Store, now: Date, name: string, scope: 'read' | 'admin' = 'read'): Promise<MintedKey> {
  const [key] = await mintKeys(store, now, ['--name', name, '--scope', scope]);
  return key!;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

/**
 * One HTTP request with node:http, so header names go out exactly as written (in any case) and
 * a header can be sent twice (an array value).
 */
export function call(baseUrl: string, path: string, headers: Record<string, string | string[]> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

export interface ApiFixture {
  store: EmbeddedStore;
  rt: Runtime & { clock: { now: Date } };
  api: LocalApi;
  /** Lines the server printed at start. */
  startup: string[];
  get(path: string, headers?: Record<string, string | string[]>): Promise<Reply>;
  close(): Promise<void>;
}

/** dynalite over HTTP, a runtime on it and the local API server in front of the real handlers. */
export async function startApi(env: Env = {}, overrides: Partial<Runtime> = {}): Promise<ApiFixture> {
  const store = await startTestStore();
  const rt = await testRuntime(store.endpoint, env, overrides);
  const startup: string[] = [];
  const api = await startLocalApi(rt, 0, { log: (l) => startup.push(l) });
  return {
    store,
    rt,
    api,
    startup,
    get: (path, headers) => call(api.url, path, headers),
    close: async () => {
      await api.close();
      await store.close();
    },
  };
}

export const asKey = (key: MintedKey) => ({ 'X-API-Key': key.secret });

/** Canton-like history: `count` records per series, every `stepMinutes`, ending at `end`. */
export async function seedHistory(
  store: Store,
  opts: { series: readonly string[]; end: Date; count: number; stepMinutes: number },
): Promise<Array<{ series: string; ts: string }>> {
  const items: Array<Record<string, unknown> & { series: string; ts: string }> = [];
  for (const [si, series] of opts.series.entries()) {
    for (let i = 0; i < opts.count; i++) {
      const ts = new Date(opts.end.getTime() - i * opts.stepMinutes * 60_000).toISOString();
      const gross = Math.round((20 + si + (i % 50) / 10) * 100) / 100;
      const est = Math.round((15 + (i % 30) / 10) * 100) / 100;
      items.push({ series, ts, gross_cc: gross, est_traffic_cc: est, diff_cc: Math.round((gross - est) * 100) / 100, expires_at: 2_000_000_000 });
    }
  }
  for (let i = 0; i < items.length; i += 25) {
    let request: Record<string, Array<{ PutRequest: { Item: Record<string, unknown> } }>> | undefined = {
      [store.table('metrics')]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
    };
    // dynalite may hand back unprocessed items like DynamoDB does; retry them until none are left.
    while (request && Object.keys(request).length > 0) {
      const out = await store.doc.send(new BatchWriteCommand({ RequestItems: request }));
      request = out.UnprocessedItems as typeof request;
    }
  }
  return items.map(({ series, ts }) => ({ series, ts }));
}
