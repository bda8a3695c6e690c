import type { CoreConfig } from '../config/core.js';
import type { Store } from '../store/client.js';
import { readSnapshot, releaseScrapeLease, takeScrapeLease, writeSnapshot, type CantonSnapshot } from '../store/snapshots.js';
import type { CantonMetrics } from './canton/metrics.js';
import type { ScrapeOptions } from './canton/scrape.js';

export interface SnapshotDeps {
  core: CoreConfig;
  store: Store;
  now(): Date;
  sleep(ms: number): Promise<void>;
  scrape(opts: ScrapeOptions): Promise<CantonMetrics>;
}

const POLL_MS = 1000;

const isFresh = (snap: CantonSnapshot | undefined, now: Date, freshSeconds: number): boolean =>
  !!snap && now.getTime() - Date.parse(snap.takenAt) <= freshSeconds * 1000;

/**
 * One scrape per tick: alerts that run together share one snapshot. A stored snapshot younger
 * than SNAPSHOT_FRESH_SECONDS is reused; otherwise one invocation takes a lease and scrapes while
 * the others wait for its result. If the lease holder dies, the lease expires and a waiter scrapes.
 */
export async function getCantonSnapshot(deps: SnapshotDeps): Promise<CantonSnapshot & { reused: boolean }> {
  const { core, store } = deps;
  const started = deps.now();
  const existing = await readSnapshot(store);
  if (existing && isFresh(existing, started, core.canton.freshSeconds)) return { ...existing, reused: true };

  const leaseSeconds = Math.ceil(core.canton.timeoutMs / 1000) + 15;
  // A holder that died leaves a lease that expires after leaseSeconds; past twice that, give up.
  const giveUpAt = started.getTime() + 2 * leaseSeconds * 1000;
  for (;;) {
    if (await takeScrapeLease(store, deps.now(), leaseSeconds)) {
      try {
        const metrics = await deps.scrape({
          url: core.canton.url,
          timeoutMs: core.canton.timeoutMs,
          ...(core.canton.chromiumPath ? { executablePath: core.canton.chromiumPath } : {}),
        });
        const snapshot: CantonSnapshot = { takenAt: deps.now().toISOString(), url: core.canton.url, metrics };
        await writeSnapshot(store, snapshot);
        return { ...snapshot, reused: false };
      } finally {
        await releaseScrapeLease(store);
      }
    }
    // Someone else is scraping: wait for their snapshot rather than launching another browser.
    await deps.sleep(POLL_MS);
    const latest = await readSnapshot(store);
    if (latest && latest.takenAt !== existing?.takenAt) {
      return { ...latest, reused: true };
    }
    if (deps.now().getTime() > giveUpAt) {
      throw new Error(`No Canton snapshot after waiting ${2 * leaseSeconds} s for another scrape to finish`);
    }
  }
}
