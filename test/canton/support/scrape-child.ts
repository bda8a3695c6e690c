/*
 * Run as a separate process by processes.test.ts: scrapes the URL given as argument with the bundled
 * Chromium and prints the result (or the error) as one JSON line. With --exit-without-close it instead
 * prints the browser's pid and exits at once, leaving the browser to the process 'exit' hook.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { closeBrowser, scrapeCanton } from '../../../shared/sources/canton/scrape.js';

const url = process.argv[2] ?? '';
const exitWithoutClose = process.argv.includes('--exit-without-close');

function browserPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('chromium');
      } catch {
        return false;
      }
    });
}

try {
  const metrics = await scrapeCanton({ url, timeoutMs: 30_000 });
  console.log(JSON.stringify({ ok: true, metrics, pids: browserPids() }));
  if (exitWithoutClose) process.exit(0);
} catch (err) {
  console.log(JSON.stringify({ ok: false, error: String(err) }));
  process.exitCode = 1;
}
await closeBrowser();
