/**
 * A simulated day at the default intervals (Alerts 1, 3, 4, 5 every 15 minutes, Alert 2 every 60)
 * on a virtual clock: real scrapes of a fixture page by the real Chromium, real store, console
 * channel discarded. Counts scrapes (each one a browser launch in a cold Lambda container) and
 * browser launches in this one process (local mode keeps its browser warm).
 */
import { resolve } from 'node:path';
import { ALERTS } from '../../functions/alerts/registry.js';
import { ensureTables, startEmbeddedStore } from '../../infra/local/embedded-store.js';
import { runAlert } from '../../shared/lambda/alert-handler.js';
import { logger } from '../../shared/lambda/logger.js';
import { createRuntime } from '../../shared/runtime.js';
import { browserLaunchCount, closeBrowser, scrapeCanton } from '../../shared/sources/canton/scrape.js';
import { startStaticServer } from '../support/static-server.js';

logger.setLogLevel('SILENT');
const site = await startStaticServer(resolve(import.meta.dirname, '../fixtures/canton'));
const store = await startEmbeddedStore();
let virtualNow = Date.parse('2026-12-03T00:00:00Z');
let scrapes = 0;
const rt = createRuntime(
  { CANTON_URL: `${site.url}/example.html`, DYNAMODB_ENDPOINT: store.endpoint, ALERT6_1_ENABLED: 'false', ALERT7_ENABLED: 'false' },
  {
    now: () => new Date(virtualNow),
    write: () => {},
    scrape: async (opts) => {
      scrapes += 1;
      return scrapeCanton(opts);
    },
  },
);
await ensureTables(rt.store);

const canton = ALERTS.filter((a) => a.scrapes);
const checks = canton.flatMap((def) => def.parseChecks(rt.env).filter((c) => c.enabled).map((check) => ({ def, check })));
const started = performance.now();
const day = 24 * 60;
for (let minute = 0; minute < day; minute += 1) {
  virtualNow = Date.parse('2026-12-03T00:00:00Z') + minute * 60_000;
  const due = checks.filter(({ check }) => minute % check.intervalMinutes === 0);
  if (due.length === 0) continue;
  const scheduledTime = new Date(virtualNow).toISOString();
  // Scheduled functions start together, as their schedules fire at the same moment.
  await Promise.all(due.map(({ def }) => runAlert(def, { scheduledTime }, rt)));
}
const seconds = (performance.now() - started) / 1000;
await closeBrowser();
await store.close();
await site.close();

const result = {
  simulated_hours: 24,
  checks_run: checks.reduce((n, { check }) => n + day / check.intervalMinutes, 0),
  scrapes_per_day: scrapes,
  scrapes_per_hour: scrapes / 24,
  browser_launches_in_one_process: browserLaunchCount(),
  wall_seconds: Number(seconds.toFixed(1)),
};
process.stdout.write(`${JSON.stringify({ bench: 'day', ...result }, null, 2)}\n`);
