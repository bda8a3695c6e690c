import { setTimeout as delay } from 'node:timers/promises';
import type { Page } from 'playwright-core';
import { logger } from '../../lambda/logger.js';
import { isBrowserGoneError, raceTimeout, withPage, type PageControl } from './browser.js';
import { cantonMetricsSchema, FIGURES, missingFigures, PERIODS, type CantonMetrics } from './metrics.js';
import { inspectCantonText, type CantonTextInspection } from './parse.js';

export { browserLaunchCount, closeBrowser, warmUpBrowser } from './browser.js';

export const DEFAULT_TIMEOUT_MS = 20_000;

export interface ScrapeOptions {
  url: string;
  /** Bounds navigation plus waiting for the figures (not the one-off browser launch). Default 20 s. */
  timeoutMs?: number;
  /** A desktop Chromium/Chrome to use instead of the bundled one (CHROMIUM_PATH). */
  executablePath?: string;
}

/** The page could not be loaded, or no figure could be read from it. The message names the URL. */
export class CantonScrapeError extends Error {
  override readonly name = 'CantonScrapeError';
  readonly url: string;
  /** What was not found, e.g. ['Latest Round Gross', ...], or ['page unreachable']. */
  readonly missing: string[];
  /** HTTP status when the page answered with an error status. */
  readonly status: number | undefined;

  constructor(url: string, missing: string[], detail: string, options?: { cause?: unknown; status?: number }) {
    super(`Canton page ${url}: ${detail} (not found: ${missing.join(', ')})`, { cause: options?.cause });
    this.url = url;
    this.missing = missing;
    this.status = options?.status;
  }
}

// How long one in-page wait may last before the loop re-checks its deadline.
const MAX_WAIT_SLICE_MS = 1_000;
// How far past the deadline an in-page wait may run before the page counts as wedged.
const WEDGE_GRACE_MS = 2_000;

/*
 * Runs in the page (passed as source text so that no transpiler helper leaks into it). Resolves with
 * document.body.innerText as soon as it differs from `previous` (checked now and then on every DOM
 * mutation), or after `maxWaitMs` with whatever is there. This reacts to the figures the moment the
 * app renders them, without a fixed sleep and without waiting for the network to go quiet.
 */
const WAIT_FOR_TEXT_CHANGE = `(arg) => new Promise((resolve) => {
  const read = () => (document.body ? document.body.innerText : '');
  const first = read();
  if (first !== arg.previous) { resolve(first); return; }
  let timer;
  const observer = new MutationObserver(() => {
    const now = read();
    if (now !== arg.previous) finish(now);
  });
  const finish = (text) => { observer.disconnect(); clearTimeout(timer); resolve(text); };
  observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  timer = setTimeout(() => finish(read()), arg.maxWaitMs);
})`;

interface Reading {
  text: string;
  inspection: CantonTextInspection;
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}

async function readPage(page: Page, control: PageControl, url: string, timeoutMs: number): Promise<Reading> {
  const deadline = Date.now() + timeoutMs;
  let response;
  try {
    // 'commit' returns as soon as the document starts arriving: the figures are waited for below, so a
    // request on the page that never finishes (analytics, long poll) cannot hold up the read.
    response = await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
  } catch (err) {
    // A browser that died is not the page's fault: let the caller relaunch and retry.
    if (page.isClosed() || isBrowserGoneError(err)) throw err;
    if (err instanceof Error && err.name === 'TimeoutError') control.markBroken();
    throw new CantonScrapeError(url, ['page unreachable'], `navigation failed: ${firstLine(err)}`, { cause: err });
  }
  const status = response?.status();
  if (status !== undefined && status >= 400) {
    throw new CantonScrapeError(url, ['page unreachable'], `HTTP ${status}`, { status });
  }

  let reading: Reading = { text: '', inspection: inspectCantonText('') };
  for (let remaining = timeoutMs; remaining > 0; remaining = deadline - Date.now()) {
    const slice = Math.min(remaining, MAX_WAIT_SLICE_MS);
    let text: string | undefined;
    try {
      const expression = `(${WAIT_FOR_TEXT_CHANGE})(${JSON.stringify({ previous: reading.text, maxWaitMs: slice })})`;
      // The in-page timer normally answers after `slice`; a page whose main thread is busy answers late,
      // which is tolerated up to the deadline. Only past that is the page considered wedged.
      text = await raceTimeout(page.evaluate(expression) as Promise<string>, remaining + WEDGE_GRACE_MS);
    } catch (err) {
      // The page navigated itself (its context was replaced): read again. A closed page or browser is
      // a real failure and propagates.
      if (page.isClosed() || isBrowserGoneError(err)) throw err;
      await delay(50);
      continue;
    }
    if (text === undefined) {
      logger.warn('Canton page stopped responding while waiting for figures', { url });
      control.markBroken();
      break;
    }
    reading = { text, inspection: inspectCantonText(text) };
    if (reading.inspection.complete) break;
  }
  return reading;
}

/**
 * Loads the Canton Rewards page in the shared headless Chromium and reads Gross and Est. Traffic for
 * the three periods. Waits until every period shown on the page has both figures, or until timeoutMs.
 * Figures that cannot be read are null. Throws CantonScrapeError when the page cannot be loaded or when
 * not a single figure was found.
 */
export async function scrapeCanton(opts: ScrapeOptions): Promise<CantonMetrics> {
  const { url } = opts;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  try {
    new URL(url);
  } catch (err) {
    throw new CantonScrapeError(url, ['page unreachable'], 'invalid URL', { cause: err });
  }

  let reading: Reading;
  try {
    reading = await withPage(opts.executablePath, (page, control) => readPage(page, control, url, timeoutMs));
  } catch (err) {
    if (err instanceof CantonScrapeError) throw err;
    // Launch failures and a browser that died twice in a row.
    throw new CantonScrapeError(url, ['browser unavailable'], `browser failure: ${firstLine(err)}`, { cause: err });
  }
  const { text, inspection } = reading;
  const metrics = cantonMetricsSchema.parse(inspection.metrics);
  const missing = missingFigures(metrics);
  if (missing.length === PERIODS.length * FIGURES.length) {
    const start = text.replace(/\s+/g, ' ').trim().slice(0, 160);
    throw new CantonScrapeError(
      url,
      missing,
      `no figures found within ${timeoutMs} ms; page text begins "${start}"`,
    );
  }
  if (missing.length > 0) {
    logger.warn('Canton page read only in part', { url, missing, waitedFullTimeout: !inspection.complete });
  }
  return metrics;
}
