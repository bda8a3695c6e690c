import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Store } from './client.js';

/**
 * Reading history from the metrics table. Records are partitioned by series and sorted by `ts`, so
 * a page over several series walks them one after another, each in time order; a position is
 * (series index, last ts), which is all a cursor needs to resume with nothing lost or repeated.
 */
export type MetricRecord = Record<string, unknown> & { series: string; ts: string };

export interface PagePosition {
  seriesIndex: number;
  ts: string;
}

export interface PageQuery {
  series: readonly string[];
  /** Inclusive bounds, ISO 8601 UTC as stored. */
  from?: string;
  to?: string;
  order: 'asc' | 'desc';
  limit: number;
  /** Resume after this record. */
  after?: PagePosition;
  /** The attributes to return for a series (the rest, e.g. the expiry, stay internal). */
  attributes(series: string): readonly string[];
}

export interface Page {
  records: MetricRecord[];
  /** Where the next page starts; absent when nothing is left. */
  next?: PagePosition;
}

function queryInput(store: Store, q: PageQuery, series: string, limit: number, start?: Record<string, unknown>): QueryCommandInput {
  const names: Record<string, string> = { '#s': 'series', '#t': 'ts' };
  const values: Record<string, unknown> = { ':s': series };
  let condition = '#s = :s';
  if (q.from !== undefined && q.to !== undefined) {
    condition += ' AND #t BETWEEN :from AND :to';
    values[':from'] = q.from;
    values[':to'] = q.to;
  } else if (q.from !== undefined) {
    condition += ' AND #t >= :from';
    values[':from'] = q.from;
  } else if (q.to !== undefined) {
    condition += ' AND #t <= :to';
    values[':to'] = q.to;
  }
  const projection = q.attributes(series).map((attr, i) => {
    if (attr === 'series') return '#s';
    if (attr === 'ts') return '#t';
    names[`#a${i}`] = attr;
    return `#a${i}`;
  });
  return {
    TableName: store.table('metrics'),
    KeyConditionExpression: condition,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ProjectionExpression: projection.join(', '),
    ScanIndexForward: q.order === 'asc',
    Limit: limit,
    ...(start ? { ExclusiveStartKey: start } : {}),
  };
}

/**
 * One page of at most `limit` records. Each query asks for one record more than still fits, so
 * the page knows whether anything follows without an extra round trip; at a series boundary the
 * following series are probed with Limit 1 for the same reason. Thus `next` is absent exactly
 * when the last page has been read, and no page is ever empty except for an empty result.
 */
export async function queryMetricsPage(store: Store, q: PageQuery): Promise<Page> {
  const records: MetricRecord[] = [];
  let last: PagePosition | undefined;
  for (let i = q.after?.seriesIndex ?? 0; i < q.series.length; i++) {
    const series = q.series[i]!;
    let start: Record<string, unknown> | undefined =
      q.after && i === q.after.seriesIndex ? { series, ts: q.after.ts } : undefined;
    do {
      const room = q.limit - records.length;
      const out = await store.doc.send(new QueryCommand(queryInput(store, q, series, room + 1, start)));
      for (const item of (out.Items ?? []) as MetricRecord[]) {
        if (records.length === q.limit) return { records, ...(last ? { next: last } : {}) };
        records.push(item);
        last = { seriesIndex: i, ts: item.ts };
      }
      start = out.LastEvaluatedKey;
    } while (start);
  }
  return { records };
}

/** The newest record of each series (absent when a series has none yet), read in parallel. */
export async function latestRecords(
  store: Store,
  series: readonly string[],
  attributes: (series: string) => readonly string[],
): Promise<MetricRecord[]> {
  const q: PageQuery = { series, order: 'desc', limit: 1, attributes };
  const found = await Promise.all(
    series.map(async (s) => {
      const out = await store.doc.send(new QueryCommand(queryInput(store, q, s, 1)));
      return out.Items?.[0] as MetricRecord | undefined;
    }),
  );
  return found.filter((r): r is MetricRecord => r !== undefined);
}
