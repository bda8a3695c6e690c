import { CursorError, cursorKey, decodeCursor, encodeCursor, queryDigest } from '../../shared/api/cursor.js';
import { apiHandler } from '../../shared/api/handler.js';
import { enumParam, intParam, problem, stringParam, timeParam } from '../../shared/api/query.js';
import { invalidParameters } from '../../shared/api/responses.js';
import { resolveSeries, seriesParams } from '../../shared/api/series-filter.js';
import { attributesOf, shapeRecord } from '../../shared/api/series.js';
import { queryMetricsPage } from '../../shared/store/metrics-query.js';
import { routeNamed } from './routes.js';

const CURSOR_ALLOWED = 'the next_cursor of the previous page, unchanged, with the same series, source, type, from, to and order';

/** GET /api/metrics: history, newest first unless order=asc, one series after another. */
export const handler = apiHandler(
  routeNamed('metrics'),
  {
    ...seriesParams,
    from: timeParam('start'),
    to: timeParam('end'),
    limit: intParam(1, 1000, 100),
    order: enumParam(['desc', 'asc'], 'desc'),
    cursor: stringParam(CURSOR_ALLOWED),
  },
  async ({ query, runtime }) => {
    const series = resolveSeries(query);
    const from = query.from?.toISOString();
    const to = query.to?.toISOString();
    if (from !== undefined && to !== undefined && from > to) {
      throw invalidParameters([problem('from', 'a time not after to', `from (${from}) must not be after to (${to}).`)]);
    }
    const digest = queryDigest([series, from ?? null, to ?? null, query.order]);
    const key = await cursorKey(runtime.store);
    let after;
    if (query.cursor !== undefined) {
      try {
        after = decodeCursor(key, digest, query.cursor);
      } catch (err) {
        if (!(err instanceof CursorError)) throw err;
        throw invalidParameters([
          problem(
            'cursor',
            CURSOR_ALLOWED,
            err.reason === 'foreign'
              ? 'cursor belongs to a query with other series, source, type, from, to or order; repeat the original query with it.'
              : 'cursor was not issued by this API or has been altered; pass next_cursor from the previous page unchanged.',
          ),
        ]);
      }
      if (after.seriesIndex >= series.length) throw invalidParameters([problem('cursor', CURSOR_ALLOWED, 'cursor is not valid for this query.')]);
    }
    const page = await queryMetricsPage(runtime.store, {
      series,
      ...(from !== undefined ? { from } : {}),
      ...(to !== undefined ? { to } : {}),
      order: query.order,
      limit: query.limit,
      ...(after ? { after } : {}),
      attributes: attributesOf,
    });
    return {
      body: {
        series,
        from: from ?? null,
        to: to ?? null,
        order: query.order,
        limit: query.limit,
        count: page.records.length,
        records: page.records.map(shapeRecord),
        next_cursor: page.next ? encodeCursor(key, digest, page.next) : null,
      },
    };
  },
);
