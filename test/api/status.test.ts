import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { closeBrowser } from '../../shared/sources/canton/scrape.js';
import { writeSnapshot } from '../../shared/store/snapshots.js';
import { metrics } from '../support/embedded.js';
import { startStaticServer, type StaticServer } from '../support/static-server.js';
import { asKey, mintKey, startApi, type ApiFixture } from './support.js';

/*
 * /api/status through the local server: from a stored snapshot while it is fresh, otherwise by a
 * live scrape (a real headless browser reading a fixture page served on loopback).
 */
const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'canton');
let pages: StaticServer;

beforeAll(async () => {
  pages = await startStaticServer(FIXTURES);
});
afterAll(async () => {
  await closeBrowser();
  await pages.close();
});

/** One API (own tables, own clock at 2026-12-03T12:00:00Z) per scenario, reading the given page. */
async function scenario(page: string, env: Record<string, string>, run: (f: ApiFixture, status: () => Promise<{ status: number; json: unknown }>) => Promise<void>) {
  const f = await startApi({ CANTON_URL: `${pages.url}/${page}`, ...env });
  try {
    const key = await mintKey(f.rt.store, f.rt.now(), 'reader');
    await run(f, () => f.get('/api/status', asKey(key)));
  } finally {
    await f.close();
  }
}

const ago = (f: ApiFixture, seconds: number) => new Date(f.rt.now().getTime() - seconds * 1000).toISOString();

const EXAMPLE_METRICS = {
  latest_round: { gross_cc: 12.1, est_traffic_cc: 15.23 },
  '1hr_avg': { gross_cc: 13.2, est_traffic_cc: 14.5 },
  '24hr_avg': { gross_cc: 16.35, est_traffic_cc: 11.75 },
};
const EXAMPLE_ALERTS = [
  {
    period: 'latest_round',
    label: 'Latest Round',
    gross_cc: 12.1,
    est_traffic_cc: 15.23,
    excess_cc: 3.13,
    message: 'Latest Round: Est.Traffic (15.23) > Gross (12.10) by 3.13 CC',
  },
  {
    period: '1hr_avg',
    label: '1-Hour Average',
    gross_cc: 13.2,
    est_traffic_cc: 14.5,
    excess_cc: 1.3,
    message: '1-Hour Average: Est.Traffic (14.50) > Gross (13.20) by 1.30 CC',
  },
];

describe('/api/status', () => {
  test('serves a fresh stored snapshot as it is, saying how old it is', async () => {
    await scenario('example.html', {}, async (f, status) => {
      const url = `${pages.url}/example.html`;
      await writeSnapshot(f.rt.store, { takenAt: ago(f, 30), url, metrics: metrics([22.11, 11.75], [22.76, 11.75], [16.35, 17]) });
      const r = await status();
      expect(r.status).toBe(200);
      expect(r.json).toEqual({
        timestamp: '2026-12-03T11:59:30.000Z',
        source: new URL(pages.url).host,
        origin: 'stored',
        age_seconds: 30,
        max_age_seconds: 120,
        metrics: {
          latest_round: { gross_cc: 22.11, est_traffic_cc: 11.75 },
          '1hr_avg': { gross_cc: 22.76, est_traffic_cc: 11.75 },
          '24hr_avg': { gross_cc: 16.35, est_traffic_cc: 17 },
        },
        alerts: [
          {
            period: '24hr_avg',
            label: '24-Hour Average',
            gross_cc: 16.35,
            est_traffic_cc: 17,
            excess_cc: 0.65,
            message: '24-Hour Average: Est.Traffic (17.00) > Gross (16.35) by 0.65 CC',
          },
        ],
      });
    });
  });

  test('scrapes live when nothing is stored, and stores what it read', async () => {
    await scenario('example.html', {}, async (f, status) => {
      const r = await status();
      expect(r.status).toBe(200);
      expect(r.json).toEqual({
        timestamp: '2026-12-03T12:00:00.000Z',
        source: new URL(pages.url).host,
        origin: 'live',
        age_seconds: 0,
        max_age_seconds: 120,
        metrics: EXAMPLE_METRICS,
        alerts: EXAMPLE_ALERTS,
      });
      // The history has the new reading, and the next call is served from it.
      const latest = (await f.get('/api/metrics/latest?source=canton', asKey((await mintKey(f.rt.store, f.rt.now(), 'second'))))).json;
      expect(latest).toMatchObject({
        records: [
          { series: 'canton#latest_round', ts: '2026-12-03T12:00:00.000Z', gross_cc: 12.1, est_traffic_cc: 15.23, diff_cc: -3.13 },
          { series: 'canton#1hr_avg', ts: '2026-12-03T12:00:00.000Z', gross_cc: 13.2, est_traffic_cc: 14.5, diff_cc: -1.3 },
          { series: 'canton#24hr_avg', ts: '2026-12-03T12:00:00.000Z', gross_cc: 16.35, est_traffic_cc: 11.75, diff_cc: 4.6 },
        ],
      });
      f.rt.clock.now = new Date('2026-12-03T12:01:00.000Z');
      expect((await status()).json).toMatchObject({ origin: 'stored', age_seconds: 60, metrics: EXAMPLE_METRICS });
    });
  });

  test('scrapes live when the stored snapshot is older than STATUS_MAX_AGE_SECONDS', async () => {
    await scenario('example.html', { STATUS_MAX_AGE_SECONDS: '60' }, async (f, status) => {
      const url = `${pages.url}/example.html`;
      await writeSnapshot(f.rt.store, { takenAt: ago(f, 61), url, metrics: metrics([1, 2], [3, 4], [5, 6]) });
      expect((await status()).json).toMatchObject({ origin: 'live', age_seconds: 0, max_age_seconds: 60, metrics: EXAMPLE_METRICS });
    });
  });

  test('a longer STATUS_MAX_AGE_SECONDS keeps serving the stored snapshot', async () => {
    await scenario('example.html', { STATUS_MAX_AGE_SECONDS: '600' }, async (f, status) => {
      const url = `${pages.url}/example.html`;
      await writeSnapshot(f.rt.store, { takenAt: ago(f, 300), url, metrics: metrics([1, 2], [3, 4], [5, 6]) });
      expect((await status()).json).toMatchObject({ origin: 'stored', age_seconds: 300, max_age_seconds: 600, metrics: { latest_round: { gross_cc: 1, est_traffic_cc: 2 } } });
    });
  });

  test('when the live scrape fails, the last stored snapshot is served as stale', async () => {
    await scenario('status/503', {}, async (f, status) => {
      const url = `${pages.url}/status/503`;
      await writeSnapshot(f.rt.store, { takenAt: ago(f, 3600), url, metrics: metrics([20, 10], [20, 10], [20, 10]) });
      const r = await status();
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ origin: 'stale', age_seconds: 3600, timestamp: '2026-12-03T11:00:00.000Z', alerts: [] });
    });
  });

  test('when the live scrape fails and nothing is stored: 503, without internals', async () => {
    await scenario('status/500', {}, async (_f, status) => {
      const r = await status();
      expect(r.status).toBe(503);
      expect(r.json).toEqual({
        error: 'unavailable',
        message: 'Current values are not available: the Canton Rewards page could not be read and nothing is stored yet.',
      });
    });
  });

  test('a bad STATUS_MAX_AGE_SECONDS is a 500 that names nothing internal', async () => {
    await scenario('example.html', { STATUS_MAX_AGE_SECONDS: 'soon' }, async (_f, status) => {
      const r = await status();
      expect(r.status).toBe(500);
      expect(r.json).toEqual({
        error: 'internal_error',
        message: 'The request could not be completed. Try again; if it keeps failing, check the service logs.',
        request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
    });
  });
});
