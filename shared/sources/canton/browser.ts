import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import chromium from '@sparticuz/chromium';
import type { Browser, BrowserServer, Page } from 'playwright-core';
import { logger } from '../../lambda/logger.js';

/*
 * One headless Chromium per process, kept warm between scrapes.
 *
 * - The @sparticuz/chromium binary runs as a single process, so closing a page or a context can end the
 *   whole browser. We therefore open one page per browser and reuse it, and relaunch when the browser
 *   is found dead.
 * - All use of that page goes through a promise queue, so concurrent scrapes run one after another and
 *   share one launch (overlapping launches of this binary fail with ETXTBSY while it is being unpacked).
 * - The browser is started through launchServer + connect because only the server handle exposes the
 *   child process, which lets closeBrowser() and the process 'exit' hook kill a browser that hangs.
 */

const LAUNCH_TIMEOUT_MS = 30_000;
const CLOSE_GRACE_MS = 3_000;
const PARK_TIMEOUT_MS = 2_000;

/** Flags for a desktop Chromium/Chrome given via CHROMIUM_PATH (multi-process, no sparticuz tuning). */
export const DESKTOP_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

type Playwright = typeof import('playwright-core');

interface Session {
  key: string;
  server: BrowserServer;
  browser: Browser;
  page: Page;
  pid: number | undefined;
  /** Set once closing has begun (by us) or the session was judged unusable. */
  retired: boolean;
  closed?: Promise<void>;
}

/** What a page task may tell the browser manager. */
export interface PageControl {
  /** The page stopped answering: throw this browser away before the next task. */
  markBroken(): void;
}

let launches = 0;
let current: Promise<Session> | null = null;
let queue: Promise<void> = Promise.resolve();
let playwright: Promise<Playwright> | null = null;
let bundledPath: Promise<string> | null = null;
const livePids = new Set<number>();
let exitHookInstalled = false;

export function browserLaunchCount(): number {
  return launches;
}

// playwright-core takes a few hundred ms to load; importing it lazily lets that overlap the unpacking
// of the Chromium binary on a cold start, and keeps it out of processes that never scrape.
function loadPlaywright(): Promise<Playwright> {
  playwright ??= import('playwright-core').catch((err: unknown) => {
    playwright = null;
    throw err;
  });
  return playwright;
}

function bundledChromiumPath(): Promise<string> {
  bundledPath ??= unpackChromiumExclusively().catch((err: unknown) => {
    bundledPath = null;
    throw err;
  });
  return bundledPath;
}

/**
 * executablePath() unpacks the binary to <tmp>/chromium and returns early whenever that file exists,
 * even half-written by another process; running it then fails (ETXTBSY). A lock directory in the same
 * temp dir makes processes on one machine (e.g. parallel test workers) take turns.
 *
 * The lock is taken with synchronous calls on purpose: uncontended, the unpacking worker then starts
 * before this function first yields, instead of waiting behind whatever blocks the main thread next
 * (on a cold start, loading playwright-core).
 */
async function unpackChromiumExclusively(): Promise<string> {
  const dir = tmpdir();
  const lock = join(dir, 'chromium.unpack-lock');
  const giveUpAt = Date.now() + 120_000;
  let owned = false;
  while (!owned) {
    try {
      mkdirSync(lock);
      owned = true;
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (lockIsStale(lock)) {
      // Its owner died, most likely while unpacking: the binary may be truncated.
      logger.warn('Removing a stale Chromium unpack lock', { lock });
      rmSync(join(dir, 'chromium'), { force: true });
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > giveUpAt) {
      logger.warn('Chromium unpack lock still held after 120 s; proceeding without it', { lock });
      break;
    }
    await delay(50);
  }
  try {
    if (owned) writeFileSync(join(lock, 'pid'), String(process.pid));
    return await executablePathOffThread();
  } finally {
    if (owned) rmSync(lock, { recursive: true, force: true });
  }
}

// Runs executablePath() in a worker thread. Unpacking streams ~200 MB through brotli; on the main
// thread every chunk waits whenever that thread is busy (loading playwright-core takes ~0.5 s of it),
// so on a cold start the worker finishes noticeably sooner.
const UNPACK_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
import(workerData)
  .then((m) => m.default.executablePath())
  .then((path) => parentPort.postMessage({ path }), (err) => parentPort.postMessage({ error: String(err) }));
`;

function sparticuzModuleUrl(): string | undefined {
  try {
    // ESM resolution first (it also finds a Lambda layer's /opt/nodejs/node_modules), then CommonJS.
    if (typeof import.meta.resolve === 'function') return import.meta.resolve('@sparticuz/chromium');
  } catch {
    // fall through
  }
  try {
    return pathToFileURL(createRequire(import.meta.url).resolve('@sparticuz/chromium')).href;
  } catch {
    return undefined;
  }
}

async function executablePathOffThread(): Promise<string> {
  const moduleUrl = sparticuzModuleUrl();
  if (!moduleUrl) return chromium.executablePath();
  const result = await new Promise<{ path?: string; error?: string } | null>((resolve) => {
    // execArgv: [] keeps the parent's loader flags (e.g. a TypeScript loader) out of this plain-JS worker.
    const worker = new Worker(UNPACK_WORKER, { eval: true, workerData: moduleUrl, execArgv: [] });
    worker.once('message', resolve);
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null));
  });
  if (result?.path) return result.path;
  if (result?.error) throw new Error(`Unpacking Chromium failed: ${result.error}`);
  // The worker could not run here (unusual bundling): unpack on this thread instead.
  return chromium.executablePath();
}

function lockIsStale(lock: string): boolean {
  try {
    const pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    process.kill(pid, 0);
    return false;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return true; // owner is gone
    if (code === 'EPERM') return false; // owner alive, other user
    // No pid file yet: stale only if its creator has not written one for a while.
    try {
      return Date.now() - statSync(lock).mtimeMs > 10_000;
    } catch {
      return false; // the lock disappeared meanwhile
    }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: a plain SIGKILL is all we can do, and all that is needed.
  process.on('exit', () => {
    for (const pid of livePids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

async function launch(executablePath: string | undefined): Promise<Session> {
  // Unpacking (worker thread) and loading playwright-core (main thread) run side by side.
  const [pw, exe] = await Promise.all([loadPlaywright(), executablePath ?? bundledChromiumPath()]);
  launches += 1;
  const server = await pw.chromium.launchServer({
    executablePath: exe,
    args: executablePath ? DESKTOP_ARGS : chromium.args,
    headless: true,
    timeout: LAUNCH_TIMEOUT_MS,
  });
  const child = server.process();
  const pid = child.pid;
  if (pid !== undefined) {
    livePids.add(pid);
    installExitHook();
    child.once('exit', () => livePids.delete(pid));
  }
  try {
    const browser = await pw.chromium.connect(server.wsEndpoint(), { timeout: LAUNCH_TIMEOUT_MS });
    // newPage() takes no timeout of its own; a browser that never answers must not block the queue.
    const page = await raceTimeout(browser.newPage(), LAUNCH_TIMEOUT_MS);
    if (!page) throw new Error(`Chromium did not open a page within ${LAUNCH_TIMEOUT_MS} ms`);
    return { key: executablePath ?? '', server, browser, page, pid, retired: false };
  } catch (err) {
    await killServer(server, pid);
    throw err;
  }
}

function isUsable(s: Session): boolean {
  const child = s.server.process();
  return (
    !s.retired &&
    s.browser.isConnected() &&
    !s.page.isClosed() &&
    child.exitCode === null &&
    child.signalCode === null
  );
}

async function killServer(server: BrowserServer, pid: number | undefined): Promise<void> {
  const killed = await raceTimeout(server.kill().then(() => true), 1_000);
  if (killed !== true && pid !== undefined) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Graceful close for a healthy browser; a dead or wedged one is killed straight away. */
function closeSession(s: Session, graceful: boolean): Promise<void> {
  s.retired = true;
  s.closed ??= (async () => {
    const closing = graceful
      ? (async () => {
          await s.browser.close().catch(() => undefined);
          await s.server.close();
          return true;
        })().catch(() => false)
      : Promise.resolve(false);
    if ((await raceTimeout(closing, CLOSE_GRACE_MS)) !== true) {
      if (graceful) logger.warn('Chromium did not close in time; killing it', { pid: s.pid });
      await killServer(s.server, s.pid);
    }
  })();
  return s.closed;
}

/** Playwright's error when the page, its context or the whole browser went away mid-call. */
export function isBrowserGoneError(err: unknown): boolean {
  const message = err instanceof Error ? err.message : String(err);
  return /has been closed|Target closed|crashed|disconnected/i.test(message);
}

/** Resolves with the promise's value, or with undefined after `ms`; never leaves a timer behind. */
export async function raceTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Only called from inside the queue, so at most one launch is ever in flight. */
async function ensureSession(executablePath: string | undefined): Promise<Session> {
  const key = executablePath ?? '';
  const pending = current;
  if (pending) {
    const s = await pending.catch(() => null);
    if (s && s.key === key && isUsable(s)) return s;
    if (current === pending) current = null;
    if (s) {
      const healthy = isUsable(s);
      if (!healthy && !s.retired) logger.warn('Chromium was found dead; relaunching', { pid: s.pid });
      await closeSession(s, healthy);
    }
  }
  const launching = launch(executablePath);
  current = launching;
  launching.catch(() => {
    if (current === launching) current = null;
  });
  return launching;
}

/**
 * Runs `task` on the shared page once every earlier task has finished. If the browser dies under the
 * task (single-process Chromium can), it is relaunched and the task is tried once more. After the
 * task, the page is parked on about:blank so that the scraped site's scripts and pending requests stop.
 */
export function withPage<T>(
  executablePath: string | undefined,
  task: (page: Page, control: PageControl) => Promise<T>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    queue = queue.then(async () => {
      let session: Session | undefined;
      try {
        for (let attempt = 1; ; attempt++) {
          session = await ensureSession(executablePath);
          const s = session;
          try {
            resolve(await task(s.page, { markBroken: () => (s.retired = true) }));
            break;
          } catch (err) {
            // retired means closed or given up on purpose; anything else unusable died under us.
            if (attempt === 1 && !s.retired && (!isUsable(s) || isBrowserGoneError(err))) {
              s.retired = true;
              logger.warn('Chromium died during a scrape; relaunching and retrying once', { pid: s.pid });
              continue;
            }
            throw err;
          }
        }
      } catch (err) {
        reject(err);
      }
      if (session && isUsable(session) && session.page.url() !== 'about:blank') {
        await session.page.goto('about:blank', { timeout: PARK_TIMEOUT_MS }).catch(() => {
          if (session) session.retired = true;
        });
      }
    });
  });
}

/** Starts unpacking and launching now (e.g. during a Lambda's init phase) so a later scrape is warm. */
export function warmUpBrowser(executablePath?: string): Promise<void> {
  return withPage(executablePath, async () => undefined);
}

/*
 * Cold start: unpacking takes ~1.8 s, so it begins as soon as this module is loaded and overlaps with
 * loading the rest of the application (and with the Lambda init phase). It is skipped when the binary is
 * already there and when a desktop browser is configured (CHROMIUM_PATH).
 */
if (!process.env.CHROMIUM_PATH && !existsSync(join(tmpdir(), 'chromium'))) {
  bundledChromiumPath().catch((err: unknown) => logger.warn('Unpacking Chromium failed', { error: String(err) }));
}

/** Closes the shared browser (killing it if it does not close within ~3 s). Safe to call repeatedly. */
export async function closeBrowser(): Promise<void> {
  const pending = current;
  current = null;
  if (!pending) return;
  const s = await pending.catch(() => null);
  if (s) await closeSession(s, isUsable(s));
}
