import { cantonAlert } from '../../shared/alerting/canton-alert.js';
import { formatCC, toCents } from '../../shared/alerting/format.js';
import type { Evaluation } from '../../shared/alerting/types.js';
import { makeAlertHandler } from '../../shared/lambda/alert-handler.js';
import { PERIOD_LABELS, type CantonMetrics } from '../../shared/sources/canton/metrics.js';

/** Latest Round and 1-Hour Average only: the 24-hour average is left out to reduce noise. */
const SCOPE = ['latest_round', '1hr_avg'] as const;

/** Alert 1: Est. Traffic > Gross in any period in scope. Repeats on every check while it holds. */
export function evaluateTrafficAboveGross(metrics: CantonMetrics): Evaluation {
  const lines: string[] = [];
  let readable = 0;
  for (const period of SCOPE) {
    const { gross_cc: gross, est_traffic_cc: est } = metrics[period];
    if (gross === null || est === null) continue;
    readable += 1;
    const excess = toCents(est) - toCents(gross);
    if (excess > 0) {
      lines.push(
        `${PERIOD_LABELS[period]}: Est.Traffic (${formatCC(est)}) > Gross (${formatCC(gross)}) by ${formatCC(excess / 100)} CC`,
      );
    }
  }
  if (readable === 0) return { kind: 'condition', triggered: null };
  if (lines.length === 0) return { kind: 'condition', triggered: false };
  return {
    kind: 'condition',
    triggered: true,
    alert: { title: 'Canton: Est.Traffic > Gross!', message: lines.join('\n'), priority: 1 },
  };
}

export const alert1 = cantonAlert({
  id: 'alert1',
  description: 'Est. Traffic > Gross',
  mode: 'repeat',
  intervalMinutes: 15,
  rule: evaluateTrafficAboveGross,
});

export const handler = makeAlertHandler(alert1);
