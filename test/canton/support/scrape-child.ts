/*
 * Run as a separate process by processes.test.ts: scrapes the URL given as argument with the bundled
 * Chromium and prints the result (or the error) as one JSON line. With --exit-without-close it instead
 * prints the browser's pid and exits at once, leaving the browser to the process 'exit' hook.
 */
import { childBrowserPids } from '../../support/processes.js';
import { closeBrowser, scrapeCanton } from '../../../shared/sources/canton/scrape.js';

const url = process.argv[2] ?? '';
const exitWithoutClose = process.argv.includes('--exit-without-close');


try {
  const metrics = await scrapeCanton({ url, timeoutMs: 30_000 });
  console.log(JSON.stringify({ ok: true, metrics, pids: childBrowserPids() }));
  if (exitWithoutClose) process.exit(0);
} catch (err) {
  console.log(JSON.stringify({ ok: false, error: String(err) }));
  process.exitCode = 1;
}
await closeBrowser();
