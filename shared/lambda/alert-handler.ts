import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { makeIdempotent, IdempotencyConfig, IdempotencyAlreadyInProgressError } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { runCheck, type CheckSummary } from '../alerting/run-check.js';
import type { AlertDefinition, CheckConfig } from '../alerting/types.js';
import type { Runtime } from '../runtime.js';
import { logger } from './logger.js';
import { getRuntime } from './runtime-cache.js';

/**
 * What an alert function accepts: `{}` from the console, `{"dryRun": true}` to evaluate without
 * sending or writing, `{"instance": 2}` for one Alert 6 instance, and `scheduledTime`, which the
 * schedule fills in so that a retried or duplicated delivery of the same tick sends nothing twice.
 */
export const alertEventSchema = z
  .object({
    dryRun: z.boolean().optional(),
    instance: z.number().int().min(1).max(10).optional(),
    scheduledTime: z.string().min(1).optional(),
  })
  .loose();
export type AlertEvent = z.infer<typeof alertEventSchema>;

export interface AlertRunResult {
  alert: string;
  dryRun: boolean;
  checks: CheckSummary[];
  ok: boolean;
}

/** Leave this much of the function's time for writing results after the last delivery retry. */
const DEADLINE_MARGIN_MS = 5_000;
const LOCAL_RUN_BUDGET_MS = 300_000;

/** Which configured checks this event asks for. */
export function selectChecks<C extends CheckConfig>(def: AlertDefinition<C>, checks: C[], event: AlertEvent): C[] {
  if (event.instance !== undefined) {
    const hit = checks.find((c) => c.instance === event.instance);
    if (!hit) throw new Error(`${def.id} has no instance ${event.instance}`);
    return [hit];
  }
  return checks.filter((c) => c.enabled);
}

/** Runs the checks an event asks for. Pure of Lambda specifics apart from the optional context. */
export async function runAlert<C extends CheckConfig>(
  def: AlertDefinition<C>,
  rawEvent: unknown,
  rt: Runtime,
  context?: Context,
): Promise<AlertRunResult> {
  const parsed = alertEventSchema.safeParse(rawEvent ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid event: ${issue?.path.join('.') || '(event)'} ${issue?.message ?? ''}`.trim());
  }
  const event = parsed.data;
  const dryRun = event.dryRun ?? false;
  const checks = selectChecks(def, def.parseChecks(rt.env), event);
  const deadline = context ? Date.now() + context.getRemainingTimeInMillis() - DEADLINE_MARGIN_MS : undefined;
  const opts = { dryRun, ...(deadline ? { deadline } : {}) };

  const summaries: CheckSummary[] = [];
  for (const check of checks) {
    if (!event.scheduledTime || dryRun) {
      summaries.push(await runCheck(def, check, rt, opts));
      continue;
    }
    summaries.push(await runOncePerTick(def, check, rt, opts, event.scheduledTime, context));
  }
  return { alert: def.id, dryRun, checks: summaries, ok: summaries.every((s) => s.status !== 'failed') };
}

/**
 * Schedules deliver at least once, so the same tick may arrive twice, even at the same moment.
 * Powertools idempotency records each (check, scheduled time) in the state table: a duplicate gets
 * the first run's result (or is told the first is still running) and sends nothing.
 */
async function runOncePerTick<C extends CheckConfig>(
  def: AlertDefinition<C>,
  check: C,
  rt: Runtime,
  opts: { dryRun: boolean; deadline?: number },
  scheduledTime: string,
  context?: Context,
): Promise<CheckSummary> {
  const config = new IdempotencyConfig({ expiresAfterSeconds: 2 * 86400 });
  // Outside Lambda (local mode) there is no context; an in-progress record then expires after a
  // generous local budget, so a crashed run cannot block its tick for longer than that.
  config.registerLambdaContext(context ?? ({ getRemainingTimeInMillis: () => LOCAL_RUN_BUDGET_MS } as Context));
  let ran = false;
  const once = makeIdempotent(
    async (_key: { check: string; scheduledTime: string }) => {
      ran = true;
      return runCheck(def, check, rt, opts);
    },
    {
      persistenceStore: new DynamoDBPersistenceLayer({
        tableName: rt.store.table('state'),
        keyAttr: 'pk',
        expiryAttr: 'expiration',
        awsSdkV3Client: rt.store.raw,
      }),
      config,
    },
  );
  try {
    const result = await once({ check: check.key, scheduledTime });
    return ran ? result : { ...result, status: 'duplicate', notifications: [], deliveries: [] };
  } catch (err) {
    if (err instanceof IdempotencyAlreadyInProgressError) {
      logger.info('The same scheduled tick is already being handled; skipping', { check: check.key, scheduledTime });
      return { check: check.key, status: 'duplicate', dryRun: false, notifications: [], deliveries: [] };
    }
    throw err;
  }
}

/** The Lambda entry point for an alert: thin, everything else is in runAlert. */
export function makeAlertHandler<C extends CheckConfig>(def: AlertDefinition<C>) {
  return middy<unknown, AlertRunResult>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event, context) => {
      const result = await runAlert(def, event, await getRuntime(), context);
      logger.info('Alert run finished', { alert: def.id, checks: result.checks.map(({ check, status, transition }) => ({ check, status, transition })) });
      return result;
    });
}
