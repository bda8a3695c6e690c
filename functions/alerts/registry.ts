import type { AlertDefinition, CheckConfig } from '../../shared/alerting/types.js';
import { parseCoreConfig } from '../../shared/config/core.js';
import { collectConfigErrors, type Env } from '../../shared/config/env.js';
import { alert1 } from './alert1.js';
import { alert2 } from './alert2.js';
import { alert3 } from './alert3.js';
import { alert4 } from './alert4.js';
import { alert5 } from './alert5.js';
import { alert6 } from './alert6.js';
import { alert7 } from './alert7.js';

/**
 * Every alert type, once. The AWS stack makes one function per entry (its handler is
 * `functions/alerts/<id>.ts`) and one schedule per enabled check; local mode makes one timer per
 * enabled check. Adding an alert: one new file in this folder and one line here.
 */
export const ALERTS: ReadonlyArray<AlertDefinition<CheckConfig>> = [alert1, alert2, alert3, alert4, alert5, alert6, alert7] as ReadonlyArray<
  AlertDefinition<CheckConfig>
>;

export const alertEntryFile = (id: string): string => `functions/alerts/${id}.ts`;

export function findAlert(id: string): AlertDefinition<CheckConfig> | undefined {
  return ALERTS.find((a) => a.id === id);
}

export interface ConfiguredCheck {
  def: AlertDefinition<CheckConfig>;
  check: CheckConfig;
}

/**
 * Validates the whole configuration at start-up: the core variables and every alert's. All bad
 * variables are reported together, each by name (a ConfigError).
 */
export function parseAllChecks(env: Env): ConfiguredCheck[] {
  const [, ...perAlert] = collectConfigErrors<ConfiguredCheck[]>([
    () => (parseCoreConfig(env), []),
    ...ALERTS.map((def) => () => def.parseChecks(env).map((check) => ({ def, check }))),
  ]);
  return perAlert.flat();
}
