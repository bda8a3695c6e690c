import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { SERIES_NAMES } from '../../shared/api/series.js';
import { writeConcentration } from '../../shared/store/concentration.js';
import { putStateIfUnchanged } from '../../shared/store/state-repo.js';
import { asKey, mintKey, seedHistory, startApi, type ApiFixture, type MintedKey } from './support.js';

// /api/metrics/latest, /api/schema and /api/alerts through the local server, with real minted keys.
let f: ApiFixture;
let key: MintedKey;

const ENV = {
  ALERT3_THRESHOLD_PERCENT: '25',
  ALERT4_ENABLED: 'false',
  ALERT6_FAAMVIEW_API_KEY: 'faam-test-key',
  ALERT6_1_RULES: '2:50',
  ALERT6_2_ENABLED: 'true',
  ALERT6_2_NAME: 'Trading Desk Monitor',
  ALERT6_2_RULES: '5:75,10:90',
  ALERT6_2_INTERVAL_MINUTES: '120',
};

beforeAll(async () => {
  f = await startApi(ENV);
  key = await mintKey(f.rt.store, f.rt.now(), 'reader');
});
afterAll(async () => {
  await f.close();
});

describe('/api/metrics/latest', () => {
  test('before any data: every series listed as empty', async () => {
    const r = await f.get('/api/metrics/latest', asKey(key));
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ series: SERIES_NAMES, count: 0, records: [], empty: SERIES_NAMES });
  });

  test('the newest record of each series that has one', async () => {
    await seedHistory(f.rt.store, {
      series: ['canton#latest_round', 'canton#1hr_avg', 'canton#24hr_avg'],
      end: new Date('2026-12-03T11:50:00.000Z'),
      count: 20,
      stepMinutes: 10,
    });
    const concentration = {
      series: 'faam#alert6#2',
      check: 'alert6#2',
      name: 'Trading Desk Monitor',
      window_from: '2026-12-02T11:00:00.000Z',
      window_to: '2026-12-03T11:00:00.000Z',
      window_hours: 24,
      network_total_usd: 9449838,
      provider_count: 2,
      limit: 10,
      shares: [{ top_x: 5, percent: 71.5, providers_counted: 2, threshold_percent: 75, exceeded: false }],
      providers: [
        { rank: 1, name: 'cantonloop-mainnet-1', provider: 'cantonloop-mainnet-1::1220ab', percent: 52.4, amount_usd: 4951715 },
        { rank: 2, name: 'other', provider: 'other::1220cd', percent: 19.1, amount_usd: 1804919 },
      ],
    };
    await writeConcentration(f.rt.store, { ...concentration, ts: '2026-12-03T10:00:00.000Z' });
    await writeConcentration(f.rt.store, { ...concentration, ts: '2026-12-03T11:00:00.000Z' });

    const r = await f.get('/api/metrics/latest', asKey(key));
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      series: SERIES_NAMES,
      count: 4,
      records: [
        { series: 'canton#latest_round', ts: '2026-12-03T11:50:00.000Z', gross_cc: 20, est_traffic_cc: 15, diff_cc: 5 },
        { series: 'canton#1hr_avg', ts: '2026-12-03T11:50:00.000Z', gross_cc: 21, est_traffic_cc: 15, diff_cc: 6 },
        { series: 'canton#24hr_avg', ts: '2026-12-03T11:50:00.000Z', gross_cc: 22, est_traffic_cc: 15, diff_cc: 7 },
        { ...concentration, ts: '2026-12-03T11:00:00.000Z' },
      ],
      empty: SERIES_NAMES.filter((s) => !['canton#latest_round', 'canton#1hr_avg', 'canton#24hr_avg', 'faam#alert6#2'].includes(s)),
    });
    // The record's internal expiry is not part of what is served.
    expect(r.text).not.toContain('expires_at');
  });

  test('filtered by source and type', async () => {
    const r = await f.get('/api/metrics/latest?source=canton&type=24hr_avg', asKey(key));
    expect(r.json).toEqual({
      series: ['canton#24hr_avg'],
      count: 1,
      records: [{ series: 'canton#24hr_avg', ts: '2026-12-03T11:50:00.000Z', gross_cc: 22, est_traffic_cc: 15, diff_cc: 7 }],
      empty: [],
    });
  });

  test('takes no paging parameters', async () => {
    const r = await f.get('/api/metrics/latest?limit=1', asKey(key));
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ parameter: 'limit', message: 'limit is not a parameter of this endpoint; allowed: series, source, type.' });
  });
});

describe('/api/schema', () => {
  test('describes every series with its fields, units and meaning', async () => {
    const r = await f.get('/api/schema', asKey(key));
    expect(r.status).toBe(200);
    const body = r.json as { series: Array<{ source: string; type: string; series: string[]; description: string; fields: unknown[]; json_schema: unknown }> };
    expect(body.series.map((s) => [s.source, s.type, s.series.length])).toEqual([
      ['canton', 'latest_round', 1],
      ['canton', '1hr_avg', 1],
      ['canton', '24hr_avg', 1],
      ['faam', 'alert6', 10],
      ['faam', 'alert7', 1],
    ]);
    expect(body.series.flatMap((s) => s.series)).toEqual(SERIES_NAMES);
    expect(body.series[1]!.description).toBe('Canton Rewards (canton-rewards.noves.fi), 1-Hour Average: one record per scrape.');
    expect(body.series[1]!.fields).toEqual([
      { name: 'series', type: 'string', nullable: false, unit: null, description: 'The series this record belongs to.' },
      { name: 'ts', type: 'string (date-time)', nullable: false, unit: null, description: 'When the reading was taken (ISO 8601, UTC).' },
      {
        name: 'gross_cc',
        type: 'number',
        nullable: true,
        unit: 'CC',
        description: 'Gross rewards in Canton Coin for the rolling 1-hour average; null when the page did not show it.',
      },
      {
        name: 'est_traffic_cc',
        type: 'number',
        nullable: true,
        unit: 'CC',
        description: 'Estimated traffic cost in Canton Coin for the rolling 1-hour average; null when the page did not show it.',
      },
      {
        name: 'diff_cc',
        type: 'number',
        nullable: true,
        unit: 'CC',
        description: 'Gross − Est. Traffic, exact to the cent; negative means Est. Traffic > Gross. Null when either figure is missing.',
      },
    ]);
    expect(body.series[3]!.fields).toEqual(
      expect.arrayContaining([
        { name: 'network_total_usd', type: 'number', nullable: false, unit: 'USD', description: 'Total rewards of the whole network in the window.' },
        { name: 'window_hours', type: 'number', nullable: false, unit: 'hours', description: 'Length of the window.' },
      ]),
    );
    expect(body.series[0]!.json_schema).toMatchObject({
      type: 'object',
      required: ['series', 'ts', 'gross_cc', 'est_traffic_cc', 'diff_cc'],
      properties: { gross_cc: { type: ['number', 'null'], unit: 'CC' } },
    });
    // Every field a served record has is described, and nothing else.
    const latest = (await f.get('/api/metrics/latest', asKey(key))).json as { records: Array<Record<string, unknown>> };
    for (const record of latest.records) {
      const family = body.series.find((s) => s.series.includes(record.series as string))!;
      expect(Object.keys(record)).toEqual((family.fields as Array<{ name: string }>).map((x) => x.name));
    }
  });

  test('takes no parameters', async () => {
    const r = await f.get('/api/schema?format=yaml', asKey(key));
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      error: 'invalid_parameter',
      message: 'format is not a parameter of this endpoint; allowed: none.',
      parameter: 'format',
      allowed: 'absent: this endpoint takes no parameters',
      errors: [{ parameter: 'format', allowed: 'absent: this endpoint takes no parameters', message: 'format is not a parameter of this endpoint; allowed: none.' }],
    });
  });
});

describe('/api/alerts', () => {
  test('every alert and Alert 6 instance, with settings and state; sources with their health', async () => {
    const t1 = new Date('2026-12-03T09:15:00.000Z');
    const t2 = new Date('2026-12-03T11:30:00.000Z');
    expect(await putStateIfUnchanged(f.rt.store, 'alert3', undefined, { state: 'triggered', now: t1, notified: 'Canton: Est.Traffic Change' })).toBe(true);
    expect(await putStateIfUnchanged(f.rt.store, 'alert6#2', undefined, { state: 'normal', now: t2 })).toBe(true);
    expect(
      await putStateIfUnchanged(f.rt.store, 'source#canton', undefined, {
        state: 'failing',
        now: t2,
        notified: 'Canton Monitor ERROR',
        detail: 'Canton page https://canton-rewards.noves.fi/: HTTP 503 (not found: page unreachable)',
      }),
    ).toBe(true);

    const r = await f.get('/api/alerts', asKey(key));
    expect(r.status).toBe(200);
    const body = r.json as { alerts: Array<Record<string, unknown>>; sources: unknown[] };
    expect(body.alerts.map((a) => [a.key, a.enabled, a.interval_minutes, a.state])).toEqual([
      ['alert1', true, 15, null],
      ['alert2', true, 60, null],
      ['alert3', true, 15, 'triggered'],
      ['alert4', false, 15, null],
      ['alert5', true, 15, null],
      ['alert6#1', false, 360, null],
      ['alert6#2', true, 120, 'normal'],
      ['alert7', false, 60, null],
    ]);
    expect(body.alerts[2]).toEqual({
      key: 'alert3',
      alert: 'alert3',
      instance: null,
      name: 'Est. Traffic change',
      description: 'Est. Traffic change',
      mode: 'state-change',
      enabled: true,
      interval_minutes: 15,
      state: 'triggered',
      since: '2026-12-03T09:15:00.000Z',
      updated_at: '2026-12-03T09:15:00.000Z',
      last_notification: { title: 'Canton: Est.Traffic Change', at: '2026-12-03T09:15:00.000Z' },
    });
    expect(body.alerts[6]).toMatchObject({
      key: 'alert6#2',
      alert: 'alert6',
      instance: 2,
      name: 'Trading Desk Monitor',
      enabled: true,
      interval_minutes: 120,
      state: 'normal',
      since: '2026-12-03T11:30:00.000Z',
      last_notification: null,
    });
    expect(body.sources).toEqual([
      {
        key: 'source#canton',
        state: 'failing',
        since: '2026-12-03T11:30:00.000Z',
        updated_at: '2026-12-03T11:30:00.000Z',
        detail: 'Canton page https://canton-rewards.noves.fi/: HTTP 503 (not found: page unreachable)',
        last_notification: { title: 'Canton Monitor ERROR', at: '2026-12-03T11:30:00.000Z' },
      },
    ]);
  });
});
