import { describe, expect, test } from '@jest/globals';
import { evaluateTrafficAboveGross } from '../../functions/alerts/alert1.js';
import { renderStatusReport } from '../../functions/alerts/alert2.js';
import { estTrafficChange } from '../../functions/alerts/alert3.js';
import { grossChange } from '../../functions/alerts/alert4.js';
import { profitabilityChange } from '../../functions/alerts/alert5.js';
import { evaluateChange } from '../../shared/alerting/change-rule.js';
import type { ChangeCheckConfig } from '../../shared/alerting/check-config.js';
import { decide } from '../../shared/alerting/decide.js';
import type { Evaluation } from '../../shared/alerting/types.js';
import { metrics } from '../support/embedded.js';

const change = (threshold: number, period: ChangeCheckConfig['comparisonPeriod'] = '1hr'): ChangeCheckConfig => ({
  key: 'alertX', alertId: 'alertX', name: 'x', enabled: true, intervalMinutes: 15,
  exclusions: { pushover: false, channels: [], users: [] }, thresholdPercent: threshold, comparisonPeriod: period,
});

const NO_TEXT = /Infinity|NaN|null|undefined/;

describe('Alert 1: Est. Traffic > Gross', () => {
  test('the spec example, Latest Round and 1-Hour Average', () => {
    const e = evaluateTrafficAboveGross(metrics([12.1, 15.23], [13.2, 14.5], [16.35, 11.75]));
    expect(e).toEqual({
      kind: 'condition',
      triggered: true,
      alert: {
        title: 'Canton: Est.Traffic > Gross!',
        message:
          'Latest Round: Est.Traffic (15.23) > Gross (12.10) by 3.13 CC\n' +
          '1-Hour Average: Est.Traffic (14.50) > Gross (13.20) by 1.30 CC',
        priority: 1,
      },
    });
  });

  test('the 24-hour average is out of scope, and equal is not greater', () => {
    expect(evaluateTrafficAboveGross(metrics([12.1, 12.1], [13.2, 13.0], [1, 99])).kind === 'condition' &&
      evaluateTrafficAboveGross(metrics([12.1, 12.1], [13.2, 13.0], [1, 99]))).toMatchObject({ triggered: false });
  });

  test('only the triggered period is listed', () => {
    const e = evaluateTrafficAboveGross(metrics([10, 10.01], [13.2, 13.0], [1, 1]));
    expect(e).toMatchObject({ alert: { message: 'Latest Round: Est.Traffic (10.01) > Gross (10.00) by 0.01 CC' } });
  });

  test('nothing readable in scope is unknown, not normal', () => {
    expect(evaluateTrafficAboveGross(metrics([null, 1], [2, null], [1, 2]))).toEqual({ kind: 'condition', triggered: null });
  });
});

describe('Alert 2: status report', () => {
  test('all three periods; Diff = Gross − Est.Traffic; ⚠️ where Est.Traffic > Gross', () => {
    const e = renderStatusReport(metrics([12.53, 10.21], [8.1, 9.5], [16.35, 11.75]));
    expect(e).toEqual({
      kind: 'report',
      notification: {
        title: 'Canton Status Report',
        priority: 0,
        message: [
          '✓ Latest Round:',
          '   Gross: 12.53 CC',
          '   Est.Traffic: 10.21 CC',
          '   Diff: +2.32 CC',
          '⚠️ 1-Hour Average:',
          '   Gross: 8.10 CC',
          '   Est.Traffic: 9.50 CC',
          '   Diff: -1.40 CC',
          '✓ 24-Hour Average:',
          '   Gross: 16.35 CC',
          '   Est.Traffic: 11.75 CC',
          '   Diff: +4.60 CC',
        ].join('\n'),
      },
    });
  });

  test('a missing figure is said, never shown as 0', () => {
    const e = renderStatusReport(metrics([1234.5, 10.21], [8.1, 9.5], [null, null]));
    if (e.kind !== 'report') throw new Error('report expected');
    expect(e.notification.message).toContain('   Gross: 1,234.50 CC');
    expect(e.notification.message).toContain('❔ 24-Hour Average:\n   Gross: not available\n   Est.Traffic: not available\n   Diff: not available');
    expect(e.notification.message).not.toMatch(NO_TEXT);
  });
});

describe('Alerts 3–5: percent change', () => {
  test('Alert 3: traffic spike above the threshold', () => {
    const e = evaluateChange(metrics([20, 15.5], [20, 11.47], [20, 10]), change(30), estTrafficChange);
    expect(e).toEqual({
      kind: 'condition',
      triggered: true,
      alert: {
        title: 'Canton: Est.Traffic Change >30%!',
        message: 'Network traffic is spiking - more transactions flowing through.\n\nLatest: 15.50 CC\n\nvs 1-Hour Average: ↑ 35.1% ⚠️',
        priority: 1,
      },
      resolved: {
        title: 'Canton: Est.Traffic Change Returned to Benchmark',
        message: 'Est.Traffic is back within 30% of its average.\n\nLatest: 15.50 CC\n\nvs 1-Hour Average: ↑ 35.1% ⚠️',
        priority: 0,
      },
    });
  });

  test('Alert 4: gross drop', () => {
    const e = evaluateChange(metrics([10.2, 1], [17.62, 1], [1, 1]), change(30), grossChange);
    expect(e).toMatchObject({
      triggered: true,
      alert: {
        title: 'Canton: Gross Change >30%!',
        message: 'Gross revenue is down - earning less per round.\n\nLatest: 10.20 CC\n\nvs 1-Hour Average: ↓ 42.1% ⚠️',
      },
    });
  });

  test('Alert 5: the spec example, line for line', () => {
    const e = evaluateChange(metrics([12.5, 10], [15.2, 10], [1, 1]), change(30), profitabilityChange);
    expect(e).toMatchObject({
      triggered: true,
      alert: {
        title: 'Canton: Profitability Change >30%!',
        message:
          'Profitability declining - margin between Gross and Traffic is shrinking.\n\n' +
          'Latest Diff: +2.50 CC\n(Gross 12.50 - Est.Traffic 10.00)\n\n' +
          'vs 1-Hour Average (+5.20 CC): ↓ 51.9% ⚠️',
      },
    });
  });

  test('exactly at the threshold does not trigger; one cent more does', () => {
    expect(evaluateChange(metrics([1, 13], [1, 10], [1, 1]), change(30), estTrafficChange)).toMatchObject({ triggered: false });
    expect(evaluateChange(metrics([1, 13.01], [1, 10], [1, 1]), change(30), estTrafficChange)).toMatchObject({ triggered: true });
    // Floating point would make 1.30 vs 1.00 come out at 30.000000000000004%; cents keep it exact.
    expect(evaluateChange(metrics([1, 1.3], [1, 1], [1, 1]), change(30), estTrafficChange)).toMatchObject({ triggered: false });
  });

  test('thresholds print without a trailing .0', () => {
    expect(evaluateChange(metrics([1, 20], [1, 10], [1, 1]), change(12.5), estTrafficChange)).toMatchObject({
      alert: { title: 'Canton: Est.Traffic Change >12.5%!' },
    });
  });

  test('a zero baseline is not comparable and does not trigger', () => {
    expect(evaluateChange(metrics([1, 5], [1, 0], [1, 1]), change(30), estTrafficChange)).toEqual({ kind: 'condition', triggered: null });
  });

  test('both: either comparison triggers, both are listed, a zero baseline is said', () => {
    const e = evaluateChange(metrics([1, 15], [1, 0], [1, 10]), change(30, 'both'), estTrafficChange);
    expect(e).toMatchObject({
      triggered: true,
      alert: {
        message:
          'Network traffic is spiking - more transactions flowing through.\n\nLatest: 15.00 CC\n\n' +
          'vs 1-Hour Average: not comparable (average is 0.00 CC)\nvs 24-Hour Average: ↑ 50.0% ⚠️',
      },
    });
    if (e.kind === 'condition') expect(e.alert?.message).not.toMatch(NO_TEXT);
  });

  test('a missing period is not comparable; 24hr compares against the 24-hour average only', () => {
    expect(evaluateChange(metrics([1, 15], [1, null], [1, 10]), change(30), estTrafficChange)).toEqual({ kind: 'condition', triggered: null });
    expect(evaluateChange(metrics([1, 15], [1, null], [1, 10]), change(30, '24hr'), estTrafficChange)).toMatchObject({
      triggered: true,
      alert: { message: expect.stringContaining('vs 24-Hour Average: ↑ 50.0% ⚠️') },
    });
  });

  test('a negative margin baseline uses its absolute value', () => {
    // Diff goes from -4.00 to -2.00: +50% (the margin improved).
    const e = evaluateChange(metrics([8, 10], [6, 10], [1, 1]), change(30), profitabilityChange);
    expect(e).toMatchObject({ triggered: true, alert: { message: expect.stringContaining('vs 1-Hour Average (-4.00 CC): ↑ 50.0% ⚠️') } });
  });
});

describe('state-change decisions', () => {
  const alert = { title: 'A', message: 'a', priority: 1 as const };
  const resolved = { title: 'R', message: 'r', priority: 0 as const };
  const triggered: Evaluation = { kind: 'condition', triggered: true, alert, resolved };
  const normal: Evaluation = { kind: 'condition', triggered: false, resolved };
  test.each([
    ['normal', triggered, [alert], 'triggered'],
    ['triggered', triggered, [], 'triggered'],
    ['triggered', normal, [resolved], 'normal'],
    ['normal', normal, [], 'normal'],
    [undefined, triggered, [alert], 'triggered'],
  ] as const)('%s → %s', (prev, evaluation, send, next) => {
    expect(decide('state-change', true, prev, evaluation)).toMatchObject({ send, next });
  });

  test('STATE_CHANGE_MODE=false sends on every check while triggered, and once when it is over', () => {
    expect(decide('state-change', false, 'triggered', triggered).send).toEqual([alert]);
    expect(decide('state-change', false, 'triggered', normal).send).toEqual([resolved]);
    expect(decide('state-change', false, 'normal', normal).send).toEqual([]);
  });

  test('Alert 1 repeats while triggered; unknown leaves the state alone', () => {
    expect(decide('repeat', true, 'triggered', triggered).send).toEqual([alert]);
    expect(decide('state-change', true, 'triggered', { kind: 'condition', triggered: null })).toEqual({ send: [] });
  });
});
