import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startStaticServer, type StaticServer } from '../support/static-server.js';
import { runLocal } from '../support/run-local.js';

// `npm start -- --once` end to end: the real Chromium reads a fixture page served on loopback,
// state lives in the embedded store on disk, and notifications go to the console channel.
let site: StaticServer;
let dataDir: string;
beforeAll(async () => {
  site = await startStaticServer(resolve(import.meta.dirname, '../fixtures/canton'));
  dataDir = mkdtempSync(join(tmpdir(), 'crm-e2e-'));
});
afterAll(async () => {
  await site.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start -- --once', () => {
  test('prints the spec’s Alert 1 lines; a second run keeps state-change alerts quiet', async () => {
    const env = { CANTON_URL: `${site.url}/example.html`, DATA_DIR: dataDir, SNAPSHOT_FRESH_SECONDS: '0' };
    const first = await runLocal(['--once'], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      'Canton: Est.Traffic > Gross!\n' +
        'Latest Round: Est.Traffic (15.23) > Gross (12.10) by 3.13 CC\n' +
        '1-Hour Average: Est.Traffic (14.50) > Gross (13.20) by 1.30 CC\n',
    );
    expect(first.stdout).toContain('Canton Status Report\n⚠️ Latest Round:\n   Gross: 12.10 CC\n   Est.Traffic: 15.23 CC\n   Diff: -3.13 CC\n');
    expect(first.stdout).toContain('Canton: Profitability Change >30%!\n');
    expect(first.stderr).toContain('[alert5] sent (normal→triggered)');

    const second = await runLocal(['--once'], env);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain('[alert5] silent (triggered→triggered)');
    expect(second.stderr).toContain('[alert3] silent (normal→normal)');
    expect(second.stdout).not.toContain('Profitability Change');
    // Alert 1 is the high-priority alarm: it repeats while the condition holds.
    expect(second.stdout).toContain('Canton: Est.Traffic > Gross!');
  });

  test('--alert limits the run to one alert', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-e2e-'));
    const run = await runLocal(['--once', '--alert', 'alert2'], { CANTON_URL: `${site.url}/example.html`, DATA_DIR: dir });
    rmSync(dir, { recursive: true, force: true });
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('Canton Status Report\n')).toBe(true);
    expect(run.stderr.trim()).toBe('[alert2] sent');
  });

  test('a page with no figures is an error: one ERROR notification and a non-zero exit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-e2e-'));
    const env = { CANTON_URL: `${site.url}/maintenance.html`, DATA_DIR: dir, SCRAPE_TIMEOUT_SECONDS: '3' };
    const run = await runLocal(['--once'], env);
    expect(run.code).toBe(1);
    expect(run.stdout.match(/Canton Monitor ERROR/g)).toHaveLength(1);
    expect(run.stdout).toContain(`The Canton Rewards page (${site.url}/maintenance.html) cannot be read.`);
    expect(run.stdout).not.toMatch(/Status Report|Est\.Traffic >/);
    rmSync(dir, { recursive: true, force: true });
  });

  test('a bad config value stops start-up naming the variable', async () => {
    const run = await runLocal(['--once'], { ALERT1_ENABLED: 'maybe', DATA_DIR: dataDir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('ALERT1_ENABLED: must be true or false, got "maybe"');
  });

  test('an unknown --alert is refused with the known ones', async () => {
    const run = await runLocal(['--once', '--alert', 'alert9'], { DATA_DIR: dataDir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--alert: unknown alert "alert9"; known: alert1');
  });
});

test('tests run under Node 24', () => {
  expect(process.version).toMatch(/^v24\./);
});
