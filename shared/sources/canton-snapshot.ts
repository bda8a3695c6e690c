import type { CoreConfig } from '../config/core.js';
import type { Store } from '../store/client.js';
import {
  readScrapeFailure,
  readSnapshot,
  releaseScrapeLease,
  takeScrapeLease,
  writeScrapeFailure,
  writeSnapshot,
  type CantonSnapshot,
} from '../store/snapshots.js';
import type { CantonMetrics } from './canton/metrics.js';
import type { ScrapeOptions } from './canton/scrape.js';

export interface SnapshotDeps {
  core: CoreConfig;
  store: Store;
  now(): Date;
  sleep(ms: number): Promise<void>;
  scrape(opts: ScrapeOptions): Promise<CantonMetrics>;
}

const POLL_MS = 250;
/**
 * A failed reading is shared for a shorter time than a good one: long enough for the alerts of one
 * tick (they start within a minute of each other), short enough that a page that is back is read.
 */
const FAILURE_REUSE_SECONDS = 90;

const isFresh = (at: string, now: Date, freshSeconds: number): boolean =>
  now.getTime() - Date.parse(at) <= freshSeconds * 1000;

/** The page could not be read; `shared` when another check of the same tick found that out. */
export class CantonUnavailableError extends Error {
  override readonly name = 'CantonUnavailableError';
  constructor(message: string, readonly shared: boolean) {
    super(message);
  }
}

/**
 * One scrape per tick: alerts that run together share one snapshot. A stored snapshot younger
 * than SNAPSHOT_FRESH_SECONDS is reused; otherwise one invocation takes a lease and scrapes while
 * the others wait for its result. If the lease holder dies, the lease expires and a waiter scrapes.
 */
export async function getCantonSnapshot(deps: SnapshotDeps): Promise<CantonSnapshot & { reused: boolean }> {
  const { core, store } = deps;
  const started = deps.now();
  const existing = await readSnapshot(store);
  if (existing && existing.url === core.canton.url && isFresh(existing.takenAt, started, core.canton.freshSeconds)) return { ...existing, reused: true };
  // A failure just seen by another check is shared too, rather than tried again by every alert.
  const failure = await readScrapeFailure(store);
  if (failure && failure.url === core.canton.url && isFresh(failure.failedAt, started, Math.min(core.canton.freshSeconds, FAILURE_REUSE_SECONDS)) &&
      (!existing || failure.failedAt > existing.takenAt)) {
    throw new CantonUnavailableError(failure.error, true);
  }

  const leaseSeconds = Math.ceil(core.canton.timeoutMs / 1000) + 15;
  // A holder that died leaves a lease that expires after leaseSeconds; past twice that, give up.
  const giveUpAt = started.getTime() + 2 * leaseSeconds * 1000;
  for (;;) {
    if (await takeScrapeLease(store, deps.now(), leaseSeconds)) {
      try {
        // The previous holder may have finished just before we took over: use its result.
        const fresher = await newerOutcome(store, existing, started);
        if (fresher) return fresher;
        let metrics: CantonMetrics;
        try {
          metrics = await deps.scrape({
            url: core.canton.url,
            timeoutMs: core.canton.timeoutMs,
            ...(core.canton.chromiumPath ? { executablePath: core.canton.chromiumPath } : {}),
          });
        } catch (err) {
          const error = err instanceof Error ? err.message : String(err);
          await writeScrapeFailure(store, { failedAt: deps.now().toISOString(), url: core.canton.url, error });
          throw new CantonUnavailableError(error, false);
        }
        const snapshot: CantonSnapshot = { takenAt: deps.now().toISOString(), url: core.canton.url, metrics };
        await writeSnapshot(store, snapshot);
        return { ...snapshot, reused: false };
      } finally {
        await releaseScrapeLease(store);
      }
    }
    // Someone else is scraping: wait for their snapshot rather than launching another browser.
    await deps.sleep(POLL_MS);
    const fresher = await newerOutcome(store, existing, started);
    if (fresher) return fresher;
    if (deps.now().getTime() > giveUpAt) {
      throw new Error(`No Canton snapshot after waiting ${2 * leaseSeconds} s for another scrape to finish`);
    }
  }
}

/** A snapshot (or a failure) produced by someone else since this call began, if any. */
async function newerOutcome(
  store: Store,
  existing: CantonSnapshot | undefined,
  started: Date,
): Promise<(CantonSnapshot & { reused: boolean }) | undefined> {
  const latest = await readSnapshot(store);
  if (latest && latest.takenAt !== existing?.takenAt) return { ...latest, reused: true };
  const failed = await readScrapeFailure(store);
  if (failed && failed.failedAt >= started.toISOString()) throw new CantonUnavailableError(failed.error, true);
  return undefined;
}
