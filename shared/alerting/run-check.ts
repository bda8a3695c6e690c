import { logger } from '../lambda/logger.js';
import type { DeliveryResult, Exclusions, Notification } from '../notify/types.js';
import type { Runtime } from '../runtime.js';
import { getCantonSnapshot } from '../sources/canton-snapshot.js';
import type { CantonMetrics } from '../sources/canton/metrics.js';
import { getState, putStateIfUnchanged, type StateRecord } from '../store/state-repo.js';
import { decide, type ConditionState } from './decide.js';
import type { AlertDefinition, CheckConfig, CheckContext, Evaluation } from './types.js';

export type CheckStatus = 'sent' | 'silent' | 'failed' | 'duplicate';

/** What one check did; handlers return a list of these as their JSON summary. */
export interface CheckSummary {
  check: string;
  status: CheckStatus;
  dryRun: boolean;
  /** The alert's own state change, e.g. `normal→triggered`; for a check that could not run, `ok→failing`. */
  transition?: string;
  /** Set when the source came back this time: `failing→ok`. */
  sourceTransition?: string;
  /** Sent, or with dryRun the ones that would have been sent. */
  notifications: Notification[];
  deliveries: DeliveryResult[];
  error?: string;
}

export interface RunOptions {
  dryRun?: boolean;
  /** Epoch ms by which delivery retries must stop (the Lambda's remaining time). */
  deadline?: number;
}

export const ERROR_TITLE = 'Canton Monitor ERROR';
export const RECOVERED_TITLE = 'Canton Monitor Recovered';

/** The snapshot is fetched at most once per check, and only if the rule asks for it. */
function checkContext(rt: Runtime, opts: RunOptions): CheckContext & { snapshotReused?: boolean } {
  let pending: Promise<CantonMetrics> | undefined;
  const ctx: CheckContext & { snapshotReused?: boolean } = {
    now: rt.now(),
    core: rt.core,
    services: rt.services,
    env: rt.env,
    store: rt.store,
    sleep: (ms) => rt.sleep(ms),
    dryRun: opts.dryRun ?? false,
    ...(opts.deadline ? { deadline: opts.deadline } : {}),
    canton: () =>
      (pending ??= getCantonSnapshot(rt).then((snap) => {
        ctx.snapshotReused = snap.reused;
        return snap.metrics;
      })),
  };
  return ctx;
}

const conditionState = (rec: StateRecord | undefined): ConditionState | undefined =>
  rec?.state === 'triggered' || rec?.state === 'normal' ? rec.state : undefined;

async function send(rt: Runtime, notifications: Notification[], exclusions: Exclusions, opts: RunOptions) {
  const deliveries: DeliveryResult[] = [];
  for (const n of notifications) {
    deliveries.push(...(await rt.deliver(n, exclusions, opts.deadline ? { deadline: opts.deadline } : {})));
  }
  return deliveries;
}

/**
 * Runs one check end to end: read the source, apply the rule, move the state, notify.
 * A check whose source cannot be read follows the failing/recovered rule and leaves the alert's
 * own state untouched. With dryRun nothing is written and nothing is sent.
 */
export async function runCheck<C extends CheckConfig>(
  def: AlertDefinition<C>,
  check: C,
  rt: Runtime,
  opts: RunOptions = {},
): Promise<CheckSummary> {
  const dryRun = opts.dryRun ?? false;
  const ctx = checkContext(rt, opts);
  const failure = def.failureRoute(check, rt.core);

  let evaluation: Evaluation;
  try {
    evaluation = await def.evaluate(check, ctx);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    logger.error('Check could not run', { check: check.key, error: reason });
    const previous = await getState(rt.store, failure.key);
    const base: CheckSummary = { check: check.key, status: 'failed', dryRun, notifications: [], deliveries: [], error: reason };
    if (previous?.state === 'failing') return { ...base, transition: 'failing→failing' };
    const notification: Notification = {
      title: ERROR_TITLE,
      message: `${capitalise(failure.subject)} cannot be read.\n${reason}\n\nChecks keep running on their schedule; you will get one message when it works again.`,
      priority: 1,
    };
    if (dryRun) return { ...base, transition: 'ok→failing', notifications: [notification] };
    const won = await putStateIfUnchanged(rt.store, failure.key, previous, {
      state: 'failing', now: ctx.now, notified: ERROR_TITLE, detail: reason,
    });
    if (!won) return { ...base, transition: 'failing→failing' };
    const deliveries = await send(rt, [notification], failure.exclusions, opts);
    return { ...base, transition: 'ok→failing', notifications: [notification], deliveries };
  }

  const notifications: Notification[] = [];
  const deliveries: DeliveryResult[] = [];
  let sourceTransition: string | undefined;

  // The source works: if it was failing, say once that it recovered.
  const health = await getState(rt.store, failure.key);
  if (health?.state === 'failing') {
    const recovered: Notification = {
      title: RECOVERED_TITLE,
      message: `${capitalise(failure.subject)} can be read again. Checks are back to normal.`,
      priority: 0,
    };
    sourceTransition = 'failing→ok';
    if (dryRun) notifications.push(recovered);
    else if (await putStateIfUnchanged(rt.store, failure.key, health, { state: 'ok', now: ctx.now, notified: RECOVERED_TITLE })) {
      notifications.push(recovered);
      deliveries.push(...(await send(rt, [recovered], failure.exclusions, opts)));
    }
  }

  const previous = await getState(rt.store, check.key);
  const decision = decide(def.mode, rt.core.stateChangeMode, conditionState(previous), evaluation);
  const summary = (status: CheckStatus): CheckSummary => ({
    check: check.key,
    status,
    dryRun,
    ...(decision.transition ? { transition: decision.transition } : {}),
    ...(sourceTransition ? { sourceTransition } : {}),
    notifications: [...notifications, ...decision.send],
    deliveries,
  });
  if (dryRun) return summary(decision.send.length + notifications.length > 0 ? 'sent' : 'silent');

  // Record the state first: the conditional write decides which of two concurrent invocations sends.
  // Reports are recorded too (state `sent`), so the API can say when one was last sent.
  const title = decision.send[0]?.title;
  if (evaluation.kind === 'report' || decision.next) {
    const won = await putStateIfUnchanged(rt.store, check.key, previous, {
      state: decision.next ?? 'sent',
      now: ctx.now,
      ...(title ? { notified: title } : {}),
    });
    if (!won) {
      logger.info('Another invocation recorded this check first; not sending again', { check: check.key });
      return { ...summary('duplicate'), notifications };
    }
  }
  deliveries.push(...(await send(rt, decision.send, check.exclusions, opts)));
  return summary(decision.send.length + notifications.length > 0 ? 'sent' : 'silent');
}

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
