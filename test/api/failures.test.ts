import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startLocalApi, type LocalApi } from '../../infra/local/api-server.js';
import type { EmbeddedStore } from '../../infra/local/embedded-store.js';
import { INTERNAL_ERROR_BODY } from '../../shared/api/responses.js';
import { createRuntime } from '../../shared/runtime.js';
import { startTestStore, testRuntime } from '../support/embedded.js';
import { asKey, call, mintKey, type MintedKey } from './support.js';

/*
 * When the store misbehaves, callers get a plain JSON error: no stack trace, no table, variable or
 * exception name. Here the metrics table the functions are told to use does not exist.
 */
let store: EmbeddedStore;
let api: LocalApi;
let key: MintedKey;
const MISSING_TABLE = 'no-such-metrics-table';

beforeAll(async () => {
  store = await startTestStore();
  const good = await testRuntime(store.endpoint);
  key = await mintKey(good.store, good.now(), 'reader');
  // The same deployment, except that two of its tables were never created.
  const broken = createRuntime(
    { ...good.env, TABLE_NAME_METRICS: MISSING_TABLE, TABLE_NAME_STATE: 'no-such-state-table' },
    { now: good.now, sleep: good.sleep },
  );
  api = await startLocalApi(broken, 0, { log: () => undefined });
});
afterAll(async () => {
  await api.close();
  await store.close();
});

const LEAKS = /no-such|ResourceNotFound|Exception|stack|at \/|\.ts:|TABLE_|dynamo/i;

test('/health says the store does not answer: 503', async () => {
  const r = await call(api.url, '/health');
  expect(r.status).toBe(503);
  expect(r.json).toEqual({ error: 'unavailable', message: 'The data store does not answer.' });
});

test.each(['/api/metrics', '/api/metrics/latest', '/api/alerts'])('%s: 500 with a fixed message and a request id', async (path) => {
  const r = await call(api.url, path, asKey(key));
  expect(r.status).toBe(500);
  expect(r.json).toEqual({ ...INTERNAL_ERROR_BODY, request_id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  expect(r.text).not.toMatch(LEAKS);
});

test('bad input is still answered before the store is touched', async () => {
  const r = await call(api.url, '/api/metrics?limit=0', asKey(key));
  expect(r.status).toBe(400);
  expect(r.text).not.toMatch(LEAKS);
});

test('what is logged about failing requests never contains the key', async () => {
  const written: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const originals = streams.map((s) => s.write.bind(s));
  streams.forEach((s) => {
    s.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
      return (originals[streams.indexOf(s)] as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof s.write;
  });
  try {
    await call(api.url, '/api/metrics', asKey(key));
    await call(api.url, '/api/metrics/latest', { Authorization: `Bearer ${key.secret}` });
  } finally {
    streams.forEach((s, i) => {
      s.write = originals[i] as typeof s.write;
    });
  }
  // The failures were logged (so the capture worked), without the key.
  expect(written.join('')).toContain('API request failed');
  expect(written.join('')).not.toContain(key.secret);
});
