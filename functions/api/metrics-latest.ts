import { apiHandler } from '../../shared/api/handler.js';
import { resolveSeries, seriesParams } from '../../shared/api/series-filter.js';
import { attributesOf, shapeRecord } from '../../shared/api/series.js';
import { latestRecords } from '../../shared/store/metrics-query.js';
import { routeNamed } from './routes.js';

/** GET /api/metrics/latest: the newest record of each selected series (all by default). */
export const handler = apiHandler(routeNamed('metrics-latest'), seriesParams, async ({ query, runtime }) => {
  const series = resolveSeries(query);
  const records = await latestRecords(runtime.store, series, attributesOf);
  const found = new Set(records.map((r) => r.series));
  return {
    body: {
      series,
      count: records.length,
      records: records.map(shapeRecord),
      // Series that have no record yet (e.g. before the first scrape).
      empty: series.filter((s) => !found.has(s)),
    },
  };
});
