import { parseCommonCheck } from '../../shared/alerting/check-config.js';
import { formatSharePercent, formatUsd } from '../../shared/alerting/format.js';
import type { AlertDefinition, CheckConfig, CheckContext, Evaluation, FailureRoute } from '../../shared/alerting/types.js';
import { collectConfigErrors, envInt, parseEnv, type Env } from '../../shared/config/env.js';
import { makeAlertHandler } from '../../shared/lambda/alert-handler.js';
import { periodLine, providerCountText, providerLine, rollingWindow, topShare } from '../../shared/sources/faam/concentration.js';
import { faamClientFor, parseFaamApiConfig, requireFaamApiKey } from '../../shared/sources/faam/config.js';
import { recordConcentration } from '../../shared/sources/faam/history.js';
import { parseTopXList } from '../../shared/sources/faam/rules.js';
import type { FaamStats } from '../../shared/sources/faam/schema.js';

export interface Alert7Check extends CheckConfig {
  windowHours: number;
  showTopX: number[];
  breakdownCount: number;
}

export const REPORT_TITLE = 'Canton: FAAM Concentration Report';
const DEFAULT_TOP_X = [5, 10, 20];

/**
 * ENABLED defaults to false here, unlike Alerts 1–5: the report needs a FAAMView API key, and a
 * default of true would make every installation without one fail at start-up.
 */
export function parseAlert7Checks(env: Env): Alert7Check[] {
  const [common, own, showTopX] = collectConfigErrors<unknown>([
    () =>
      parseCommonCheck(
        env,
        'ALERT7',
        { key: 'alert7', alertId: 'alert7', name: 'FAAM concentration report' },
        { intervalMinutes: 60, excludePushover: true, enabled: false },
      ),
    () =>
      parseEnv({ ALERT7_TIME_WINDOW_HOURS: envInt(1, 1, 720), ALERT7_BREAKDOWN_COUNT: envInt(5, 0, 100) }, env),
    () => parseTopXList(env.ALERT7_SHOW_TOP_X, 'ALERT7_SHOW_TOP_X', DEFAULT_TOP_X),
    () => parseFaamApiConfig(env),
  ]) as [CheckConfig, { ALERT7_TIME_WINDOW_HOURS: number; ALERT7_BREAKDOWN_COUNT: number }, number[]];
  if (common.enabled) requireFaamApiKey(env, 'ALERT7_ENABLED=true');
  return [
    {
      ...common,
      windowHours: own.ALERT7_TIME_WINDOW_HOURS,
      showTopX: showTopX,
      breakdownCount: own.ALERT7_BREAKDOWN_COUNT,
    },
  ];
}

/** Enough providers for the largest Top X line and the breakdown, in one call. */
export const reportLimit = (check: Alert7Check): number => Math.max(...check.showTopX, check.breakdownCount);

/**
 * The spec's report, line for line: `Top  5:  42.15%` with X and the share right-aligned, `N/A`
 * where the window has fewer providers than X.
 */
export function renderReport(check: Alert7Check, stats: FaamStats, window: { from: Date; to: Date }): Evaluation {
  const count = stats.providers.length;
  const xWidth = Math.max(...check.showTopX.map((x) => String(x).length));
  const topLines = check.showTopX.map((x) => {
    const label = `Top ${String(x).padStart(xWidth)}:`;
    if (count === 0) return `${label}  N/A (no providers in window)`;
    if (count < x) return `${label}  N/A (only ${providerCountText(count)})`;
    return `${label} ${`${formatSharePercent(topShare(stats.providers, x).percent)}%`.padStart(7)}`;
  });
  const sections = [
    [`${periodLine(window.from, window.to)} (${check.windowHours}h window)`, `Network Total: ${formatUsd(stats.networkTotalUsd)}`],
    topLines,
  ];
  if (check.breakdownCount > 0) {
    const shown = stats.providers.slice(0, check.breakdownCount);
    const breakdown = [`Breakdown (Top ${check.breakdownCount}):`, ...shown.map((p, i) => providerLine(p, i + 1))];
    if (count === 0) breakdown.push('(no providers in window)');
    else if (count < check.breakdownCount) breakdown.push(`(only ${providerCountText(count)} in window)`);
    sections.push(breakdown);
  }
  return {
    kind: 'report',
    notification: { title: REPORT_TITLE, message: sections.map((s) => s.join('\n')).join('\n\n'), priority: 0 },
  };
}

async function evaluateReport(check: Alert7Check, ctx: CheckContext): Promise<Evaluation> {
  const window = rollingWindow(ctx.now, check.windowHours);
  const stats = await faamClientFor(ctx).stats(
    { limit: reportLimit(check), ...window },
    ctx.deadline !== undefined ? { deadline: ctx.deadline } : {},
  );
  await recordConcentration(
    ctx,
    check,
    check.windowHours,
    stats,
    check.showTopX.map((x) => {
      const share = topShare(stats.providers, x);
      return { top_x: x, percent: share.percent, providers_counted: share.providers.length };
    }),
  );
  return renderReport(check, stats, window);
}

export const alert7FailureRoute = (check: Alert7Check): FailureRoute => ({
  key: 'source#alert7',
  subject: 'the FAAMView API for the FAAM concentration report (Alert 7)',
  exclusions: check.exclusions,
});

/** Alert 7: a scheduled concentration report; always sent, priority 0, no state. */
export const alert7: AlertDefinition<Alert7Check> = {
  id: 'alert7',
  description: 'FAAM concentration report',
  mode: 'report',
  scrapes: false,
  defaultIntervalMinutes: 60,
  parseChecks: parseAlert7Checks,
  evaluate: evaluateReport,
  failureRoute: alert7FailureRoute,
};

export const handler = makeAlertHandler(alert7);
