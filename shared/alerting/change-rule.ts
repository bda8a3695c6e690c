import type { Notification } from '../notify/types.js';
import { PERIOD_LABELS, type CantonMetrics, type PeriodMetrics } from '../sources/canton/metrics.js';
import { cantonAlert } from './canton-alert.js';
import { parseChangeCheck, type ChangeCheckConfig } from './check-config.js';
import { changeArrow, formatCC, formatChangePercent, formatSignedCC, formatThreshold, toCents } from './format.js';
import type { AlertDefinition, Evaluation } from './types.js';

/** A comparison of the latest value against one average (DECISIONS.md 3 and 4). */
export type Comparison =
  | { baseline: '1hr_avg' | '24hr_avg'; comparable: true; baselineCents: number; percent: number; exceeds: boolean }
  | { baseline: '1hr_avg' | '24hr_avg'; comparable: false; reason: string; baselineCents: number | null };

/**
 * Percent change of `current` against `baseline`, both in whole cents so the result is exact:
 * (current − baseline) / |baseline| × 100. A zero or missing baseline is not comparable.
 */
export function compare(
  currentCents: number | null,
  baselineCents: number | null,
  baseline: '1hr_avg' | '24hr_avg',
  thresholdPercent: number,
): Comparison {
  if (currentCents === null) return { baseline, comparable: false, reason: 'latest value not available', baselineCents };
  if (baselineCents === null) return { baseline, comparable: false, reason: 'average not available', baselineCents };
  if (baselineCents === 0) return { baseline, comparable: false, reason: 'average is 0.00 CC', baselineCents };
  const percent = ((currentCents - baselineCents) / Math.abs(baselineCents)) * 100;
  // Strictly greater: a change of exactly the threshold does not trigger.
  return { baseline, comparable: true, baselineCents, percent, exceeds: Math.abs(percent) > thresholdPercent };
}

export const baselinesFor = (period: ChangeCheckConfig['comparisonPeriod']): Array<'1hr_avg' | '24hr_avg'> =>
  period === 'both' ? ['1hr_avg', '24hr_avg'] : period === '24hr' ? ['24hr_avg'] : ['1hr_avg'];

/** What differs between Alerts 3, 4 and 5. */
export interface ChangeRuleSpec {
  /** e.g. `Est.Traffic Change` — the title is `Canton: <name> >30%!`. */
  name: string;
  /** The value compared, in cents, or null when it cannot be read. */
  value(p: PeriodMetrics): number | null;
  narrative: { up: string; down: string };
  /** Lines describing the latest value, e.g. `Latest: 15.50 CC`. */
  latestLines(latest: PeriodMetrics, cents: number): string[];
  /** How an average is named in a comparison line, e.g. `1-Hour Average (+5.20 CC)`. */
  baselineLabel(baseline: '1hr_avg' | '24hr_avg', baselineCents: number | null): string;
  /** Said in the recovery message, e.g. `Est.Traffic`. */
  subject: string;
}

const comparisonLine = (c: Comparison, spec: ChangeRuleSpec): string => {
  const label = spec.baselineLabel(c.baseline, c.baselineCents);
  if (!c.comparable) return `vs ${label}: not comparable (${c.reason})`;
  return `vs ${label}: ${changeArrow(c.percent)} ${formatChangePercent(c.percent)}%${c.exceeds ? ' ⚠️' : ''}`;
};

/** Evaluates a percent-change alert and renders both its alert and its recovery message. */
export function evaluateChange(metrics: CantonMetrics, check: ChangeCheckConfig, spec: ChangeRuleSpec): Evaluation {
  const latestCents = spec.value(metrics.latest_round);
  const comparisons = baselinesFor(check.comparisonPeriod).map((b) =>
    compare(latestCents, spec.value(metrics[b]), b, check.thresholdPercent),
  );
  const comparable = comparisons.filter((c) => c.comparable);
  const threshold = formatThreshold(check.thresholdPercent);
  if (latestCents === null || comparable.length === 0) return { kind: 'condition', triggered: null };

  const firing = comparable.find((c) => c.exceeds);
  const lines = [...spec.latestLines(metrics.latest_round, latestCents), '', ...comparisons.map((c) => comparisonLine(c, spec))];
  const alert: Notification | undefined = firing
    ? {
        title: `Canton: ${spec.name} >${threshold}%!`,
        message: [firing.percent > 0 ? spec.narrative.up : spec.narrative.down, '', ...lines].join('\n'),
        priority: 1,
      }
    : undefined;
  const resolved: Notification = {
    title: `Canton: ${spec.name} Returned to Benchmark`,
    message: [`${spec.subject} is back within ${threshold}% of its average.`, '', ...lines].join('\n'),
    priority: 0,
  };
  return { kind: 'condition', triggered: !!firing, ...(alert ? { alert } : {}), resolved };
}

/** Shared wording helpers for the alert files. */
export const plainBaseline = (b: '1hr_avg' | '24hr_avg'): string => PERIOD_LABELS[b];
export const centsOf = (v: number | null): number | null => (v === null ? null : toCents(v));
export const ccLine = (label: string, cents: number): string => `${label}: ${formatCC(cents / 100)} CC`;
export const signedCC = (cents: number): string => `${formatSignedCC(cents / 100)} CC`;

/** Alerts 3–5 differ only in their spec: each is a state-change alert on the Canton page. */
export const changeAlert = (id: string, description: string, spec: ChangeRuleSpec): AlertDefinition<ChangeCheckConfig> =>
  cantonAlert<ChangeCheckConfig>({
    id,
    description,
    mode: 'state-change',
    intervalMinutes: 15,
    parseCheck: (env) => parseChangeCheck(env, id, description),
    rule: (metrics, check) => evaluateChange(metrics, check, spec),
  });
