import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import chromium from '@sparticuz/chromium';
import {
  browserLaunchCount,
  CantonScrapeError,
  closeBrowser,
  scrapeCanton,
} from '../../shared/sources/canton/scrape.js';
import { childBrowserPids, processState } from '../support/processes.js';
import { startStaticServer, type StaticServer } from '../support/static-server.js';

/*
 * Real headless Chromium against client-side rendered fixtures served on loopback. One browser is
 * shared by the whole file, as in production; tests that need a fresh one say so.
 */

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'canton');

let server: StaticServer;
const url = (path: string): string => `${server.url}/${path}`;
// Lets a test act at the moment the browser requests a page.
let onRequest: ((path: string) => void) | undefined;

beforeAll(async () => {
  server = await startStaticServer(FIXTURES, { onRequest: (path) => onRequest?.(path) });
});

afterAll(async () => {
  await closeBrowser();
  await server.close();
});

const browserPids = (): number[] => childBrowserPids();
const isRunning = (pid: number): boolean => !['Z', 'gone'].includes(processState(pid));

async function expectScrapeError(promise: Promise<unknown>): Promise<CantonScrapeError> {
  const err = await promise.then(
    () => {
      throw new Error('expected the scrape to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CantonScrapeError);
  return err as CantonScrapeError;
}

describe('scrapeCanton on rendered pages', () => {
  it('reads the spec example', async () => {
    await expect(scrapeCanton({ url: url('example.html') })).resolves.toEqual({
      latest_round: { gross_cc: 12.1, est_traffic_cc: 15.23 },
      '1hr_avg': { gross_cc: 13.2, est_traffic_cc: 14.5 },
      '24hr_avg': { gross_cc: 16.35, est_traffic_cc: 11.75 },
    });
  });

  it('waits through a loading skeleton for figures rendered late', async () => {
    await expect(scrapeCanton({ url: url('delayed.html') })).resolves.toEqual({
      latest_round: { gross_cc: 21.05, est_traffic_cc: 19.8 },
      '1hr_avg': { gross_cc: 20.4, est_traffic_cc: 18.95 },
      '24hr_avg': { gross_cc: 22.15, est_traffic_cc: 17.6 },
    });
  });

  it('ignores repeated headings in a tab bar and in a footer of placeholders', async () => {
    await expect(scrapeCanton({ url: url('tabs.html') })).resolves.toEqual({
      latest_round: { gross_cc: 12.53, est_traffic_cc: 10.21 },
      '1hr_avg': { gross_cc: 8.1, est_traffic_cc: 9.5 },
      '24hr_avg': { gross_cc: 9, est_traffic_cc: 9.25 },
    });
  });

  it('reads labels and amounts on the same line', async () => {
    await expect(scrapeCanton({ url: url('same-line.html') })).resolves.toEqual({
      latest_round: { gross_cc: 3.4, est_traffic_cc: 2.1 },
      '1hr_avg': { gross_cc: 3.2, est_traffic_cc: 2.9 },
      '24hr_avg': { gross_cc: 3.05, est_traffic_cc: 2.75 },
    });
  });

  it('reads thousands separators', async () => {
    await expect(scrapeCanton({ url: url('thousands.html') })).resolves.toEqual({
      latest_round: { gross_cc: 1234.56, est_traffic_cc: 12345 },
      '1hr_avg': { gross_cc: 1000, est_traffic_cc: 999.99 },
      '24hr_avg': { gross_cc: 1234567.89, est_traffic_cc: 0.5 },
    });
  });

  it('is not fooled by decoy amounts', async () => {
    await expect(scrapeCanton({ url: url('decoys.html') })).resolves.toEqual({
      latest_round: { gross_cc: 4.2, est_traffic_cc: 3.3 },
      '1hr_avg': { gross_cc: 4.4, est_traffic_cc: 3.1 },
      '24hr_avg': { gross_cc: 4.6, est_traffic_cc: 2.9 },
    });
  });

  it('keeps waiting while a shown period has placeholders, and reads the number when it comes', async () => {
    await expect(scrapeCanton({ url: url('placeholder-late.html') })).resolves.toEqual({
      latest_round: { gross_cc: 5.1, est_traffic_cc: 4.2 },
      '1hr_avg': { gross_cc: 5.55, est_traffic_cc: 4.44 },
      '24hr_avg': { gross_cc: 5.9, est_traffic_cc: 4.8 },
    });
  });

  it('returns what it read when a placeholder never turns into a number (null, never 0)', async () => {
    await expect(scrapeCanton({ url: url('placeholder-stuck.html'), timeoutMs: 2_000 })).resolves.toEqual({
      latest_round: { gross_cc: 7.7, est_traffic_cc: 6.6 },
      '1hr_avg': { gross_cc: 7.1, est_traffic_cc: 6.9 },
      '24hr_avg': { gross_cc: null, est_traffic_cc: null },
    });
  });

  // The scrape's own timeout is far beyond the test's: this only passes if the read ends as soon as
  // the periods that are shown have their figures, instead of waiting for the absent one.
  it('returns promptly with nulls for a period the page does not show', async () => {
    await expect(scrapeCanton({ url: url('missing-24h.html'), timeoutMs: 120_000 })).resolves.toEqual({
      latest_round: { gross_cc: 11.11, est_traffic_cc: 12.12 },
      '1hr_avg': { gross_cc: 13.13, est_traffic_cc: 14.14 },
      '24hr_avg': { gross_cc: null, est_traffic_cc: null },
    });
  }, 15_000);

  // Same idea: neither 'load' nor network idle ever happens on this page.
  it('reads a page whose requests never finish', async () => {
    await expect(scrapeCanton({ url: url('hanging.html'), timeoutMs: 120_000 })).resolves.toEqual({
      latest_round: { gross_cc: 31, est_traffic_cc: 30.5 },
      '1hr_avg': { gross_cc: 32.25, est_traffic_cc: 29.75 },
      '24hr_avg': { gross_cc: 33.4, est_traffic_cc: 28.6 },
    });
  }, 15_000);
});

describe('scrapeCanton errors', () => {
  it('fails on a maintenance page, naming the URL and what was not found', async () => {
    const target = url('maintenance.html');
    const err = await expectScrapeError(scrapeCanton({ url: target, timeoutMs: 1_500 }));
    expect(err.url).toBe(target);
    expect(err.message).toContain(target);
    expect(err.message).toContain('Scheduled maintenance');
    expect(err.missing).toEqual([
      'Latest Round Gross',
      'Latest Round Est. Traffic',
      '1-Hour Average Gross',
      '1-Hour Average Est. Traffic',
      '24-Hour Average Gross',
      '24-Hour Average Est. Traffic',
    ]);
  });

  it('fails on an HTTP error status', async () => {
    const target = url('status/503');
    const err = await expectScrapeError(scrapeCanton({ url: target, timeoutMs: 5_000 }));
    expect(err.message).toContain(target);
    expect(err.message).toContain('HTTP 503');
    expect(err.status).toBe(503);
    expect(err.missing).toEqual(['page unreachable']);
  });

  it('fails on a missing page (404)', async () => {
    const target = url('no-such-page.html');
    const err = await expectScrapeError(scrapeCanton({ url: target, timeoutMs: 5_000 }));
    expect(err.status).toBe(404);
    expect(err.message).toContain(target);
  });

  it('fails when nothing listens on the port', async () => {
    // Take a free port, then release it so that connecting is refused.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const target = `http://127.0.0.1:${port}/`;

    const err = await expectScrapeError(scrapeCanton({ url: target, timeoutMs: 5_000 }));
    expect(err.url).toBe(target);
    expect(err.message).toContain(target);
    expect(err.missing).toEqual(['page unreachable']);
  });

  it('fails within its timeout when the page itself never answers', async () => {
    const target = url('hang');
    const err = await expectScrapeError(scrapeCanton({ url: target, timeoutMs: 1_000 }));
    expect(err.message).toContain(target);
    expect(err.missing).toEqual(['page unreachable']);
    // And the next scrape still works.
    await expect(scrapeCanton({ url: url('example.html') })).resolves.toMatchObject({
      latest_round: { gross_cc: 12.1 },
    });
  });

  it('gives up on a page that stops answering, keeps what it read, and starts the next scrape afresh', async () => {
    await scrapeCanton({ url: url('example.html') });
    const before = browserLaunchCount();
    await expect(scrapeCanton({ url: url('busy-loop.html'), timeoutMs: 1_500 })).resolves.toEqual({
      latest_round: { gross_cc: 2.5, est_traffic_cc: 1.5 },
      '1hr_avg': { gross_cc: 2.4, est_traffic_cc: 1.6 },
      '24hr_avg': { gross_cc: null, est_traffic_cc: null },
    });
    await expect(scrapeCanton({ url: url('example.html') })).resolves.toMatchObject({
      latest_round: { gross_cc: 12.1 },
    });
    expect(browserLaunchCount()).toBe(before + 1);
  });

  it('rejects an invalid URL', async () => {
    const err = await expectScrapeError(scrapeCanton({ url: 'not a url' }));
    expect(err.message).toContain('not a url');
  });
});

describe('browser lifecycle', () => {
  it('reuses one warm browser across scrapes', async () => {
    await scrapeCanton({ url: url('example.html') });
    const before = browserLaunchCount();
    for (const page of ['example.html', 'tabs.html', 'same-line.html']) await scrapeCanton({ url: url(page) });
    expect(browserLaunchCount()).toBe(before);
    expect(browserPids()).toHaveLength(1);
  });

  it('launches one browser for two scrapes started at the same moment, and keeps their results apart', async () => {
    await closeBrowser();
    const before = browserLaunchCount();
    const [a, b] = await Promise.all([
      scrapeCanton({ url: url('example.html') }),
      scrapeCanton({ url: url('thousands.html') }),
    ]);
    expect(browserLaunchCount()).toBe(before + 1);
    expect(a.latest_round).toEqual({ gross_cc: 12.1, est_traffic_cc: 15.23 });
    expect(b.latest_round).toEqual({ gross_cc: 1234.56, est_traffic_cc: 12345 });
  });

  it('relaunches when the browser has died between scrapes', async () => {
    await scrapeCanton({ url: url('example.html') });
    const [pid] = browserPids();
    expect(pid).toBeDefined();
    const before = browserLaunchCount();
    process.kill(pid!, 'SIGKILL');

    await expect(scrapeCanton({ url: url('example.html') })).resolves.toMatchObject({
      '24hr_avg': { gross_cc: 16.35, est_traffic_cc: 11.75 },
    });
    expect(browserLaunchCount()).toBe(before + 1);
    expect(browserPids()).not.toContain(pid);
  });

  it('relaunches and retries once when the browser dies during a scrape', async () => {
    await scrapeCanton({ url: url('example.html') });
    const [pid] = browserPids();
    const before = browserLaunchCount();
    let requests = 0;
    onRequest = (path) => {
      // Kill the browser while it is loading the page, the first time only.
      if (path === '/delayed.html' && ++requests === 1) process.kill(pid!, 'SIGKILL');
    };
    try {
      await expect(scrapeCanton({ url: url('delayed.html') })).resolves.toMatchObject({
        latest_round: { gross_cc: 21.05, est_traffic_cc: 19.8 },
      });
    } finally {
      onRequest = undefined;
    }
    expect(requests).toBe(2);
    expect(browserLaunchCount()).toBe(before + 1);
  });

  it('kills a browser that does not close', async () => {
    await scrapeCanton({ url: url('example.html') });
    const [pid] = browserPids();
    expect(pid).toBeDefined();
    process.kill(pid!, 'SIGSTOP'); // a frozen browser cannot answer the close request

    await closeBrowser();
    expect(isRunning(pid!)).toBe(false);
    expect(browserPids()).toEqual([]);
  });

  it('closeBrowser is idempotent and a later scrape relaunches', async () => {
    await closeBrowser();
    await closeBrowser();
    const before = browserLaunchCount();
    await expect(scrapeCanton({ url: url('example.html') })).resolves.toMatchObject({
      latest_round: { gross_cc: 12.1 },
    });
    expect(browserLaunchCount()).toBe(before + 1);
  });

  it('uses an explicit executablePath (CHROMIUM_PATH) when given', async () => {
    // The bundled binary doubles as a "desktop" Chromium here; the option switches to desktop flags.
    const executablePath = await chromium.executablePath();
    const before = browserLaunchCount();
    await expect(scrapeCanton({ url: url('example.html'), executablePath })).resolves.toMatchObject({
      '1hr_avg': { gross_cc: 13.2, est_traffic_cc: 14.5 },
    });
    expect(browserLaunchCount()).toBe(before + 1);
    const [pid] = browserPids();
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain('--single-process');
    await closeBrowser();
    expect(browserPids()).toEqual([]);
  });
});
