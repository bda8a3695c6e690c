import { startEmbeddedStore, ensureTables, type EmbeddedStore } from '../../infra/local/embedded-store.js';
import { createRuntime, type Runtime } from '../../shared/runtime.js';
import type { Env } from '../../shared/config/env.js';
import type { CantonMetrics } from '../../shared/sources/canton/metrics.js';

/** A fresh in-memory dynalite over HTTP with the product's tables, per test file. */
export async function startTestStore(): Promise<EmbeddedStore> {
  return startEmbeddedStore();
}

let tableCounter = 0;

/**
 * A runtime on the real store with a settable clock and a console channel captured into `printed`.
 * Each call gets its own table prefix, so tests never see each other's state.
 */
export async function testRuntime(
  endpoint: string,
  env: Env = {},
  overrides: Partial<Runtime> = {},
): Promise<Runtime & { printed: string[]; clock: { now: Date } }> {
  const printed: string[] = [];
  const clock = { now: new Date('2026-12-03T12:00:00Z') };
  tableCounter += 1;
  const rt = createRuntime(
    { TABLE_PREFIX: `t${tableCounter}-${process.pid}`, ...env, DYNAMODB_ENDPOINT: endpoint },
    { now: () => clock.now, sleep: async () => {}, write: (t) => printed.push(t), ...overrides },
  );
  await ensureTables(rt.store);
  return Object.assign(rt, { printed, clock });
}

/** Figures in the shape the scraper returns: [gross, est] per period, null for missing. */
export function metrics(
  latest: [number | null, number | null],
  hour: [number | null, number | null],
  day: [number | null, number | null],
): CantonMetrics {
  return {
    latest_round: { gross_cc: latest[0], est_traffic_cc: latest[1] },
    '1hr_avg': { gross_cc: hour[0], est_traffic_cc: hour[1] },
    '24hr_avg': { gross_cc: day[0], est_traffic_cc: day[1] },
  };
}
