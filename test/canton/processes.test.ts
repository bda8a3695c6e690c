import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { processState } from '../support/processes.js';
import { startStaticServer, type StaticServer } from '../support/static-server.js';

/*
 * Behaviour that involves whole processes: unpacking the bundled Chromium, and not leaving a browser
 * behind at exit. Each test gives its processes a fresh, private temp
 * directory (TMPDIR), so the binary really is unpacked there; the machine's /tmp/chromium is untouched.
 */

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..', '..');
const CHILD = join(here, 'support', 'scrape-child.ts');
const EXAMPLE_LATEST = { gross_cc: 12.1, est_traffic_cc: 15.23 };

let server: StaticServer;
const dirs: string[] = [];

beforeAll(async () => {
  server = await startStaticServer(join(ROOT, 'test', 'fixtures', 'canton'));
});

afterAll(async () => {
  await server.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function freshTmp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'canton-unpack-'));
  dirs.push(dir);
  return dir;
}

interface ChildResult {
  code: number | null;
  output: { ok: boolean; metrics?: { latest_round: unknown }; pids?: number[]; error?: string } | undefined;
  stderr: string;
}

function runChild(tmp: string | undefined, ...flags: string[]): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, `${server.url}/example.html`, ...flags], {
      cwd: ROOT,
      env: { ...process.env, ...(tmp ? { TMPDIR: tmp } : {}), CHROMIUM_PATH: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => {
      const line = out
        .split('\n')
        .filter((l) => l.startsWith('{"ok"'))
        .pop();
      resolve({ code, output: line ? (JSON.parse(line) as ChildResult['output']) : undefined, stderr });
    });
  });
}

describe('unpacking the bundled Chromium', () => {
  it('lets two processes that start at the same moment share one unpacked binary', async () => {
    const tmp = await freshTmp();
    const [a, b] = await Promise.all([runChild(tmp), runChild(tmp)]);
    for (const r of [a, b]) {
      expect(r.output).toMatchObject({ ok: true, metrics: { latest_round: EXAMPLE_LATEST } });
      expect(r.code).toBe(0);
    }
    expect(existsSync(join(tmp, 'chromium'))).toBe(true);
    expect(existsSync(join(tmp, 'chromium.unpack-lock'))).toBe(false);
  }, 60_000);

  it('recovers from a process that died while unpacking (stale lock, truncated binary)', async () => {
    const tmp = await freshTmp();
    // A pid that certainly belongs to no running process any more.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    await mkdir(join(tmp, 'chromium.unpack-lock'));
    await writeFile(join(tmp, 'chromium.unpack-lock', 'pid'), dead);
    await writeFile(join(tmp, 'chromium'), 'truncated', { mode: 0o700 });

    const r = await runChild(tmp);
    expect(r.output).toMatchObject({ ok: true, metrics: { latest_round: EXAMPLE_LATEST } });
    expect(existsSync(join(tmp, 'chromium.unpack-lock'))).toBe(false);
  }, 60_000);
});

describe('process exit', () => {
  it('does not leave the browser running when the process exits without closeBrowser()', async () => {
    const r = await runChild(undefined, '--exit-without-close');
    expect(r.output?.ok).toBe(true);
    expect(r.output?.pids).toHaveLength(1);
    const pid = r.output!.pids![0]!;
    // Gone, or a zombie that merely awaits reaping. A killed process can still be finishing a
    // write (state D) for a moment, so look again for a few seconds before judging.
    const stateOf = (): string => processState(pid);
    let state = stateOf();
    for (let i = 0; i < 50 && !['gone', 'Z'].includes(state); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = stateOf();
    }
    expect(['gone', 'Z']).toContain(state);
  }, 60_000);
});
