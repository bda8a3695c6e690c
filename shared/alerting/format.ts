/**
 * Number formats used in every message (DECISIONS.md, "Number formatting"). Amounts are handled in
 * whole cents so that comparisons and differences are exact to the cent.
 */

/** A CC amount in whole cents (the page shows two decimals). */
export const toCents = (value: number): number => Math.round(value * 100);

const twoDecimals = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const noDecimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** `14.50`, `1,234.56`. */
export const formatCC = (value: number): string => twoDecimals.format(toCents(value) / 100);

/** `+2.50`, `-2.32`, `0.00`: an explicit sign on every non-zero difference. */
export function formatSignedCC(value: number): string {
  const cents = toCents(value);
  if (cents === 0) return '0.00';
  return `${cents > 0 ? '+' : '-'}${twoDecimals.format(Math.abs(cents) / 100)}`;
}

/** Threshold as configured, without a trailing `.0`: `30`, `12.5`. */
export const formatThreshold = (value: number): string => String(Number(value.toFixed(4)));

/** One decimal, no sign (the arrow carries the direction): `35.2`. */
export const formatChangePercent = (value: number): string => Math.abs(value).toFixed(1);

/** Two decimals: `52.40`. */
export const formatSharePercent = (value: number): string => value.toFixed(2);

/** Whole US dollars with thousands separators: `$9,449,838`. */
export const formatUsd = (value: number): string => `$${noDecimals.format(value)}`;

/** ↑ for a rise, ↓ for a fall, → for no change. */
export const changeArrow = (value: number): string => (value > 0 ? '↑' : value < 0 ? '↓' : '→');
