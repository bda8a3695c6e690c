import { NO_EXCLUSIONS } from '../notify/types.js';
import type { CoreConfig } from '../config/core.js';
import type { CantonMetrics } from '../sources/canton/metrics.js';
import { parseCommonCheck } from './check-config.js';
import type { AlertDefinition, AlertMode, CheckConfig, Evaluation, FailureRoute } from './types.js';
import type { Env } from '../config/env.js';

/**
 * Alerts 1–5 all read the same page, so its failure is tracked once (not once per alert) and is
 * told to everyone: every one of those alerts is blind while it lasts.
 */
export const cantonFailureRoute = (_check: unknown, core: CoreConfig): FailureRoute => ({
  key: 'source#canton',
  subject: `the Canton Rewards page (${core.canton.url})`,
  exclusions: NO_EXCLUSIONS,
});

/** An alert on the Canton page's figures: a rule over one reading, one check per alert. */
export function cantonAlert<C extends CheckConfig = CheckConfig>(spec: {
  id: string;
  description: string;
  mode: AlertMode;
  intervalMinutes: number;
  rule(metrics: CantonMetrics, check: C): Evaluation;
  /** Reads alert-specific variables; defaults to the common ones (ENABLED, INTERVAL_MINUTES, EXCLUDE_*). */
  parseCheck?(env: Env): C;
}): AlertDefinition<C> {
  const parseCheck =
    spec.parseCheck ??
    ((env: Env) =>
      parseCommonCheck(
        env,
        spec.id.toUpperCase(),
        { key: spec.id, alertId: spec.id, name: spec.description },
        { intervalMinutes: spec.intervalMinutes },
      ) as C);
  return {
    id: spec.id,
    description: spec.description,
    mode: spec.mode,
    scrapes: true,
    defaultIntervalMinutes: spec.intervalMinutes,
    parseChecks: (env) => [parseCheck(env)],
    evaluate: async (check, ctx) => spec.rule(await ctx.canton(), check),
    failureRoute: cantonFailureRoute,
  };
}
