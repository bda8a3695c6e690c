/** Text helpers shared by the notifiers. */

// Graphemes, not code points, are the unit we never split: cutting between a base character and its
// variation selector or ZWJ sequence (⚠️, 👩‍💻, flags) would leave a visibly broken symbol.
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export const ELLIPSIS = '…';

/** Length in Unicode code points, the unit Pushover's limits are documented in. */
export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Cut `text` to at most `limit` code points. When it has to cut, it ends on a whole grapheme
 * followed by `…`, the ellipsis counted within the limit, so the result is always acceptable and
 * it is visible to the reader that something was left out.
 */
export function truncate(text: string, limit: number): string {
  if (codePointLength(text) <= limit) return text;
  const budget = limit - codePointLength(ELLIPSIS);
  if (budget <= 0) return limit > 0 ? ELLIPSIS : '';
  let out = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const len = codePointLength(segment);
    if (used + len > budget) break;
    out += segment;
    used += len;
  }
  // A dangling space before the ellipsis reads as a formatting mistake.
  return out.trimEnd() + ELLIPSIS;
}

/**
 * Replace every occurrence of the given secrets with a marker. Used on anything that goes to the
 * logs and originates outside our code (provider error texts, client library messages), because
 * we cannot prove those never echo a credential back.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const s of secrets) {
    // Very short values would redact ordinary words; real tokens are long.
    if (s && s.length >= 6) out = out.split(s).join('[REDACTED]');
  }
  return out;
}

/**
 * `Name: message (CODE cause)` for an error, read by shape rather than `instanceof` because errors
 * from fetch may come from another realm. Node's fetch says only "fetch failed"; the useful part
 * (ECONNREFUSED, a timeout, a reset) is in `cause`.
 */
export function describeError(err: unknown): string {
  if (!err || typeof err !== 'object') return String(err);
  const e = err as { name?: unknown; message?: unknown; cause?: unknown };
  const base = typeof e.message === 'string' ? `${typeof e.name === 'string' ? `${e.name}: ` : ''}${e.message}` : String(err);
  const cause = e.cause as { code?: unknown; message?: unknown } | undefined;
  if (!cause || typeof cause !== 'object') return base;
  const detail = [cause.code, cause.message].filter((v): v is string => typeof v === 'string' && v !== '').join(' ');
  return detail ? `${base} (${detail})` : base;
}
