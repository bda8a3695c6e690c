import { z } from 'zod';

export const PERIODS = ['latest_round', '1hr_avg', '24hr_avg'] as const;
export type Period = (typeof PERIODS)[number];

/** The headings the page shows for each period; also used to name missing figures. */
export const PERIOD_LABELS: Record<Period, string> = {
  latest_round: 'Latest Round',
  '1hr_avg': '1-Hour Average',
  '24hr_avg': '24-Hour Average',
};

export const FIGURES = ['gross_cc', 'est_traffic_cc'] as const;
export type Figure = (typeof FIGURES)[number];
export const FIGURE_LABELS: Record<Figure, string> = { gross_cc: 'Gross', est_traffic_cc: 'Est. Traffic' };

/**
 * One period's figures in Canton Coin. A figure that could not be read is null: a placeholder or an
 * absent label must never turn into 0, which would look like a real (and alarming) value.
 * zod 4's z.number() already rejects NaN and ±Infinity.
 */
export const periodMetricsSchema = z.object({
  gross_cc: z.number().nullable(),
  est_traffic_cc: z.number().nullable(),
});

export const cantonMetricsSchema = z.object({
  latest_round: periodMetricsSchema,
  '1hr_avg': periodMetricsSchema,
  '24hr_avg': periodMetricsSchema,
});

export type PeriodMetrics = z.infer<typeof periodMetricsSchema>;
export type CantonMetrics = z.infer<typeof cantonMetricsSchema>;

export function emptyCantonMetrics(): CantonMetrics {
  return {
    latest_round: { gross_cc: null, est_traffic_cc: null },
    '1hr_avg': { gross_cc: null, est_traffic_cc: null },
    '24hr_avg': { gross_cc: null, est_traffic_cc: null },
  };
}

/** Human names of the figures that are null, e.g. `['24-Hour Average Gross']`. */
export function missingFigures(metrics: CantonMetrics): string[] {
  const missing: string[] = [];
  for (const period of PERIODS) {
    for (const figure of FIGURES) {
      if (metrics[period][figure] === null) missing.push(`${PERIOD_LABELS[period]} ${FIGURE_LABELS[figure]}`);
    }
  }
  return missing;
}
