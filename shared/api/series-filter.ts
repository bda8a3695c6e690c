import { z } from 'zod';
import { listParam, param, problem } from './query.js';
import { invalidParameters } from './responses.js';
import { FAMILIES, SERIES_NAMES, seriesNamesText, SOURCES, TYPES } from './series.js';

/**
 * Choosing series: `series=a,b` by name, or the spec's `source` and/or `type`. Without either, every
 * series. The result is always in registry order, so equal selections page identically.
 */
const oneOf = (known: readonly string[]) =>
  param(
    `one of ${known.join(', ')}`,
    z
      .string()
      .optional()
      .refine((v) => v === undefined || known.includes(v)),
  );

export const seriesParams = {
  series: listParam(`one or more of ${seriesNamesText()}, comma-separated (in a URL write # as %23)`, SERIES_NAMES),
  source: oneOf(SOURCES),
  type: oneOf(TYPES),
};

export function resolveSeries(q: { series?: string[] | undefined; source?: string | undefined; type?: string | undefined }): string[] {
  if (q.series && (q.source !== undefined || q.type !== undefined)) {
    const other = q.source !== undefined ? 'source' : 'type';
    throw invalidParameters([
      problem('series', 'either series or source/type', `series cannot be combined with ${other}; use either series or source/type.`),
    ]);
  }
  if (q.series) return SERIES_NAMES.filter((s) => q.series!.includes(s));
  const picked = FAMILIES.filter((f) => (q.source === undefined || f.source === q.source) && (q.type === undefined || f.type === q.type));
  if (picked.length === 0) {
    const types = FAMILIES.filter((f) => f.source === q.source).map((f) => f.type);
    throw invalidParameters([
      problem(
        'type',
        `one of ${types.join(', ')} for source ${q.source}`,
        `type ${JSON.stringify(q.type)} does not exist for source ${q.source}; allowed: ${types.join(', ')}.`,
      ),
    ]);
  }
  return picked.flatMap((f) => f.series);
}
