import { ccLine, centsOf, changeAlert, plainBaseline, type ChangeRuleSpec } from '../../shared/alerting/change-rule.js';
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

export const alert3 = changeAlert('alert3', 'Est. Traffic change', estTrafficChange);

export const handler = makeAlertHandler(alert3);
