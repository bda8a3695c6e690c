import { CreateTableCommand, DescribeTableCommand, ListTablesCommand, type AttributeDefinition, type KeySchemaElement } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Store } from '../../shared/store/client.js';
import { TABLES } from '../../shared/store/tables.js';

/**
 * Local mode's DynamoDB: dynalite, a DynamoDB-compatible server, on loopback. With a data
 * directory it keeps its data on disk (LevelDB) so state survives a restart; without one it is in
 * memory (tests). It speaks the DynamoDB HTTP API, so the product's code is the same as in AWS.
 */
export interface EmbeddedStore {
  endpoint: string;
  close(): Promise<void>;
}

const STORE_FILE = 'store.json';

export async function startEmbeddedStore(opts: { dataDir?: string; port?: number } = {}): Promise<EmbeddedStore> {
  const path = opts.dataDir ? resolve(opts.dataDir, 'dynamodb') : undefined;
  if (path) mkdirSync(path, { recursive: true });
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(path ? { path } : {}) });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => ok());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Lets a second command (e.g. `npm run keys`) use the running store: LevelDB allows one opener.
  const marker = opts.dataDir ? join(resolve(opts.dataDir), STORE_FILE) : undefined;
  if (marker) writeFileSync(marker, JSON.stringify({ endpoint, pid: process.pid }));
  return {
    endpoint,
    close: () =>
      new Promise<void>((ok) => {
        if (marker) rmSync(marker, { force: true });
        server.close(() => ok());
      }),
  };
}

/** The endpoint of a store another local process is serving from `dataDir`, if it still answers. */
export async function findRunningStore(dataDir: string): Promise<string | undefined> {
  try {
    const { endpoint, pid } = JSON.parse(readFileSync(join(resolve(dataDir), STORE_FILE), 'utf8')) as { endpoint: string; pid: number };
    process.kill(pid, 0);
    const res = await fetch(endpoint, { method: 'GET', signal: AbortSignal.timeout(1000) });
    return res.status > 0 ? endpoint : undefined;
  } catch {
    return undefined;
  }
}

/** Uses the store a running `npm start` serves, or starts one on the same data directory. */
export async function connectOrStartEmbeddedStore(dataDir: string): Promise<EmbeddedStore> {
  const running = await findRunningStore(dataDir);
  if (running) return { endpoint: running, close: async () => {} };
  return startEmbeddedStore({ dataDir });
}

/** Creates any missing table from the shared definitions (the same ones the AWS stack uses). */
export async function ensureTables(store: Store): Promise<void> {
  const existing = new Set((await store.raw.send(new ListTablesCommand({}))).TableNames ?? []);
  for (const def of TABLES) {
    const name = store.table(def.logical);
    if (existing.has(name)) continue;
    const keys: KeySchemaElement[] = [{ AttributeName: def.partitionKey, KeyType: 'HASH' }];
    const attrs: AttributeDefinition[] = [{ AttributeName: def.partitionKey, AttributeType: 'S' }];
    if (def.sortKey) {
      keys.push({ AttributeName: def.sortKey, KeyType: 'RANGE' });
      attrs.push({ AttributeName: def.sortKey, AttributeType: 'S' });
    }
    await store.raw.send(
      new CreateTableCommand({ TableName: name, KeySchema: keys, AttributeDefinitions: attrs, BillingMode: 'PAY_PER_REQUEST' }),
    );
    await store.raw.send(new DescribeTableCommand({ TableName: name }));
  }
}
