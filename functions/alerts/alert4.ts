import { ccLine, centsOf, changeAlert, plainBaseline, type ChangeRuleSpec } from '../../shared/alerting/change-rule.js';
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

export const alert4 = changeAlert('alert4', 'Gross change', grossChange);

export const handler = makeAlertHandler(alert4);
