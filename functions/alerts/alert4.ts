import { parseChangeCheck, type ChangeCheckConfig } from '../../shared/alerting/check-config.js';
import { ccLine, centsOf, evaluateChange, plainBaseline, type ChangeRuleSpec } from '../../shared/alerting/change-rule.js';
import { cantonFailureRoute } from '../../shared/alerting/canton-alert.js';
import type { AlertDefinition } from '../../shared/alerting/types.js';
import { makeAlertHandler } from '../../shared/lambda/alert-handler.js';

/** Alert 4: Gross changes by more than the threshold against an average. */
export const grossChange: ChangeRuleSpec = {
  name: 'Gross Change',
  subject: 'Gross',
  value: (p) => centsOf(p.gross_cc),
  narrative: {
    up: 'Gross revenue is up - earning more per round.',
    down: 'Gross revenue is down - earning less per round.',
  },
  latestLines: (_latest, cents) => [ccLine('Latest', cents)],
  baselineLabel: plainBaseline,
};

export const alert4: AlertDefinition<ChangeCheckConfig> = {
  id: 'alert4',
  description: 'Gross change',
  mode: 'state-change',
  scrapes: true,
  defaultIntervalMinutes: 15,
  parseChecks: (env) => [parseChangeCheck(env, 'alert4', 'Gross change')],
  evaluate: async (check, ctx) => evaluateChange(await ctx.canton(), check, grossChange),
  failureRoute: cantonFailureRoute,
};

export const handler = makeAlertHandler(alert4);
