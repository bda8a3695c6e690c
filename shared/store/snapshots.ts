import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, type Store } from './client.js';
import { PERIODS, type CantonMetrics } from '../sources/canton/metrics.js';
import { toCents } from '../alerting/format.js';

/** The newest Canton reading, kept as one item so every alert and /api/status can reuse it. */
export interface CantonSnapshot {
  takenAt: string;
  url: string;
  metrics: CantonMetrics;
}

const SNAPSHOT_KEY = 'snapshot#canton';
const LEASE_KEY = 'lease#canton';
const FAILURE_KEY = 'snapshot-failure#canton';

/** A scrape that failed, kept briefly so the other alerts of the same tick do not retry it. */
export interface ScrapeFailure {
  failedAt: string;
  url: string;
  error: string;
}

export async function readScrapeFailure(store: Store): Promise<ScrapeFailure | undefined> {
  const item = await getStateItem<ScrapeFailure>(store, FAILURE_KEY);
  return item && { failedAt: item.failedAt, url: item.url, error: item.error };
}

export async function writeScrapeFailure(store: Store, failure: ScrapeFailure): Promise<void> {
  await store.doc.send(new PutCommand({ TableName: store.table('state'), Item: { pk: FAILURE_KEY, ...failure } }));
}

export const cantonSeries = (period: string) => `canton#${period}`;

export async function readSnapshot(store: Store): Promise<CantonSnapshot | undefined> {
  const item = await getStateItem<CantonSnapshot>(store, SNAPSHOT_KEY);
  return item && { takenAt: item.takenAt, url: item.url, metrics: item.metrics };
}

async function getStateItem<T>(store: Store, pk: string): Promise<T | undefined> {
  const out = await store.doc.send(new GetCommand({ TableName: store.table('state'), Key: { pk }, ConsistentRead: true }));
  return out.Item as T | undefined;
}

/** Stores the snapshot and one metrics record per period (the history the API serves). */
export async function writeSnapshot(store: Store, snapshot: CantonSnapshot): Promise<void> {
  const expiresAt = Math.floor(Date.parse(snapshot.takenAt) / 1000) + store.retentionDays * 86400;
  const records = PERIODS.map((period) => {
    const { gross_cc, est_traffic_cc } = snapshot.metrics[period];
    const diff = gross_cc !== null && est_traffic_cc !== null ? (toCents(gross_cc) - toCents(est_traffic_cc)) / 100 : null;
    return {
      PutRequest: {
        Item: {
          series: cantonSeries(period),
          ts: snapshot.takenAt,
          gross_cc,
          est_traffic_cc,
          diff_cc: diff,
          expires_at: expiresAt,
        },
      },
    };
  });
  await store.doc.send(new BatchWriteCommand({ RequestItems: { [store.table('metrics')]: records } }));
  await store.doc.send(new PutCommand({ TableName: store.table('state'), Item: { pk: SNAPSHOT_KEY, ...snapshot } }));
}

/**
 * Takes the scrape lease for `seconds`, so concurrent invocations do not each launch a browser.
 * Returns false while someone else holds an unexpired lease.
 */
export async function takeScrapeLease(store: Store, now: Date, seconds: number): Promise<boolean> {
  const nowSec = Math.floor(now.getTime() / 1000);
  try {
    await store.doc.send(
      new PutCommand({
        TableName: store.table('state'),
        Item: { pk: LEASE_KEY, expiration: nowSec + seconds },
        ConditionExpression: 'attribute_not_exists(pk) OR expiration < :now',
        ExpressionAttributeValues: { ':now': nowSec },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

export async function releaseScrapeLease(store: Store): Promise<void> {
  await store.doc.send(new DeleteCommand({ TableName: store.table('state'), Key: { pk: LEASE_KEY } }));
}
