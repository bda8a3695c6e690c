import { cantonAlert } from '../../shared/alerting/canton-alert.js';
import { formatCC, formatSignedCC, toCents } from '../../shared/alerting/format.js';
import type { Evaluation } from '../../shared/alerting/types.js';
import { makeAlertHandler } from '../../shared/lambda/alert-handler.js';
import { PERIODS, PERIOD_LABELS, type CantonMetrics } from '../../shared/sources/canton/metrics.js';

const amount = (v: number | null): string => (v === null ? 'not available' : `${formatCC(v)} CC`);

/** Alert 2: a snapshot of all three periods. ⚠️ marks a period where Est. Traffic > Gross. */
export function renderStatusReport(metrics: CantonMetrics): Evaluation {
  const lines: string[] = [];
  for (const period of PERIODS) {
    const { gross_cc: gross, est_traffic_cc: est } = metrics[period];
    const diff = gross !== null && est !== null ? (toCents(gross) - toCents(est)) / 100 : null;
    const mark = diff === null ? '❔' : diff < 0 ? '⚠️' : '✓';
    lines.push(
      `${mark} ${PERIOD_LABELS[period]}:`,
      `   Gross: ${amount(gross)}`,
      `   Est.Traffic: ${amount(est)}`,
      `   Diff: ${diff === null ? 'not available' : `${formatSignedCC(diff)} CC`}`,
    );
  }
  return { kind: 'report', notification: { title: 'Canton Status Report', message: lines.join('\n'), priority: 0 } };
}

export const alert2 = cantonAlert({
  id: 'alert2',
  description: 'Status report',
  mode: 'report',
  intervalMinutes: 60,
  rule: renderStatusReport,
});

export const handler = makeAlertHandler(alert2);
