import { parseCommonCheck } from '../../shared/alerting/check-config.js';
import { formatUsd } from '../../shared/alerting/format.js';
import type { AlertDefinition, CheckConfig, CheckContext, Evaluation, FailureRoute } from '../../shared/alerting/types.js';
import { collectConfigErrors, ConfigError, envInt, envStringDefault, parseEnv, type Env } from '../../shared/config/env.js';
import { makeAlertHandler } from '../../shared/lambda/alert-handler.js';
import { logger } from '../../shared/lambda/logger.js';
import type { Notification } from '../../shared/notify/types.js';
import { periodLine, providerLine, rollingWindow, ruleLine, topShare, type TopShare } from '../../shared/sources/faam/concentration.js';
import { FAAM_API_KEY_VARIABLE, FAAM_API_URL_VARIABLE, faamClientFor, parseFaamApiConfig, requireFaamApiKey } from '../../shared/sources/faam/config.js';
import { recordConcentration } from '../../shared/sources/faam/history.js';
import { parseRules, type ConcentrationRule } from '../../shared/sources/faam/rules.js';
import type { FaamStats } from '../../shared/sources/faam/schema.js';

export const MAX_INSTANCES = 10;
const INSTANCE_SUFFIXES = [
  'ENABLED',
  'NAME',
  'RULES',
  'TIME_WINDOW_HOURS',
  'INTERVAL_MINUTES',
  'EXCLUDE_PUSHOVER',
  'EXCLUDE_CHANNELS',
  'EXCLUDE_USERS',
] as const;

/** One Alert 6 instance: its own rules, window, schedule, audience and state. */
export interface Alert6Check extends CheckConfig {
  instance: number;
  rules: ConcentrationRule[];
  windowHours: number;
}

const isSet = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

/**
 * Alert 6 is configured only per instance; a variable that is not one of an instance's (a typo,
 * an instance 11, an instance-less ALERT6_ENABLED) would otherwise be ignored without a word.
 */
function unknownVariables(env: Env): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('ALERT6_') || !isSet(value)) continue;
    if (name === FAAM_API_KEY_VARIABLE || name === FAAM_API_URL_VARIABLE) continue;
    const m = /^ALERT6_(\d+)_(.+)$/.exec(name);
    if (!m) {
      problems.push(`${name}: is not an Alert 6 variable; Alert 6 is configured per instance (ALERT6_1_ENABLED, ALERT6_1_RULES, …)`);
      continue;
    }
    const n = Number(m[1]);
    if (n < 1 || n > MAX_INSTANCES || m[1] !== String(n)) {
      problems.push(`${name}: Alert 6 instances are numbered 1 to ${MAX_INSTANCES}`);
    } else if (!(INSTANCE_SUFFIXES as readonly string[]).includes(m[2]!)) {
      problems.push(`${name}: is not an Alert 6 instance variable; known: ${INSTANCE_SUFFIXES.map((s) => `ALERT6_${n}_${s}`).join(', ')}`);
    }
  }
  return problems;
}

/** Instance n exists when any of its variables is set; ENABLED defaults to false. */
export function parseInstance(env: Env, n: number): Alert6Check | undefined {
  const prefix = `ALERT6_${n}`;
  if (!INSTANCE_SUFFIXES.some((s) => isSet(env[`${prefix}_${s}`]))) return undefined;
  const [common, own, rules] = collectConfigErrors<unknown>([
    () =>
      parseCommonCheck(
        env,
        prefix,
        { key: `alert6#${n}`, alertId: 'alert6', name: `FAAM Instance ${n}`, instance: n },
        { intervalMinutes: 360, enabled: false },
      ),
    () =>
      parseEnv(
        {
          [`${prefix}_NAME`]: envStringDefault(`FAAM Instance ${n}`),
          [`${prefix}_TIME_WINDOW_HOURS`]: envInt(24, 1, 720),
        },
        env,
      ) as Record<string, unknown>,
    () => parseRules(env[`${prefix}_RULES`], `${prefix}_RULES`),
  ]) as [CheckConfig, Record<string, unknown>, ConcentrationRule[]];
  if (rules.length === 0) {
    // A disabled instance without rules has nothing to check; an enabled one is a mistake.
    if (common.enabled) throw new ConfigError([`${prefix}_RULES: is required when ${prefix}_ENABLED=true, e.g. 2:50,3:60`]);
    return undefined;
  }
  return {
    ...common,
    instance: n,
    name: own[`${prefix}_NAME`] as string,
    rules,
    windowHours: own[`${prefix}_TIME_WINDOW_HOURS`] as number,
  };
}

/** Every configured instance, 1–10; all bad variables are reported together. */
export function parseAlert6Checks(env: Env): Alert6Check[] {
  const unknown = unknownVariables(env);
  const found = collectConfigErrors<Alert6Check | undefined>([
    () => {
      if (unknown.length > 0) throw new ConfigError(unknown);
      return undefined;
    },
    ...Array.from({ length: MAX_INSTANCES }, (_, i) => () => parseInstance(env, i + 1)),
  ]);
  const checks = found.filter((c): c is Alert6Check => c !== undefined);
  if (checks.length > 0) parseFaamApiConfig(env);
  const enabled = checks.find((c) => c.enabled);
  if (enabled) requireFaamApiKey(env, `ALERT6_${enabled.instance}_ENABLED=true`);
  return checks;
}

/** The largest top X among the rules: one API call answers every rule of the instance. */
export const instanceLimit = (check: Alert6Check): number => Math.max(...check.rules.map((r) => r.topX));

/**
 * Applies every rule of an instance to one window's figures and writes both messages: the alert
 * (each rule with ⚠️ or ✓, providers under the triggered ones) and the resolution.
 */
export function evaluateConcentration(check: Alert6Check, stats: FaamStats, window: { from: Date; to: Date }): {
  evaluation: Evaluation;
  shares: Array<TopShare & { rule: ConcentrationRule; exceeded: boolean }>;
} {
  const shares = check.rules.map((rule) => {
    const share = topShare(stats.providers, rule.topX);
    return { ...share, rule, exceeded: share.percent > rule.thresholdPercent };
  });
  // An empty window says nothing about concentration: the state stays as it was.
  if (stats.providers.length === 0) return { evaluation: { kind: 'condition', triggered: null }, shares };

  const header = [periodLine(window.from, window.to), `Network Total: ${formatUsd(stats.networkTotalUsd)}`].join('\n');
  const blocks = shares.map((s) =>
    [ruleLine(s, s.rule.thresholdPercent), ...(s.exceeded ? s.providers.map((p, i) => providerLine(p, i + 1, '   ')) : [])].join('\n'),
  );
  const triggered = shares.some((s) => s.exceeded);
  const alert: Notification = {
    title: `${check.name}: Concentration Alert!`,
    message: [header, ...blocks].join('\n\n'),
    priority: 1,
  };
  const resolved: Notification = {
    title: `${check.name}: Concentration Resolved`,
    message: ['Every rule is back at or below its threshold.', header, ...blocks].join('\n\n'),
    priority: 0,
  };
  return { evaluation: { kind: 'condition', triggered, ...(triggered ? { alert } : {}), resolved }, shares };
}

async function evaluateInstance(check: Alert6Check, ctx: CheckContext): Promise<Evaluation> {
  const window = rollingWindow(ctx.now, check.windowHours);
  const stats = await faamClientFor(ctx).stats(
    { limit: instanceLimit(check), ...window },
    ctx.deadline !== undefined ? { deadline: ctx.deadline } : {},
  );
  const { evaluation, shares } = evaluateConcentration(check, stats, window);
  if (stats.providers.length === 0) logger.info('No providers in the window; concentration state unchanged', { check: check.key });
  await recordConcentration(
    ctx,
    check,
    check.windowHours,
    stats,
    shares.map((s) => ({
      top_x: s.topX,
      percent: s.percent,
      providers_counted: s.providers.length,
      threshold_percent: s.rule.thresholdPercent,
      exceeded: s.exceeded,
    })),
  );
  return evaluation;
}

/** Each instance's failures are tracked and told on their own, to that instance's audience. */
export const alert6FailureRoute = (check: Alert6Check): FailureRoute => ({
  key: `source#${check.key}`,
  subject: `the FAAMView API for FAAM instance ${check.instance} (${check.name})`,
  exclusions: check.exclusions,
});

/** Alert 6: provider concentration, up to 10 instances with several rules each; state-change per instance. */
export const alert6: AlertDefinition<Alert6Check> = {
  id: 'alert6',
  description: 'FAAM provider concentration',
  mode: 'state-change',
  scrapes: false,
  defaultIntervalMinutes: 360,
  parseChecks: parseAlert6Checks,
  evaluate: evaluateInstance,
  failureRoute: alert6FailureRoute,
};

export const handler = makeAlertHandler(alert6);
