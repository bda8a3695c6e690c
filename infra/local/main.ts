/**
 * Local mode: every enabled alert on its interval in one process, against an embedded
 * DynamoDB-compatible store kept under DATA_DIR, plus the REST API on PORT.
 *
 *   npm start                          run continuously
 *   npm start -- --once                run each enabled alert once; exit 1 if any check failed
 *   npm start -- --once --alert alert3 only that alert
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ALERTS, parseAllChecks, type ConfiguredCheck } from '../../functions/alerts/registry.js';
import { runAlert } from '../../shared/lambda/alert-handler.js';
import { logger } from '../../shared/lambda/logger.js';
import { setRuntime } from '../../shared/lambda/runtime-cache.js';
import { ConfigError, envInt, envStringDefault, parseEnv, type Env } from '../../shared/config/env.js';
import { createRuntime, type Runtime } from '../../shared/runtime.js';
import { closeBrowser } from '../../shared/sources/canton/scrape.js';
import { connectOrStartEmbeddedStore, ensureTables, type EmbeddedStore } from './embedded-store.js';
import { startLocalApi } from './api-server.js';
import { startScheduler } from './scheduler.js';

/** Settings that only local mode has. */
const localShape = {
  PORT: envInt(3000, 0, 65535),
  DATA_DIR: envStringDefault('.data'),
};

export interface LocalOptions {
  once: boolean;
  alert?: string;
}

/** Reads `.env` from the working directory if there is one; variables already set win. */
export function loadDotEnv(path = '.env'): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

const USAGE = 'Usage: npm start -- [--once] [--alert alert1…alert7]\n';

export function parseCliArgs(argv: string[]): LocalOptions {
  const { values } = parseArgs({
    args: argv,
    options: { once: { type: 'boolean', default: false }, alert: { type: 'string' }, help: { type: 'boolean', default: false } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  if (values.alert !== undefined && !ALERTS.some((a) => a.id === values.alert)) {
    throw new ConfigError([`--alert: unknown alert "${values.alert}"; known: ${ALERTS.map((a) => a.id).join(', ')}`]);
  }
  return { once: values.once ?? false, ...(values.alert ? { alert: values.alert } : {}) };
}

/** Prints one line per check to stderr, so stdout carries only the notifications themselves. */
function report(line: string): void {
  process.stderr.write(`${line}\n`);
}

async function runChecksOnce(rt: Runtime, checks: ConfiguredCheck[], scheduledTime?: Date): Promise<boolean> {
  let ok = true;
  for (const { def, check } of checks) {
    try {
      const result = await runAlert(def, {
        ...(check.instance !== undefined ? { instance: check.instance } : {}),
        ...(scheduledTime ? { scheduledTime: scheduledTime.toISOString() } : {}),
      }, rt);
      for (const s of result.checks) {
        const transitions = [s.sourceTransition && `source ${s.sourceTransition}`, s.transition].filter(Boolean).join(', ');
        report(`[${s.check}] ${s.status}${transitions ? ` (${transitions})` : ''}${s.error ? `: ${s.error}` : ''}`);
        for (const d of s.deliveries.filter((x) => !x.ok)) report(`[${s.check}] delivery to ${d.target} failed: ${d.error}`);
      }
      ok &&= result.ok;
    } catch (err) {
      ok = false;
      report(`[${check.key}] error: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return ok;
}

export async function runLocal(options: LocalOptions, env: Env = process.env): Promise<number> {
  // The per-check lines below say what happened; structured logs are opt-in locally (LOG_LEVEL).
  if (!env.LOG_LEVEL) logger.setLogLevel('SILENT');
  const local = parseEnv(localShape, env);
  const configured = parseAllChecks(env).filter(
    ({ def, check }) => check.enabled && (options.alert === undefined || def.id === options.alert),
  );
  let embedded: EmbeddedStore | undefined;
  if (!env.DYNAMODB_ENDPOINT) {
    embedded = await connectOrStartEmbeddedStore(local.DATA_DIR);
  }
  const rt = createRuntime({ ...env, ...(embedded ? { DYNAMODB_ENDPOINT: embedded.endpoint } : {}) });
  await ensureTables(rt.store);
  setRuntime(rt);

  const shutdown = async () => {
    await closeBrowser();
    await embedded?.close();
  };

  if (options.once) {
    if (configured.length === 0) {
      report(options.alert ? `${options.alert} has nothing enabled (see its _ENABLED variables in .env.example); nothing to run.` : 'No alert is enabled; nothing to run.');
    }
    const ok = await runChecksOnce(rt, configured);
    await shutdown();
    return ok ? 0 : 1;
  }

  const api = await startLocalApi(rt, local.PORT);
  report(`Canton Rewards Monitor: ${configured.length} check(s) scheduled; API on ${api.url}`);
  for (const { check } of configured) report(`  ${check.key} (${check.name}) every ${check.intervalMinutes} min`);

  // Run everything once at start, then on each check's interval.
  await runChecksOnce(rt, configured);
  const scheduler = startScheduler(
    configured.map((c) => ({
      key: c.check.key,
      intervalMinutes: c.check.intervalMinutes,
      run: async (at: Date) => void (await runChecksOnce(rt, [c], at)),
    })),
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  scheduler.stop();
  await api.close();
  await shutdown();
  return 0;
}

async function cli(): Promise<void> {
  try {
    loadDotEnv();
    const code = await runLocal(parseCliArgs(process.argv.slice(2)));
    process.exit(code);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('ERR_PARSE_ARGS_')) {
      process.stderr.write(`${(err as Error).message}\n${USAGE}`);
      process.exit(2);
    }
    if (code === 'EADDRINUSE') {
      process.stderr.write(`PORT: ${process.env.PORT || 3000} is already in use (is another npm start running?); set PORT to a free port\n`);
      process.exit(2);
    }
    process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await cli();
