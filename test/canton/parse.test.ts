import { describe, expect, it } from '@jest/globals';
import {
  cantonMetricsSchema,
  emptyCantonMetrics,
  missingFigures,
  PERIOD_LABELS,
  PERIODS,
  periodMetricsSchema,
} from '../../shared/sources/canton/metrics.js';
import { inspectCantonText, parseCantonText } from '../../shared/sources/canton/parse.js';

/** innerText of the spec example: one card per period, label and amount on consecutive lines. */
const EXAMPLE = [
  'Canton Rewards',
  'Latest Round',
  '',
  'Gross',
  '12.10 CC',
  'Est. Traffic',
  '15.23 CC',
  '1-Hour Average',
  '',
  'Gross',
  '13.20 CC',
  'Est. Traffic',
  '14.50 CC',
  '24-Hour Average',
  '',
  'Gross',
  '16.35 CC',
  'Est. Traffic',
  '11.75 CC',
].join('\n');

const EXAMPLE_METRICS = {
  latest_round: { gross_cc: 12.1, est_traffic_cc: 15.23 },
  '1hr_avg': { gross_cc: 13.2, est_traffic_cc: 14.5 },
  '24hr_avg': { gross_cc: 16.35, est_traffic_cc: 11.75 },
};

const ALL_NULL = emptyCantonMetrics();

describe('parseCantonText', () => {
  it('reads the spec example exactly', () => {
    expect(parseCantonText(EXAMPLE)).toEqual(EXAMPLE_METRICS);
    expect(inspectCantonText(EXAMPLE).complete).toBe(true);
  });

  it('accepts Windows line endings and surrounding blank lines', () => {
    expect(parseCantonText(`\n\n${EXAMPLE.replace(/\n/g, '\r\n')}\n\n`)).toEqual(EXAMPLE_METRICS);
  });

  it('reads a label and its amount on the same line, with or without a colon', () => {
    const text = [
      'Latest Round',
      'Gross: 12.53 CC',
      'Est. Traffic: 10.21 CC',
      '1-Hour Average',
      'Gross 8.10 CC',
      'Est. Traffic 9.50 CC',
      '24-Hour Average',
      'Gross:',
      '7.00 CC',
      'Est. Traffic:',
      '6.00 CC',
    ].join('\n');
    expect(parseCantonText(text)).toEqual({
      latest_round: { gross_cc: 12.53, est_traffic_cc: 10.21 },
      '1hr_avg': { gross_cc: 8.1, est_traffic_cc: 9.5 },
      '24hr_avg': { gross_cc: 7, est_traffic_cc: 6 },
    });
  });

  it('reads a whole card on one line', () => {
    const text =
      'Latest Round · Gross: 1.00 CC · Est. Traffic: 2.00 CC\n' +
      '1-Hour Average | Gross: 3.00 CC | Est Traffic: 4.00 CC\n' +
      '24-Hour Average Gross 5.00 CC Est. Traffic 6.00 CC';
    expect(parseCantonText(text)).toEqual({
      latest_round: { gross_cc: 1, est_traffic_cc: 2 },
      '1hr_avg': { gross_cc: 3, est_traffic_cc: 4 },
      '24hr_avg': { gross_cc: 5, est_traffic_cc: 6 },
    });
  });

  it.each([
    ['Est Traffic'],
    ['EST. TRAFFIC'],
    ['est. traffic'],
    ['Est.Traffic'],
    ['Estimated Traffic'],
  ])('accepts the traffic label spelled %s', (label) => {
    const text = `Latest Round\nGross\n1.50 CC\n${label}\n2.50 CC`;
    expect(parseCantonText(text).latest_round).toEqual({ gross_cc: 1.5, est_traffic_cc: 2.5 });
  });

  it('accepts headings and labels in any letter case', () => {
    const text = 'LATEST ROUND\nGROSS\n1.25 CC\nEST TRAFFIC\n0.75 cc\n1-hour average\ngross\n2 CC\nest. traffic\n3 CC';
    expect(parseCantonText(text)).toEqual({
      latest_round: { gross_cc: 1.25, est_traffic_cc: 0.75 },
      '1hr_avg': { gross_cc: 2, est_traffic_cc: 3 },
      '24hr_avg': { gross_cc: null, est_traffic_cc: null },
    });
  });

  it.each([
    ['1 Hour Average', '24 Hour Average'],
    ['1-hr avg', '24-hr avg'],
    ['1h Average', '24h Average'],
    ['1\u2013Hour Average', '24\u2013Hour Average'],
  ])('accepts the average headings written %s / %s', (hour, day) => {
    const text = `${hour}\nGross\n1 CC\nEst. Traffic\n2 CC\n${day}\nGross\n3 CC\nEst. Traffic\n4 CC`;
    const m = parseCantonText(text);
    expect(m['1hr_avg']).toEqual({ gross_cc: 1, est_traffic_cc: 2 });
    expect(m['24hr_avg']).toEqual({ gross_cc: 3, est_traffic_cc: 4 });
  });

  it('reads thousands separators', () => {
    const text =
      'Latest Round\nGross\n1,234.56 CC\nEst. Traffic\n12,345 CC\n' +
      '24-Hour Average\nGross\n1,234,567.89 CC\nEst. Traffic\n1234.5 CC';
    const m = parseCantonText(text);
    expect(m.latest_round).toEqual({ gross_cc: 1234.56, est_traffic_cc: 12345 });
    expect(m['24hr_avg']).toEqual({ gross_cc: 1234567.89, est_traffic_cc: 1234.5 });
  });

  it('rejects malformed grouping rather than guessing', () => {
    const m = parseCantonText('Latest Round\nGross\n12,34 CC\nEst. Traffic\n1,2345.00 CC');
    expect(m.latest_round).toEqual({ gross_cc: null, est_traffic_cc: null });
  });

  it('reads negative amounts, but a lone dash is a placeholder', () => {
    const text = [
      'Latest Round',
      'Gross',
      '-3.10 CC',
      'Est. Traffic',
      '\u22122.00 CC', // U+2212 minus sign
      '1-Hour Average',
      'Gross',
      '- CC',
      'Est. Traffic',
      '- 4.00 CC', // a dash separated from the digits is not a sign
    ].join('\n');
    const m = parseCantonText(text);
    expect(m.latest_round).toEqual({ gross_cc: -3.1, est_traffic_cc: -2 });
    expect(m['1hr_avg']).toEqual({ gross_cc: null, est_traffic_cc: null });
  });

  it('reads zero as zero (it is a real value), and -0 as 0', () => {
    const m = parseCantonText('Latest Round\nGross\n0.00 CC\nEst. Traffic\n-0.00 CC');
    expect(m.latest_round.gross_cc).toBe(0);
    expect(Object.is(m.latest_round.est_traffic_cc, 0)).toBe(true);
  });

  it('accepts the unit on its own line and a non-breaking space before it', () => {
    const m = parseCantonText('Latest Round\nGross\n12.10\nCC\nEst. Traffic\n15.23\u00a0CC');
    expect(m.latest_round).toEqual({ gross_cc: 12.1, est_traffic_cc: 15.23 });
  });

  it.each([['— CC'], ['-- CC'], ['– CC'], ['Loading…'], ['Loading...'], ['…'], ['N/A'], ['—']])(
    'treats the placeholder %s as missing, never 0',
    (placeholder) => {
      const text = `Latest Round\nGross\n${placeholder}\nEst. Traffic\n${placeholder}`;
      const inspection = inspectCantonText(text);
      expect(inspection.metrics).toEqual(ALL_NULL);
      expect(inspection.shown).toEqual(['latest_round']);
      expect(inspection.complete).toBe(false);
    },
  );

  it('keeps the figures that are there when only one is a placeholder', () => {
    const m = parseCantonText('Latest Round\nGross\n12.10 CC\nEst. Traffic\n— CC');
    expect(m.latest_round).toEqual({ gross_cc: 12.1, est_traffic_cc: null });
  });

  it('needs the CC unit: a bare number or another unit is not read', () => {
    const m = parseCantonText('Latest Round\nGross\n12.10\nEst. Traffic\n15.23 USD');
    expect(m.latest_round).toEqual({ gross_cc: null, est_traffic_cc: null });
  });

  describe('repeated headings', () => {
    it('skips a tab bar (headings with nothing under them) and reads the cards', () => {
      const text = `Latest Round\n1-Hour Average\n24-Hour Average\n${EXAMPLE}`;
      expect(parseCantonText(text)).toEqual(EXAMPLE_METRICS);
    });

    it('skips a tab bar rendered on a single line', () => {
      const text = `Latest Round 1-Hour Average 24-Hour Average\n${EXAMPLE}`;
      expect(parseCantonText(text)).toEqual(EXAMPLE_METRICS);
      expect(inspectCantonText(text).complete).toBe(true);
    });

    it('never lets a later repeat with placeholders or junk overwrite the figures', () => {
      const footer = [
        'Latest Round',
        'Gross',
        '— CC',
        'Est. Traffic',
        'Loading…',
        '1-Hour Average',
        'Round 99999',
        '24-Hour Average',
        'Gross',
        'see details',
      ].join('\n');
      expect(parseCantonText(`${EXAMPLE}\n${footer}`)).toEqual(EXAMPLE_METRICS);
    });

    it('prefers the first occurrence with figures, even when a later one also has figures', () => {
      const text = `${EXAMPLE}\nLatest Round\nGross\n99.00 CC\nEst. Traffic\n98.00 CC`;
      expect(parseCantonText(text).latest_round).toEqual(EXAMPLE_METRICS.latest_round);
    });

    it('uses a later occurrence when the first has only placeholders', () => {
      const text = 'Latest Round\nGross\n— CC\nEst. Traffic\n— CC\nLatest Round\nGross\n1.00 CC\nEst. Traffic\n2.00 CC';
      expect(parseCantonText(text).latest_round).toEqual({ gross_cc: 1, est_traffic_cc: 2 });
    });

    it('prefers a complete occurrence over an earlier partial one', () => {
      const text = 'Latest Round\nGross\n1.00 CC\nEst. Traffic\n— CC\nLatest Round\nGross\n1.00 CC\nEst. Traffic\n2.00 CC';
      expect(parseCantonText(text).latest_round).toEqual({ gross_cc: 1, est_traffic_cc: 2 });
    });

    it('takes the first amount when a label repeats inside one card', () => {
      const text = 'Latest Round\nGross\n1.00 CC\nGross\n9.00 CC\nEst. Traffic\n2.00 CC';
      expect(parseCantonText(text).latest_round).toEqual({ gross_cc: 1, est_traffic_cc: 2 });
    });
  });

  describe('decoys', () => {
    it('is not fooled by other CC amounts, round numbers and labels inside prose', () => {
      const text = [
        'Canton Rewards',
        'Figures for the Latest Round refresh every 10 s. Total Gross 5,000.00 CC since launch.',
        'Latest Round',
        'Round',
        '12345',
        'Validator Rewards',
        '99.00 CC',
        'Gross',
        '4.20 CC',
        'App Rewards 45.67 CC',
        'Est. Traffic',
        '3.30 CC',
        'Diff: -0.90 CC',
        '1-Hour Average',
        'SV Gross 77.00 CC',
        'Gross',
        '4.40 CC',
        'Traffic Purchased',
        '88.00 CC',
        'Est. Traffic',
        '3.10 CC',
        '24-Hour Average',
        'Est. Traffic',
        '2.90 CC',
        'Gross',
        '4.60 CC',
        'Validator Rewards over the 24-Hour Average: 66.00 CC',
      ].join('\n');
      expect(parseCantonText(text)).toEqual({
        latest_round: { gross_cc: 4.2, est_traffic_cc: 3.3 },
        '1hr_avg': { gross_cc: 4.4, est_traffic_cc: 3.1 },
        '24hr_avg': { gross_cc: 4.6, est_traffic_cc: 2.9 },
      });
    });

    it('does not read an amount that does not directly follow its label', () => {
      const text = 'Latest Round\nGross\nValidator Rewards 99.00 CC\nEst. Traffic\nRound 12345\n15.23 CC';
      expect(parseCantonText(text).latest_round).toEqual({ gross_cc: null, est_traffic_cc: null });
    });

    it('does not take words that merely start like a label', () => {
      const text = 'Latest Round\nGrossly 1.00 CC\nEst. Traffical 2.00 CC';
      expect(parseCantonText(text).latest_round).toEqual({ gross_cc: null, est_traffic_cc: null });
    });

    it('ignores labels that come before any heading', () => {
      const text = 'Gross\n50.00 CC\nEst. Traffic\n60.00 CC\nLatest Round\nGross\n1.00 CC\nEst. Traffic\n2.00 CC';
      expect(parseCantonText(text).latest_round).toEqual({ gross_cc: 1, est_traffic_cc: 2 });
    });
  });

  describe('missing and partial pages', () => {
    it('leaves a missing period null and still counts the page as complete', () => {
      const text = EXAMPLE.slice(0, EXAMPLE.indexOf('24-Hour Average'));
      const inspection = inspectCantonText(text);
      expect(inspection.metrics['24hr_avg']).toEqual({ gross_cc: null, est_traffic_cc: null });
      expect(inspection.metrics.latest_round).toEqual(EXAMPLE_METRICS.latest_round);
      expect(inspection.shown).toEqual(['latest_round', '1hr_avg']);
      expect(inspection.complete).toBe(true);
    });

    it('is not complete while a shown period still has placeholders', () => {
      const text = EXAMPLE.replace('16.35 CC', '— CC');
      const inspection = inspectCantonText(text);
      expect(inspection.metrics['24hr_avg']).toEqual({ gross_cc: null, est_traffic_cc: 11.75 });
      expect(inspection.complete).toBe(false);
    });

    it('is not complete while a card shows only a loading state', () => {
      const text = `${EXAMPLE.slice(0, EXAMPLE.indexOf('24-Hour Average'))}\n24-Hour Average\nLoading…`;
      const inspection = inspectCantonText(text);
      expect(inspection.shown).toContain('24hr_avg');
      expect(inspection.complete).toBe(false);
    });

    it.each([
      [''],
      ['   \n\n  '],
      ['Loading…'],
      ['Scheduled maintenance\nCanton Rewards will be back shortly. 12.00 CC'],
      ['502 Bad Gateway'],
    ])('returns all nulls and not complete for a page without figures: %j', (text) => {
      const inspection = inspectCantonText(text);
      expect(inspection.metrics).toEqual(ALL_NULL);
      expect(inspection.complete).toBe(false);
    });

    it('never throws on arbitrary input', () => {
      const samples = ['Gross', 'Latest Round', ':::', '—'.repeat(50), 'CC CC CC', '1,', '-', 'Est.', '\u0000\uffff'];
      for (const s of samples) expect(() => parseCantonText(s)).not.toThrow();
      let seed = 7;
      const alphabet = 'Latest Round1-Hour Average24Gross Est.Traffic:—-,.0123456789 CC\n';
      for (let i = 0; i < 500; i++) {
        let s = '';
        for (let j = 0; j < 80; j++) {
          seed = (seed * 1103515245 + 12345) % 2 ** 31;
          s += alphabet[seed % alphabet.length];
        }
        expect(() => cantonMetricsSchema.parse(parseCantonText(s))).not.toThrow();
      }
    });
  });
});

describe('metrics schema', () => {
  it('accepts nulls and finite numbers', () => {
    expect(cantonMetricsSchema.parse(EXAMPLE_METRICS)).toEqual(EXAMPLE_METRICS);
    expect(cantonMetricsSchema.parse(ALL_NULL)).toEqual(ALL_NULL);
  });

  it.each([[Infinity], [-Infinity], [NaN], ['12.10'], [undefined]])('rejects %p as a figure', (value) => {
    expect(periodMetricsSchema.safeParse({ gross_cc: value, est_traffic_cc: null }).success).toBe(false);
  });

  it('names the missing figures after the page labels', () => {
    const m = { ...EXAMPLE_METRICS, '24hr_avg': { gross_cc: null, est_traffic_cc: 1 } };
    expect(missingFigures(m)).toEqual(['24-Hour Average Gross']);
    expect(missingFigures(ALL_NULL)).toHaveLength(6);
    expect(PERIODS.map((p) => PERIOD_LABELS[p])).toEqual(['Latest Round', '1-Hour Average', '24-Hour Average']);
  });
});
