import { parseCoreConfig, type CoreConfig } from './config/core.js';
import type { Env } from './config/env.js';
import { deliver, type DeliverOptions } from './notify/deliver.js';
import type { DeliveryResult, Exclusions, Notification } from './notify/types.js';
import type { CantonMetrics } from './sources/canton/metrics.js';
import type { ScrapeOptions } from './sources/canton/scrape.js';
import { createStore, type Store } from './store/client.js';

/**
 * Everything a check needs from the outside world, in one place so tests can swap the clock and
 * waiting while keeping the real store, browser and channels.
 */
export interface Runtime {
  env: Env;
  core: CoreConfig;
  store: Store;
  now(): Date;
  sleep(ms: number): Promise<void>;
  scrape(opts: ScrapeOptions): Promise<CantonMetrics>;
  deliver(n: Notification, exclusions: Exclusions, opts?: DeliverOptions): Promise<DeliveryResult[]>;
  /** Where the console channel prints. */
  write?: (text: string) => void;
  /** Source-specific services (e.g. the FAAM client), created by the alerts that use them. */
  services: Record<string, unknown>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The scraper is loaded on first use, so functions that never scrape never load the browser driver. */
const lazyScrape = async (opts: ScrapeOptions): Promise<CantonMetrics> => {
  const { scrapeCanton } = await import('./sources/canton/scrape.js');
  return scrapeCanton(opts);
};

export function createRuntime(env: Env, overrides: Partial<Runtime> = {}): Runtime {
  const core = overrides.core ?? parseCoreConfig(env);
  const runtime: Runtime = {
    env,
    core,
    store: overrides.store ?? createStore(core.store, env),
    now: () => new Date(),
    sleep: realSleep,
    scrape: lazyScrape,
    deliver: (n, exclusions, opts) =>
      deliver(n, exclusions, core.notify, {
        sleep: runtime.sleep,
        ...(runtime.write ? { write: runtime.write } : {}),
        ...opts,
      }),
    services: {},
    ...overrides,
  };
  return runtime;
}
