import { formatSharePercent, formatThreshold, formatUsd } from '../../alerting/format.js';
import type { ProviderShare } from './schema.js';

/** The share held by the top X providers of a window. */
export interface TopShare {
  topX: number;
  /** Sum of percent_of_total over the providers counted. */
  percent: number;
  /** The providers counted: the first X, or all of them when the window has fewer. */
  providers: ProviderShare[];
  /** True when the window has fewer than X providers. */
  short: boolean;
}

/**
 * The API gives four decimals; summing them in floating point can land a hair above or below the
 * true sum (30.1 + 29.9 = 60.00000000000001), which must not decide a threshold.
 */
const roundSum = (value: number): number => Math.round(value * 1e6) / 1e6;

/** Concentration of the top X = the sum of `percent_of_total` over the first X entries. */
export function topShare(providers: ProviderShare[], topX: number): TopShare {
  const counted = providers.slice(0, topX);
  return {
    topX,
    percent: roundSum(counted.reduce((sum, p) => sum + p.percent, 0)),
    providers: counted,
    short: counted.length < topX,
  };
}

type Relation = '>' | '<' | '=';
const relation = (a: number, b: number): Relation => (a > b ? '>' : a < b ? '<' : '=');

/**
 * A share with two decimals, as the spec shows it, unless two decimals would misstate how it
 * compares with the threshold (60.004 shown as 60.00 next to "> 60%"); then with more.
 */
export function formatShareAgainst(percent: number, threshold: number): string {
  const actual = relation(percent, threshold);
  for (const digits of [2, 4, 6]) {
    const shown = percent.toFixed(digits);
    if (relation(Number(shown), threshold) === actual) return shown;
  }
  return String(percent);
}

export const providerCountText = (n: number): string => `${n} provider${n === 1 ? '' : 's'}`;

/** `   1. cantonloop-mainnet-1: 26.05% ($2,460,654)` (Alert 6 indents, Alert 7 does not). */
export const providerLine = (p: ProviderShare, position: number, indent = ''): string =>
  `${indent}${position}. ${p.name}: ${formatSharePercent(p.percent)}% (${formatUsd(p.amountUsd)})`;

/**
 * One Alert 6 rule line. Strictly greater triggers (DECISIONS.md 3); exactly at the threshold is
 * shown with `=` and said not to be above it, so the reader is not left wondering.
 */
export function ruleLine(share: TopShare, thresholdPercent: number): string {
  const rel = relation(share.percent, thresholdPercent);
  const mark = rel === '>' ? '⚠️' : '✓';
  const notes: string[] = [];
  if (rel === '=') notes.push('not above it');
  if (share.short) notes.push(`only ${providerCountText(share.providers.length)} in window`);
  const note = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  return `${mark} Top ${share.topX}: ${formatShareAgainst(share.percent, thresholdPercent)}% ${rel} ${formatThreshold(thresholdPercent)}% threshold${note}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** `Dec 10, 06:00` in UTC. */
export const formatPeriodPoint = (d: Date): string =>
  `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;

/** `Period: Dec 10, 06:00 - Dec 10, 18:00 UTC`. */
export const periodLine = (from: Date, to: Date): string => `Period: ${formatPeriodPoint(from)} - ${formatPeriodPoint(to)} UTC`;

/** The rolling window ending now, to the whole second (the API takes seconds). */
export function rollingWindow(now: Date, hours: number): { from: Date; to: Date } {
  const to = new Date(Math.floor(now.getTime() / 1000) * 1000);
  return { from: new Date(to.getTime() - hours * 3_600_000), to };
}
