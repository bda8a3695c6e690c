import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { cursorKey, encodeCursor, queryDigest } from '../../shared/api/cursor.js';
import { startTestStore, testRuntime } from '../support/embedded.js';
import { asKey, mintKey, seedHistory, startApi, type ApiFixture, type MintedKey } from './support.js';

// /api/metrics through the local server over a real store: paging, filters and every bad input.
let f: ApiFixture;
let key: MintedKey;
let seeded: Array<{ series: string; ts: string }>;

const CANTON = ['canton#latest_round', 'canton#1hr_avg', 'canton#24hr_avg'];
const END = new Date('2026-12-03T11:50:00.000Z');
const PER_SERIES = 400; // 1,200 records in all: more than the largest page

beforeAll(async () => {
  f = await startApi();
  key = await mintKey(f.rt.store, f.rt.now(), 'reader');
  seeded = await seedHistory(f.rt.store, { series: CANTON, end: END, count: PER_SERIES, stepMinutes: 10 });
});
afterAll(async () => {
  await f.close();
});

interface MetricsPage {
  series: string[];
  from: string | null;
  to: string | null;
  order: string;
  limit: number;
  count: number;
  records: Array<Record<string, unknown> & { series: string; ts: string }>;
  next_cursor: string | null;
}

const get = async (query: string) => {
  const r = await f.get(`/api/metrics${query}`, asKey(key));
  return { status: r.status, body: r.json as MetricsPage & Record<string, unknown> };
};

/** Follows next_cursor to the end, returning every page. */
async function allPages(query: string): Promise<MetricsPage[]> {
  const pages: MetricsPage[] = [];
  let cursor: string | null = null;
  do {
    const sep = query ? '&' : '?';
    const r = await get(`${query}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(r.status).toBe(200);
    pages.push(r.body);
    cursor = r.body.next_cursor;
  } while (cursor);
  return pages;
}

const key2 = (r: { series: string; ts: string }) => `${r.series}|${r.ts}`;

/** What a query should return, in order: series in registry order, each newest first unless asc. */
function expected(opts: { series?: string[]; from?: string; to?: string; order?: 'asc' | 'desc' } = {}) {
  const series = opts.series ?? CANTON;
  return series.flatMap((s) => {
    const ts = seeded
      .filter((r) => r.series === s && (!opts.from || r.ts >= opts.from) && (!opts.to || r.ts <= opts.to))
      .map((r) => r.ts)
      .sort();
    if (opts.order !== 'asc') ts.reverse();
    return ts.map((t) => `${s}|${t}`);
  });
}

describe('paging', () => {
  test('limit=1000 over 1,200 records: two pages, nothing lost or repeated, then no cursor', async () => {
    const pages = await allPages('?limit=1000');
    expect(pages.map((p) => p.count)).toEqual([1000, 200]);
    expect(pages[1]!.next_cursor).toBeNull();
    const got = pages.flatMap((p) => p.records.map(key2));
    expect(new Set(got).size).toBe(1200);
    expect(got).toEqual(expected());
  });

  test('an odd page size crossing series boundaries, oldest first', async () => {
    const pages = await allPages('?limit=7&order=asc&from=2026-12-01T00:00:00Z');
    const got = pages.flatMap((p) => p.records.map(key2));
    const want = expected({ from: '2026-12-01T00:00:00.000Z', order: 'asc' });
    expect(got).toEqual(want);
    expect(pages.length).toBe(Math.ceil(want.length / 7));
    expect(pages.slice(0, -1).every((p) => p.count === 7)).toBe(true);
  });

  test('a page that ends exactly at the end of a series still knows whether more follows', async () => {
    const pages = await allPages(`?limit=${PER_SERIES}`);
    expect(pages.map((p) => [p.count, p.records[0]!.series, p.next_cursor !== null])).toEqual([
      [400, 'canton#latest_round', true],
      [400, 'canton#1hr_avg', true],
      [400, 'canton#24hr_avg', false],
    ]);
  });

  test('the default page is 100 records, newest first, with a cursor', async () => {
    const r = await get('');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ series: [...CANTON, ...Array.from({ length: 10 }, (_, i) => `faam#alert6#${i + 1}`), 'faam#alert7'] });
    expect(r.body.from).toBeNull();
    expect(r.body.to).toBeNull();
    expect(r.body.order).toBe('desc');
    expect(r.body.limit).toBe(100);
    expect(r.body.count).toBe(100);
    expect(typeof r.body.next_cursor).toBe('string');
    expect(r.body.records[0]).toEqual({
      series: 'canton#latest_round',
      ts: '2026-12-03T11:50:00.000Z',
      gross_cc: 20,
      est_traffic_cc: 15,
      diff_cc: 5,
    });
  });
});

describe('filters', () => {
  test('from and to are inclusive; a date alone covers the whole UTC day', async () => {
    const r = await get('?series=canton%231hr_avg&from=2026-12-03T10:00:00Z&to=2026-12-03T11:00:00Z&order=asc');
    expect(r.body.records.map((x) => x.ts)).toEqual([
      '2026-12-03T10:00:00.000Z',
      '2026-12-03T10:10:00.000Z',
      '2026-12-03T10:20:00.000Z',
      '2026-12-03T10:30:00.000Z',
      '2026-12-03T10:40:00.000Z',
      '2026-12-03T10:50:00.000Z',
      '2026-12-03T11:00:00.000Z',
    ]);
    const day = await allPages('?series=canton%2324hr_avg&from=2026-12-02&to=2026-12-02&limit=1000');
    expect(day.flatMap((p) => p.records.map(key2))).toEqual(
      expected({ series: ['canton#24hr_avg'], from: '2026-12-02T00:00:00.000Z', to: '2026-12-02T23:59:59.999Z' }),
    );
    expect(day[0]!.count).toBe(144);
  });

  test('a zone offset is honoured', async () => {
    const r = await get('?series=canton%23latest_round&from=2026-12-03T13:40:00%2B02:00');
    expect(r.body.from).toBe('2026-12-03T11:40:00.000Z');
    expect(r.body.records.map((x) => x.ts)).toEqual(['2026-12-03T11:50:00.000Z', '2026-12-03T11:40:00.000Z']);
  });

  test('series takes several names, returned in registry order', async () => {
    const r = await get('?series=canton%2324hr_avg,canton%23latest_round&limit=1000');
    expect(r.body.series).toEqual(['canton#latest_round', 'canton#24hr_avg']);
    expect(r.body.records.map(key2)).toEqual(expected({ series: ['canton#latest_round', 'canton#24hr_avg'] }).slice(0, 1000));
  });

  test('source and type select series as in the spec', async () => {
    expect((await get('?source=canton&type=1hr_avg&limit=1')).body.series).toEqual(['canton#1hr_avg']);
    expect((await get('?source=canton&limit=1')).body.series).toEqual(CANTON);
    expect((await get('?type=alert6&limit=1')).body.series).toHaveLength(10);
    const faam = await get('?source=faam');
    expect(faam.body).toMatchObject({ count: 0, records: [], next_cursor: null });
  });
});

describe('bad input is a 400 naming the parameter and what it allows', () => {
  const LIMIT = 'a whole number from 1 to 1000 (default 100)';
  const TIME = 'an ISO 8601 date-time with a zone (e.g. 2025-11-27T16:51:10Z; in a URL write + as %2B) or a date (e.g. 2025-11-27)';
  test.each([
    ['limit=0', 'limit', LIMIT, 'limit must be a whole number from 1 to 1000 (default 100); got "0".'],
    ['limit=5000', 'limit', LIMIT, 'limit must be a whole number from 1 to 1000 (default 100); got "5000".'],
    ['limit=abc', 'limit', LIMIT, 'limit must be a whole number from 1 to 1000 (default 100); got "abc".'],
    ['limit=-1', 'limit', LIMIT, 'limit must be a whole number from 1 to 1000 (default 100); got "-1".'],
    ['limit=1.5', 'limit', LIMIT, 'limit must be a whole number from 1 to 1000 (default 100); got "1.5".'],
    ['limit=', 'limit', LIMIT, 'limit must be a whole number from 1 to 1000 (default 100); got "".'],
    ['from=yesterday', 'from', TIME, `from must be ${TIME}; got "yesterday".`],
    ['to=2026-13-01', 'to', TIME, `to must be ${TIME}; got "2026-13-01".`],
    ['from=2026-12-03T10:00:00', 'from', TIME, `from must be ${TIME}; got "2026-12-03T10:00:00".`],
    [
      'from=2026-12-03T12:00:00Z&to=2026-12-03T11:00:00Z',
      'from',
      'a time not after to',
      'from (2026-12-03T12:00:00.000Z) must not be after to (2026-12-03T11:00:00.000Z).',
    ],
    ['order=up', 'order', 'one of desc, asc (default desc)', 'order must be one of desc, asc (default desc); got "up".'],
    ['source=binance', 'source', 'one of canton, faam', 'source must be one of canton, faam; got "binance".'],
    [
      'source=faam&type=latest_round',
      'type',
      'one of alert6, alert7 for source faam',
      'type "latest_round" does not exist for source faam; allowed: alert6, alert7.',
    ],
    [
      'series=canton%23latest_round&source=canton',
      'series',
      'either series or source/type',
      'series cannot be combined with source; use either series or source/type.',
    ],
    ['foo=1', 'foo', expect.stringContaining('one of the parameters of this endpoint'), expect.stringContaining('foo is not a parameter of this endpoint; allowed: series, source, type, from, to, limit, order, cursor.')],
    ['api_key=abc', 'api_key', expect.any(String), 'api_key is not a parameter of this endpoint; API keys are accepted only in the X-API-Key or Authorization header.'],
    ['limit=1&limit=2', 'limit', 'given once', `limit was given more than once; give it once (${LIMIT}).`],
  ])('%s', async (query, parameter, allowed, message) => {
    const r = await get(`?${query}`);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ error: 'invalid_parameter', message, parameter, allowed, errors: [{ parameter, allowed, message }] });
  });

  test('an unknown series (including one whose # was cut off as a URL fragment)', async () => {
    const SERIES_ALLOWED =
      'one or more of canton#latest_round, canton#1hr_avg, canton#24hr_avg, faam#alert6#1 to faam#alert6#10, faam#alert7, comma-separated (in a URL write # as %23)';
    for (const [query, got] of [
      ['series=canton', 'canton'],
      ['series=canton%23latest_round,canton%23weekly', 'canton#latest_round,canton#weekly'],
    ]) {
      const r = await get(`?${query}`);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ parameter: 'series', allowed: SERIES_ALLOWED, message: `series must be ${SERIES_ALLOWED}; got "${got}".` });
    }
  });

  test('several bad parameters are all named', async () => {
    const r = await get('?limit=0&from=yesterday');
    expect(r.status).toBe(400);
    expect((r.body.errors as Array<{ parameter: string }>).map((e) => e.parameter)).toEqual(['from', 'limit']);
  });

  describe('cursors', () => {
    let cursor: string;
    beforeAll(async () => {
      cursor = (await get('?limit=5&series=canton%231hr_avg')).body.next_cursor!;
    });
    const INVALID = {
      error: 'invalid_parameter',
      parameter: 'cursor',
      allowed: 'the next_cursor of the previous page, unchanged, with the same series, source, type, from, to and order',
      message: 'cursor was not issued by this API or has been altered; pass next_cursor from the previous page unchanged.',
    };

    test('a cursor resumes the same query', async () => {
      const r = await get(`?limit=5&series=canton%231hr_avg&cursor=${cursor}`);
      expect(r.status).toBe(200);
      expect(r.body.records.map(key2)).toEqual(expected({ series: ['canton#1hr_avg'] }).slice(5, 10));
    });

    test('the page size may change between pages', async () => {
      const r = await get(`?limit=3&series=canton%231hr_avg&cursor=${cursor}`);
      expect(r.body.records.map(key2)).toEqual(expected({ series: ['canton#1hr_avg'] }).slice(5, 8));
    });

    test('a cursor with an edited payload is refused', async () => {
      const [payload, mac] = cursor.split('.') as [string, string];
      const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
      const edited = Buffer.from(JSON.stringify({ ...decoded, t: '2026-12-03T00:00:00.000Z' })).toString('base64url');
      const r = await get(`?limit=5&series=canton%231hr_avg&cursor=${edited}.${mac}`);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject(INVALID);
    });

    test('a cursor with a flipped MAC character is refused', async () => {
      const flipped = cursor.slice(0, -1) + (cursor.endsWith('A') ? 'B' : 'A');
      const r = await get(`?limit=5&series=canton%231hr_avg&cursor=${flipped}`);
      expect(r.body).toMatchObject(INVALID);
    });

    test.each(['abc', 'eyJ2IjoxfQ', '....', 'a'.repeat(4097)])('garbage %#: refused', async (bad) => {
      const r = await get(`?limit=5&series=canton%231hr_avg&cursor=${encodeURIComponent(bad)}`);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ parameter: 'cursor' });
    });

    test('a cursor from another query is refused as foreign', async () => {
      const r = await get(`?limit=5&series=canton%2324hr_avg&cursor=${cursor}`);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({
        ...INVALID,
        message: 'cursor belongs to a query with other series, source, type, from, to or order; repeat the original query with it.',
      });
    });

    test('a cursor from another deployment (another signing key) is refused', async () => {
      const other = await cursorFromElsewhere();
      const r = await f.get(`/api/metrics?limit=5&series=canton%231hr_avg&cursor=${other}`, asKey(key));
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject(INVALID);
    });
  });
});

/** A cursor minted by a separate deployment (its own store and thus its own signing key). */
async function cursorFromElsewhere(): Promise<string> {
  const store = await startTestStore();
  try {
    const rt = await testRuntime(store.endpoint);
    const k = await cursorKey(rt.store);
    return encodeCursor(k, queryDigest([['canton#1hr_avg'], null, null, 'desc']), { seriesIndex: 0, ts: '2026-12-03T11:10:00.000Z' });
  } finally {
    await store.close();
  }
}
