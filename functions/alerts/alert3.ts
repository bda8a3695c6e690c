import { parseChangeCheck, type ChangeCheckConfig } from '../../shared/alerting/check-config.js';
import { ccLine, centsOf, evaluateChange, plainBaseline, type ChangeRuleSpec } from '../../shared/alerting/change-rule.js';
import { cantonFailureRoute } from '../../shared/alerting/canton-alert.js';
import type { AlertDefinition } from '../../shared/alerting/types.js';
import { makeAlertHandler } from '../../shared/lambda/alert-handler.js';

/** Alert 3: Est. Traffic changes by more than the threshold against an average. */
export const estTrafficChange: ChangeRuleSpec = {
  name: 'Est.Traffic Change',
  subject: 'Est.Traffic',
  value: (p) => centsOf(p.est_traffic_cc),
  narrative: {
    up: 'Network traffic is spiking - more transactions flowing through.',
    down: 'Network traffic is dropping - fewer transactions flowing through.',
  },
  latestLines: (_latest, cents) => [ccLine('Latest', cents)],
  baselineLabel: plainBaseline,
};

export const alert3: AlertDefinition<ChangeCheckConfig> = {
  id: 'alert3',
  description: 'Est. Traffic change',
  mode: 'state-change',
  scrapes: true,
  defaultIntervalMinutes: 15,
  parseChecks: (env) => [parseChangeCheck(env, 'alert3', 'Est. Traffic change')],
  evaluate: async (check, ctx) => evaluateChange(await ctx.canton(), check, estTrafficChange),
  failureRoute: cantonFailureRoute,
};

export const handler = makeAlertHandler(alert3);
