import { emptyCantonMetrics, PERIODS, type CantonMetrics, type Figure, type Period } from './metrics.js';

/*
 * Reads the Canton Rewards figures out of the page's rendered text (document.body.innerText).
 *
 * The text is split into tokens (headings, labels, amounts, placeholders, separators, other words,
 * line breaks). A heading or label only counts as structure when it starts a line or directly follows
 * another piece of structure (a heading, an amount, a placeholder) on its line; the same words inside
 * prose ("App Gross", "for the Latest Round") are plain words. That is what keeps nearby amounts such
 * as "Validator Rewards 99.00 CC" from being taken for Gross.
 *
 * Each structural heading opens a section that runs to the next heading. A label takes the amount that
 * immediately follows it (same line after an optional ':' or on the next line); anything else after a
 * label (a placeholder, another label, a word) leaves the figure missing.
 */

type Token =
  | { kind: 'newline' }
  | { kind: 'heading'; period: Period }
  | { kind: 'label'; figure: Figure }
  | { kind: 'amount'; value: number }
  | { kind: 'placeholder' }
  | { kind: 'sep' }
  | { kind: 'word' };

// Letters or digits may not continue a keyword: "Grossly" is not "Gross".
const END = '(?![\\p{L}\\p{N}])';
// Same-line whitespace only: a heading split over two lines is not a heading.
const SP = '[^\\S\\n]';
const DASHES = '\\-\u2010\u2011\u2012\u2013';
const HOUR = `(?:[${DASHES}]|${SP})*(?:hours?|hrs?|h)${SP}*(?:average|avg\\.?)`;

const HEADINGS: [Period, RegExp][] = [
  ['latest_round', new RegExp(`latest${SP}+round${END}`, 'iuy')],
  ['1hr_avg', new RegExp(`1${HOUR}${END}`, 'iuy')],
  ['24hr_avg', new RegExp(`24${HOUR}${END}`, 'iuy')],
];
const LABELS: [Figure, RegExp][] = [
  ['gross_cc', new RegExp(`gross${END}`, 'iuy')],
  ['est_traffic_cc', new RegExp(`est(?:\\.|imated)?${SP}*traffic${END}`, 'iuy')],
];
// A sign counts only when a digit follows it directly ("-3.10 CC"); the unit may sit on the next line.
const AMOUNT = new RegExp(`([+\\-\u2212]?)(\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?)\\s*cc${END}`, 'iuy');
// Loading states: "— CC", "-- CC", "…", "Loading…", "N/A". Never read as a number.
const PLACEHOLDER = new RegExp(
  `(?:[\u2014\u2015${DASHES}\u2212]{1,3}|\u2026|\\.{2,3}|n/a|loading(?:\u2026|\\.{1,3})?|pending(?:\u2026|\\.{1,3})?)(?:\\s*cc)?${END}`,
  'iuy',
);
const SEP = /[:=|,;\u00b7\u2022]/y;
const BLANK = /[^\S\n]+/y;
const WORD = /[^\s:=|,;\u00b7\u2022]+/uy;

function matchAt(re: RegExp, text: string, pos: number): string | null {
  re.lastIndex = pos;
  return re.exec(text)?.[0] ?? null;
}

/** The token starting at `pos` (never at whitespace) and its length in characters. */
function tokenAt(text: string, pos: number, structureAllowed: boolean): [Token, number] {
  let m: string | null;
  if (structureAllowed) {
    for (const [period, re] of HEADINGS) if ((m = matchAt(re, text, pos))) return [{ kind: 'heading', period }, m.length];
    for (const [figure, re] of LABELS) if ((m = matchAt(re, text, pos))) return [{ kind: 'label', figure }, m.length];
  }
  AMOUNT.lastIndex = pos;
  const amount = AMOUNT.exec(text);
  if (amount) {
    const magnitude = Number((amount[2] ?? '').replace(/,/g, ''));
    const value = amount[1] === '-' || amount[1] === '\u2212' ? -magnitude : magnitude;
    // Normalise -0 so that "-0.00 CC" compares and prints as 0.
    return [{ kind: 'amount', value: value === 0 ? 0 : value }, amount[0].length];
  }
  if ((m = matchAt(PLACEHOLDER, text, pos))) return [{ kind: 'placeholder' }, m.length];
  if ((m = matchAt(SEP, text, pos))) return [{ kind: 'sep' }, m.length];
  return [{ kind: 'word' }, matchAt(WORD, text, pos)?.length ?? 1];
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  // Structure is allowed at the start of a line and after other structure on the same line.
  let structureAllowed = true;
  for (let pos = 0; pos < text.length; ) {
    if (text[pos] === '\n') {
      tokens.push({ kind: 'newline' });
      structureAllowed = true;
      pos += 1;
      continue;
    }
    const blank = matchAt(BLANK, text, pos);
    if (blank) {
      pos += blank.length;
      continue;
    }
    const [token, length] = tokenAt(text, pos, structureAllowed);
    tokens.push(token);
    // Separators are transparent: they neither start nor end structure on a line.
    if (token.kind !== 'sep') structureAllowed = token.kind !== 'word';
    pos += length;
  }
  return tokens;
}

interface Section {
  period: Period;
  gross_cc: number | null;
  est_traffic_cc: number | null;
  /** A label or placeholder follows the heading: this is a card, not just a tab or a link. */
  isCard: boolean;
}

function readSections(tokens: Token[]): Section[] {
  const sections: Section[] = [];
  let current: Section | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind === 'heading') {
      current = { period: token.period, gross_cc: null, est_traffic_cc: null, isCard: false };
      sections.push(current);
      continue;
    }
    if (!current) continue;
    if (token.kind === 'placeholder') current.isCard = true;
    if (token.kind !== 'label') continue;
    current.isCard = true;
    let j = i + 1;
    while (j < tokens.length && (tokens[j]!.kind === 'newline' || tokens[j]!.kind === 'sep')) j++;
    const next = tokens[j];
    // Within one card the first amount read for a label wins; a repeated label cannot overwrite it.
    if (next?.kind === 'amount' && current[token.figure] === null) current[token.figure] = next.value;
  }
  return sections;
}

const figureCount = (s: Section): number => (s.gross_cc === null ? 0 : 1) + (s.est_traffic_cc === null ? 0 : 1);

export interface CantonTextInspection {
  metrics: CantonMetrics;
  /** Periods whose heading heads a card (labels or loading placeholders below it) on this page. */
  shown: Period[];
  /** Every shown period has both figures as numbers: there is nothing more worth waiting for. */
  complete: boolean;
}

/** Parses the rendered text and also says whether the page still looks like it is loading. */
export function inspectCantonText(text: string): CantonTextInspection {
  const sections = readSections(tokenize(text.replace(/\r\n?/g, '\n')));
  const metrics = emptyCantonMetrics();
  const shown: Period[] = [];
  for (const period of PERIODS) {
    const mine = sections.filter((s) => s.period === period);
    // A heading may repeat (tab bar, card, footer). The first occurrence with both figures wins, else
    // the first with any figure; a later repeat with placeholders or junk never replaces real figures.
    const best = mine.find((s) => figureCount(s) === 2) ?? mine.find((s) => figureCount(s) > 0);
    if (best) metrics[period] = { gross_cc: best.gross_cc, est_traffic_cc: best.est_traffic_cc };
    if (mine.some((s) => s.isCard)) shown.push(period);
  }
  const complete =
    shown.length > 0 && shown.every((p) => metrics[p].gross_cc !== null && metrics[p].est_traffic_cc !== null);
  return { metrics, shown, complete };
}

/**
 * Extracts Gross and Est. Traffic for the three periods from the page's rendered innerText.
 * Pure and total: partial or unrelated text yields nulls, never an exception and never 0 for a
 * placeholder.
 */
export function parseCantonText(text: string): CantonMetrics {
  return inspectCantonText(text).metrics;
}
