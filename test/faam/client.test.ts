import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { createServer } from 'node:net';
import { createFaamClient, FaamApiError, parseRetryAfter, type FaamClientOptions } from '../../shared/sources/faam/client.js';
import { providerDisplayName } from '../../shared/sources/faam/schema.js';
import { partyId, startFakeFaam, type FakeFaam } from '../support/fake-faam.js';

let faam: FakeFaam;
beforeAll(async () => {
  faam = await startFakeFaam();
});
afterAll(async () => {
  await faam.close();
});
afterEach(() => {
  faam.reset();
  faam.setDataset({ kind: 'stats', networkTotal: 0, providers: [] });
});

const FROM = new Date('2025-12-09T11:00:00Z');
const TO = new Date('2025-12-10T11:00:00Z');

/** A client whose waits are recorded, not spent. */
function client(overrides: Partial<FaamClientOptions> = {}) {
  const waits: number[] = [];
  const c = createFaamClient({
    baseUrl: faam.url,
    apiKey: faam.apiKey,
    sleep: async (ms) => void waits.push(ms),
    ...overrides,
  });
  return { c, waits };
}

async function failure(p: Promise<unknown>): Promise<FaamApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof FaamApiError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

const SPEC_ROWS = {
  kind: 'stats' as const,
  networkTotal: 9449838.1,
  providers: [
    { provider: partyId('cantonloop-mainnet-1'), total_amount: 2461692.38, percent_of_total: 26.0501 },
    { provider: partyId('cbtc-network'), total_amount: 1340956.2, percent_of_total: 14.1903 },
    { provider: partyId('provider-xyz'), total_amount: 901220.5, percent_of_total: 9.5369 },
  ],
};

describe('FAAMView client against a server implementing the contract', () => {
  test('sends the key as X-API-Key, asks for limit/from/to, and returns validated figures with display names', async () => {
    faam.setDataset(SPEC_ROWS);
    const { c, waits } = client();
    const stats = await c.stats({ limit: 2, from: FROM, to: TO });
    expect(faam.requests).toEqual([
      { path: '/api/v1/stats', keyAccepted: true, limit: '2', from: '2025-12-09T11:00:00Z', to: '2025-12-10T11:00:00Z', status: 200 },
    ]);
    expect(stats).toEqual({
      providers: [
        { provider: partyId('cantonloop-mainnet-1'), name: 'cantonloop-mainnet-1', rank: 1, amountUsd: 2461692.38, percent: 26.0501 },
        { provider: partyId('cbtc-network'), name: 'cbtc-network', rank: 2, amountUsd: 1340956.2, percent: 14.1903 },
      ],
      networkTotalUsd: 9449838.1,
      from: '2025-12-09T11:00:00Z',
      to: '2025-12-10T11:00:00Z',
      limit: 2,
    });
    expect(waits).toEqual([]);
  });

  test('a window only counts the rewards inside it', async () => {
    faam.setDataset({
      kind: 'rewards',
      rewards: [
        { provider: partyId('early'), amount: 900, at: '2025-12-09T10:59:59Z' },
        { provider: partyId('alpha'), amount: 300, at: '2025-12-09T12:00:00Z' },
        { provider: partyId('beta'), amount: 100, at: '2025-12-10T10:00:00Z' },
        { provider: partyId('late'), amount: 900, at: '2025-12-10T11:00:00Z' },
      ],
    });
    const stats = await client().c.stats({ limit: 5, from: FROM, to: TO });
    expect(stats.providers.map((p) => [p.name, p.percent, p.amountUsd])).toEqual([
      ['alpha', 75, 300],
      ['beta', 25, 100],
    ]);
    expect(stats.networkTotalUsd).toBe(400);
  });

  test('a key the server refuses is a typed error that says so and never contains the key', async () => {
    const secret = 'faam_live_DO_NOT_LEAK_0123456789';
    const { c, waits } = client({ apiKey: secret });
    const err = await failure(c.stats({ limit: 2, from: FROM, to: TO }));
    expect(err.code).toBe('unauthorized');
    expect(err.message).toBe('The FAAMView API refused the API key (HTTP 401). Check ALERT6_FAAMVIEW_API_KEY.');
    expect(`${err.message} ${err.stack ?? ''} ${JSON.stringify(err)}`).not.toContain(secret);
    expect(faam.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  test('429 is retried after its Retry-After, waiting through the injected sleep', async () => {
    faam.setDataset(SPEC_ROWS);
    faam.script({ status: 429, retryAfter: '7' }, { status: 429, retryAfter: '3' });
    const { c, waits } = client();
    const stats = await c.stats({ limit: 1, from: FROM, to: TO });
    expect(stats.providers.map((p) => p.name)).toEqual(['cantonloop-mainnet-1']);
    expect(waits).toEqual([7000, 3000]);
    expect(faam.requests.map((r) => r.status)).toEqual([429, 429, 200]);
  });

  test('429 asking for longer than the check has left fails at once, saying how long it asked for', async () => {
    faam.script({ status: 429, retryAfter: '3600' });
    const { c, waits } = client();
    const err = await failure(c.stats({ limit: 1, from: FROM, to: TO }));
    expect(err.code).toBe('rate_limited');
    expect(err.message).toBe(
      'The FAAMView API is rate limiting this key (HTTP 429) and asked to wait 3600 s, longer than this check can wait.',
    );
    expect(waits).toEqual([]);
  });

  test('the time left comes from the deadline when there is one', async () => {
    faam.script({ status: 429, retryAfter: '20' });
    // 30 s left, of which 15 s are kept for delivering: a 20 s wait does not fit.
    const err = await failure(client().c.stats({ limit: 1, from: FROM, to: TO }, { deadline: Date.now() + 30_000 }));
    expect(err.code).toBe('rate_limited');
    expect(faam.requests).toHaveLength(1);
  });

  test('Retry-After may be an HTTP date', () => {
    expect(parseRetryAfter('Wed, 10 Dec 2025 18:00:30 GMT', Date.parse('2025-12-10T18:00:00Z'))).toBe(30_000);
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });

  test('5xx is retried with growing backoff and succeeds when the server recovers', async () => {
    faam.setDataset(SPEC_ROWS);
    faam.script({ status: 500 }, { status: 503 });
    const { c, waits } = client();
    const stats = await c.stats({ limit: 3, from: FROM, to: TO });
    expect(stats.providers).toHaveLength(3);
    expect(waits).toEqual([2000, 4000]);
  });

  test('5xx on every attempt gives up after a bounded number of tries', async () => {
    faam.script({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
    faam.setDataset(SPEC_ROWS);
    const { c, waits } = client();
    const err = await failure(c.stats({ limit: 3, from: FROM, to: TO }));
    expect(err.code).toBe('server_error');
    expect(err.message).toBe('The FAAMView API answered HTTP 500 (Internal Server Error: fake failure) on 3 attempts.');
    // The fourth scripted 500 is never asked for.
    expect(faam.requests).toHaveLength(3);
    expect(waits).toEqual([2000, 4000]);
  });

  test('a slow answer times out and is retried', async () => {
    faam.setDataset(SPEC_ROWS);
    faam.script({ delayMs: 5_000 });
    const { c, waits } = client({ timeoutMs: 150 });
    const stats = await c.stats({ limit: 1, from: FROM, to: TO });
    expect(stats.providers).toHaveLength(1);
    expect(waits).toEqual([2000]);
  });

  test('a server that never answers in time is a timeout error after the last attempt', async () => {
    faam.script({ delayMs: 5_000 }, { delayMs: 5_000 });
    const err = await failure(client({ timeoutMs: 150, maxAttempts: 2 }).c.stats({ limit: 1, from: FROM, to: TO }));
    expect(err.code).toBe('timeout');
    expect(err.message).toBe('The FAAMView API did not answer within 0.2 s on 2 attempts.');
  });

  test('malformed JSON is a typed error and is not retried', async () => {
    faam.script({ rawBody: '{"success": true, "data": [' });
    const { c, waits } = client();
    const err = await failure(c.stats({ limit: 1, from: FROM, to: TO }));
    expect(err.code).toBe('malformed_json');
    expect(err.message).toMatch(/^The FAAMView API answered HTTP 200 with malformed JSON \(.+\)\.$/);
    expect(waits).toEqual([]);
  });

  test('JSON of the wrong shape names the field that did not fit', async () => {
    faam.script({
      rawBody: JSON.stringify({
        success: true,
        data: [{ provider: 'a::1', rank: 1, total_amount: 10, percent_of_total: '26.05' }],
        meta: { network_total: 10 },
      }),
    });
    const err = await failure(client().c.stats({ limit: 1, from: FROM, to: TO }));
    expect(err.code).toBe('unexpected_response');
    expect(err.message).toBe(
      'The FAAMView API response does not have the expected shape: data[0].percent_of_total: Invalid input: expected number, received string.',
    );
  });

  test('a missing network total is named too', async () => {
    faam.script({ rawBody: JSON.stringify({ success: true, data: [], meta: {} }) });
    const err = await failure(client().c.stats({ limit: 1, from: FROM, to: TO }));
    expect(err.message).toBe(
      'The FAAMView API response does not have the expected shape: meta.network_total: Invalid input: expected number, received undefined.',
    );
  });

  test('another 4xx is reported with the server’s reason and not retried', async () => {
    faam.script({ status: 404, body: JSON.stringify({ error: 'Not Found', message: 'no such route' }) });
    const { c, waits } = client();
    const err = await failure(c.stats({ limit: 1, from: FROM, to: TO }));
    expect(err.code).toBe('http_error');
    expect(err.message).toBe('The FAAMView API answered HTTP 404 (Not Found: no such route).');
    expect(waits).toEqual([]);
  });

  test('a server that cannot be reached is a network error after bounded retries', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const { c, waits } = client({ baseUrl: `http://127.0.0.1:${port}` });
    const err = await failure(c.stats({ limit: 1, from: FROM, to: TO }));
    expect(err.code).toBe('network');
    expect(err.message).toBe('The FAAMView API could not be reached (ECONNREFUSED) on 3 attempts.');
    expect(waits).toEqual([2000, 4000]);
  });

  test('a base URL with a path prefix keeps it', async () => {
    const { c } = client({ baseUrl: `${faam.url}/prefix/` });
    const err = await failure(c.stats({ limit: 1, from: FROM, to: TO }));
    expect(err.code).toBe('http_error');
    expect(faam.requests[0]?.path).toBe('/prefix/api/v1/stats');
  });
});

describe('provider display names', () => {
  test('the party id before :: is the name', () => {
    expect(providerDisplayName('cantonloop-mainnet-1::1220abcdef')).toBe('cantonloop-mainnet-1');
    expect(providerDisplayName('plain-name')).toBe('plain-name');
    expect(providerDisplayName('::1220abcdef')).toBe('::1220abcdef');
  });
});
