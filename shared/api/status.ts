import { formatCC, toCents } from '../alerting/format.js';
import { logger } from '../lambda/logger.js';
import type { Runtime } from '../runtime.js';
import { getCantonSnapshot } from '../sources/canton-snapshot.js';
import { PERIOD_LABELS, PERIODS, type CantonMetrics } from '../sources/canton/metrics.js';
import { readSnapshot, type CantonSnapshot } from '../store/snapshots.js';
import { apiConfig } from './config.js';
import { unavailable } from './responses.js';

/**
 * /api/status: the spec's response (timestamp, source, metrics, alerts) plus where the data came
 * from and how old it is. `origin` is `stored` (a snapshot younger than STATUS_MAX_AGE_SECONDS,
 * possibly one a concurrent scrape just wrote), `live` (scraped for this request) or `stale` (the
 * live scrape failed, so the last stored snapshot is shown; see `age_seconds`).
 */
export type StatusOrigin = 'stored' | 'live' | 'stale';

export interface StatusAlert {
  period: string;
  label: string;
  gross_cc: number;
  est_traffic_cc: number;
  excess_cc: number;
  message: string;
}

/** Periods where Est. Traffic > Gross, compared to the cent (as Alert 1 does). */
export function trafficAboveGross(metrics: CantonMetrics): StatusAlert[] {
  const out: StatusAlert[] = [];
  for (const period of PERIODS) {
    const { gross_cc: gross, est_traffic_cc: est } = metrics[period];
    if (gross === null || est === null) continue;
    const excess = toCents(est) - toCents(gross);
    if (excess <= 0) continue;
    out.push({
      period,
      label: PERIOD_LABELS[period],
      gross_cc: gross,
      est_traffic_cc: est,
      excess_cc: excess / 100,
      message: `${PERIOD_LABELS[period]}: Est.Traffic (${formatCC(est)}) > Gross (${formatCC(gross)}) by ${formatCC(excess / 100)} CC`,
    });
  }
  return out;
}

const host = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

export function statusBody(snapshot: CantonSnapshot, origin: StatusOrigin, now: Date, maxAgeSeconds: number) {
  const metrics = Object.fromEntries(
    PERIODS.map((p) => [p, { gross_cc: snapshot.metrics[p].gross_cc, est_traffic_cc: snapshot.metrics[p].est_traffic_cc }]),
  );
  return {
    timestamp: snapshot.takenAt,
    source: host(snapshot.url),
    origin,
    age_seconds: Math.max(0, Math.floor((now.getTime() - Date.parse(snapshot.takenAt)) / 1000)),
    max_age_seconds: maxAgeSeconds,
    metrics,
    alerts: trafficAboveGross(snapshot.metrics),
  };
}

export async function currentStatus(rt: Runtime) {
  const maxAge = apiConfig(rt.env).statusMaxAgeSeconds;
  const read = await readSnapshot(rt.store);
  // A snapshot of another page (CANTON_URL changed since) is not the current status.
  const stored = read?.url === rt.core.canton.url ? read : undefined;
  const now = rt.now();
  if (stored && now.getTime() - Date.parse(stored.takenAt) <= maxAge * 1000) return statusBody(stored, 'stored', now, maxAge);
  try {
    // The shared layer, with this endpoint's freshness: one scrape even if alerts run at the same time.
    const snap = await getCantonSnapshot({ ...rt, core: { ...rt.core, canton: { ...rt.core.canton, freshSeconds: maxAge } } });
    return statusBody(snap, snap.reused ? 'stored' : 'live', rt.now(), maxAge);
  } catch (err) {
    logger.warn('Live scrape for /api/status failed', { error: err instanceof Error ? err.message : String(err) });
    if (stored) return statusBody(stored, 'stale', rt.now(), maxAge);
    throw unavailable('Current values are not available: the Canton Rewards page could not be read and nothing is stored yet.');
  }
}
