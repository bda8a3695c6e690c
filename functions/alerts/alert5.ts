import { centsOf, changeAlert, plainBaseline, signedCC, type ChangeRuleSpec } from '../../shared/alerting/change-rule.js';
import { formatCC } from '../../shared/alerting/format.js';
import { makeAlertHandler } from '../../shared/lambda/alert-handler.js';

/** Diff = Gross − Est.Traffic in cents (DECISIONS.md 1: positive is healthy). */
const diffCents = (gross: number | null, est: number | null): number | null => {
  const g = centsOf(gross);
  const e = centsOf(est);
  return g === null || e === null ? null : g - e;
};

/** Alert 5: the margin (Gross − Est. Traffic) changes by more than the threshold. */
export const profitabilityChange: ChangeRuleSpec = {
  name: 'Profitability Change',
  subject: 'Profitability (Gross - Est.Traffic)',
  value: (p) => diffCents(p.gross_cc, p.est_traffic_cc),
  narrative: {
    up: 'Profitability improving - margin between Gross and Traffic is widening.',
    down: 'Profitability declining - margin between Gross and Traffic is shrinking.',
  },
  latestLines: (latest, cents) => [
    `Latest Diff: ${signedCC(cents)}`,
    `(Gross ${formatCC(latest.gross_cc ?? 0)} - Est.Traffic ${formatCC(latest.est_traffic_cc ?? 0)})`,
  ],
  baselineLabel: (b, cents) => (cents === null ? plainBaseline(b) : `${plainBaseline(b)} (${signedCC(cents)})`),
};

export const alert5 = changeAlert('alert5', 'Profitability change', profitabilityChange);

export const handler = makeAlertHandler(alert5);
