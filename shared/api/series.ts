import { z } from 'zod';
import { PERIOD_LABELS, PERIODS, periodMetricsSchema, type Period } from '../sources/canton/metrics.js';
import { concentrationProviderSchema, concentrationRecordSchema, concentrationSeries, concentrationShareSchema } from '../store/concentration.js';
import { cantonSeries } from '../store/snapshots.js';

/**
 * Every time series the API serves, once. `/api/metrics` accepts exactly these names, `/api/schema`
 * describes them from their zod schemas, and `/api/metrics/latest` reads the newest record of each.
 * Adding a series (or a family of alike series, such as one per Alert 6 instance) is one entry in
 * FAMILIES.
 *
 * A series name is `<source>#<type>[#<instance>]`, which is also the partition key of its records.
 */
export interface SeriesFamily {
  source: string;
  type: string;
  /** The concrete series names, in the order pages walk them. */
  series: readonly string[];
  description: string;
  /** The fields of one record besides `series` and `ts`, each with `unit` and `description` metadata. */
  fields: z.ZodObject;
}

export type FieldMeta = {
  /** Absent for text, dates and flags. */
  unit?: string;
  description: string;
};

/** Attaches what /api/schema shows for a field, keeping the field's own schema (`meta` returns a copy). */
const field = <T extends z.ZodType>(schema: T, meta: FieldMeta): T => schema.meta(meta) as T;

const PERIOD_MEANING: Record<Period, string> = {
  latest_round: 'the most recent round',
  '1hr_avg': 'the rolling 1-hour average',
  '24hr_avg': 'the rolling 24-hour average',
};

/** A stored Canton reading for one period: the page's two figures and their difference. */
const cantonFields = (period: Period) =>
  z.object({
    gross_cc: field(periodMetricsSchema.shape.gross_cc, {
      unit: 'CC',
      description: `Gross rewards in Canton Coin for ${PERIOD_MEANING[period]}; null when the page did not show it.`,
    }),
    est_traffic_cc: field(periodMetricsSchema.shape.est_traffic_cc, {
      unit: 'CC',
      description: `Estimated traffic cost in Canton Coin for ${PERIOD_MEANING[period]}; null when the page did not show it.`,
    }),
    diff_cc: field(z.number().nullable(), {
      unit: 'CC',
      description: 'Gross − Est. Traffic, exact to the cent; negative means Est. Traffic > Gross. Null when either figure is missing.',
    }),
  });

const c = concentrationRecordSchema.shape;
const share = concentrationShareSchema.shape;
const provider = concentrationProviderSchema.shape;

/** A concentration check's figures, as Alerts 6 and 7 record them. */
const concentrationFields = concentrationRecordSchema.omit({ series: true, ts: true, expires_at: true }).extend({
  check: field(c.check, { description: 'The check that computed the record, e.g. alert6#1 or alert7.' }),
  name: field(c.name, { description: 'The Alert 6 instance or Alert 7 report name.' }),
  window_from: field(c.window_from, { description: 'Start of the rolling window the figures cover (ISO 8601).' }),
  window_to: field(c.window_to, { description: 'End of the window (ISO 8601).' }),
  window_hours: field(c.window_hours, { unit: 'hours', description: 'Length of the window.' }),
  network_total_usd: field(c.network_total_usd, { unit: 'USD', description: 'Total rewards of the whole network in the window.' }),
  provider_count: field(c.provider_count, { unit: 'count', description: 'Providers the FAAMView API returned.' }),
  limit: field(c.limit, { unit: 'count', description: 'How many top providers were asked for.' }),
  shares: field(
    z.array(
      concentrationShareSchema.extend({
        top_x: field(share.top_x, { unit: 'count', description: 'The X of "top X providers".' }),
        percent: field(share.percent, { unit: '%', description: 'Share of the network total held by the top X.' }),
        providers_counted: field(share.providers_counted, { unit: 'count', description: 'Providers summed: X, or fewer if fewer existed.' }),
        threshold_percent: field(share.threshold_percent, { unit: '%', description: 'Alert 6: the rule threshold.' }),
        exceeded: field(share.exceeded, { description: 'Alert 6: whether the share was strictly above the threshold.' }),
      }),
    ),
    { description: 'One entry per top-X figure computed (per rule for Alert 6, per SHOW_TOP_X for Alert 7).' },
  ),
  providers: field(
    z.array(
      concentrationProviderSchema.extend({
        rank: field(provider.rank, { unit: 'count', description: 'Rank by rewards, 1 = largest.' }),
        name: field(provider.name, { description: 'Display name: the party id before "::".' }),
        provider: field(provider.provider, { description: 'Full party id.' }),
        percent: field(provider.percent, { unit: '%', description: 'Share of the network total.' }),
        amount_usd: field(provider.amount_usd, { unit: 'USD', description: 'Rewards in the window.' }),
      }),
    ),
    { description: 'The top providers in the window, largest first.' },
  ),
});

/** Alert 6 instances are numbered 1 to 10 (its configuration allows no more). */
export const ALERT6_INSTANCES = 10;

export const FAMILIES: readonly SeriesFamily[] = [
  ...PERIODS.map((period) => ({
    source: 'canton',
    type: period,
    series: [cantonSeries(period)],
    description: `Canton Rewards (canton-rewards.noves.fi), ${PERIOD_LABELS[period]}: one record per scrape.`,
    fields: cantonFields(period),
  })),
  {
    source: 'faam',
    type: 'alert6',
    series: Array.from({ length: ALERT6_INSTANCES }, (_, i) => concentrationSeries(`alert6#${i + 1}`)),
    description: 'FAAM provider concentration computed by each Alert 6 instance (one series per instance): one record per check.',
    fields: concentrationFields,
  },
  {
    source: 'faam',
    type: 'alert7',
    series: [concentrationSeries('alert7')],
    description: 'FAAM provider concentration computed by the Alert 7 status report: one record per report.',
    fields: concentrationFields,
  },
];

export const SERIES_NAMES: readonly string[] = FAMILIES.flatMap((f) => f.series);
export const SOURCES: readonly string[] = [...new Set(FAMILIES.map((f) => f.source))];
export const TYPES: readonly string[] = [...new Set(FAMILIES.map((f) => f.type))];

const FAMILY_OF = new Map(FAMILIES.flatMap((f) => f.series.map((s) => [s, f] as const)));
export const familyOf = (series: string): SeriesFamily | undefined => FAMILY_OF.get(series);

/** Series names for messages: a long family is shown as its first and last name. */
export const seriesNamesText = (): string =>
  FAMILIES.map((f) => (f.series.length > 2 ? `${f.series[0]} to ${f.series[f.series.length - 1]}` : f.series.join(', '))).join(', ');

/** The attributes a record exposes, in order; anything else stored with it (e.g. its expiry) stays internal. */
const publicAttributes = (f: SeriesFamily): string[] => ['series', 'ts', ...Object.keys(f.fields.shape)];

/** The zod schema of a whole record as served, used for /api/schema. */
export const recordSchema = (f: SeriesFamily) =>
  z
    .object({
      series: z.enum(f.series as [string, ...string[]]).meta({ description: 'The series this record belongs to.' }),
      ts: z.iso.datetime().meta({ description: 'When the reading was taken (ISO 8601, UTC).' }),
    })
    .extend(f.fields.shape);

const ATTRIBUTES = new Map(FAMILIES.flatMap((f) => f.series.map((s) => [s, publicAttributes(f)] as const)));

export const attributesOf = (series: string): readonly string[] => ATTRIBUTES.get(series) ?? ['series', 'ts'];

/** A stored record as served: its public attributes in schema order, a missing field as null. */
export function shapeRecord(item: Record<string, unknown> & { series: string }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const attr of attributesOf(item.series)) out[attr] = item[attr] ?? null;
  return out;
}
