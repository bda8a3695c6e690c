export * from './metrics.js';
export { parseCantonText, inspectCantonText, type CantonTextInspection } from './parse.js';
export {
  scrapeCanton,
  closeBrowser,
  browserLaunchCount,
  warmUpBrowser,
  CantonScrapeError,
  DEFAULT_TIMEOUT_MS,
  type ScrapeOptions,
} from './scrape.js';
