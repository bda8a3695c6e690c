import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { Store } from './client.js';

/**
 * Provider concentration history: every Alert 6 instance check and every Alert 7 report records
 * the figures it computed, one metrics-table item per check, in its own series
 * (`faam#alert6#1`, `faam#alert7`), so the API can serve concentration over time.
 */
export const concentrationShareSchema = z.object({
  top_x: z.number().int().min(1),
  /** Sum of percent_of_total over the providers counted. */
  percent: z.number(),
  /** How many providers that sum covers: top_x, or fewer when the window had fewer. */
  providers_counted: z.number().int().min(0),
  /** Alert 6 only: the rule's threshold and whether the share was above it. */
  threshold_percent: z.number().optional(),
  exceeded: z.boolean().optional(),
});

export const concentrationProviderSchema = z.object({
  rank: z.number().int().min(1),
  /** Display name (the party id before `::`). */
  name: z.string(),
  /** Full party id. */
  provider: z.string(),
  percent: z.number(),
  amount_usd: z.number(),
});

export const concentrationRecordSchema = z.object({
  series: z.string().describe('faam#alert6#<instance> or faam#alert7'),
  ts: z.string().describe('When the check ran (ISO 8601); the end of the window'),
  check: z.string().describe('The check that computed it, e.g. alert6#1'),
  name: z.string().describe('The instance or report name'),
  window_from: z.string(),
  window_to: z.string(),
  window_hours: z.number(),
  network_total_usd: z.number(),
  /** Providers the API returned (at most the limit asked for). */
  provider_count: z.number().int().min(0),
  limit: z.number().int().min(1),
  shares: z.array(concentrationShareSchema),
  providers: z.array(concentrationProviderSchema),
  expires_at: z.number().int().describe('Epoch seconds; the table TTL removes the record after METRICS_RETENTION_DAYS'),
});

export type ConcentrationShare = z.infer<typeof concentrationShareSchema>;
export type ConcentrationRecord = z.infer<typeof concentrationRecordSchema>;

export const concentrationSeries = (checkKey: string): string => `faam#${checkKey}`;

/** Stores one check's figures. `expires_at` follows the same retention as the Canton records. */
export async function writeConcentration(store: Store, record: Omit<ConcentrationRecord, 'expires_at'>): Promise<ConcentrationRecord> {
  const item: ConcentrationRecord = {
    ...record,
    expires_at: Math.floor(Date.parse(record.ts) / 1000) + store.retentionDays * 86400,
  };
  await store.doc.send(new PutCommand({ TableName: store.table('metrics'), Item: concentrationRecordSchema.parse(item) }));
  return item;
}

/** A series' records between two times (inclusive), oldest first. */
export async function readConcentration(
  store: Store,
  series: string,
  range: { from?: string; to?: string; limit?: number } = {},
): Promise<ConcentrationRecord[]> {
  const from = range.from ?? '0000';
  const to = range.to ?? '9999';
  const items: ConcentrationRecord[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await store.doc.send(
      new QueryCommand({
        TableName: store.table('metrics'),
        KeyConditionExpression: 'series = :s AND ts BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':s': series, ':from': from, ':to': to },
        ExclusiveStartKey: start,
        ...(range.limit ? { Limit: range.limit - items.length } : {}),
      }),
    );
    items.push(...((out.Items ?? []) as ConcentrationRecord[]));
    start = out.LastEvaluatedKey;
  } while (start && (!range.limit || items.length < range.limit));
  return items.map((i) => concentrationRecordSchema.parse(i));
}
