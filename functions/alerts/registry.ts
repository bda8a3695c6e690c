import type { AlertDefinition, CheckConfig } from '../../shared/alerting/types.js';
import { parseCoreConfig } from '../../shared/config/core.js';
import { apiShape } from '../../shared/api/config.js';
import { collectConfigErrors, ConfigError, parseEnv, type Env } from '../../shared/config/env.js';
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
 * Validates the whole configuration at start-up: the core variables, the API's and every alert's.
 * All bad variables are reported together, each by name (a ConfigError). An `ALERTn_…` variable
 * that no alert reads is a mistake too (a typo, or an alert that does not exist), not something to
 * ignore silently.
 */
export function parseAllChecks(env: Env): ConfiguredCheck[] {
  const read = new Set<string>();
  /**
   * Alerts whose variables are not judged here: those that list the environment themselves (Alert 6
   * finds its instances so) and check their own names, and those that already failed to parse.
   */
  const selfChecked = new Set<string>();
  const watch = (owner?: string): Env =>
    new Proxy(env, {
      get: (target, name) => {
        // An alert's reads vouch only for its own variables (listing the environment reads them all).
        if (typeof name === 'string' && (!owner || name.startsWith(`${owner.toUpperCase()}_`))) read.add(name);
        return Reflect.get(target, name);
      },
      ownKeys: (target) => {
        if (owner) selfChecked.add(owner);
        return Reflect.ownKeys(target);
      },
    });
  const [, , ...perAlert] = collectConfigErrors<ConfiguredCheck[]>([
    () => (parseCoreConfig(watch()), []),
    () => (parseEnv(apiShape, watch()), []),
    ...ALERTS.map((def) => () => {
      try {
        return def.parseChecks(watch(def.id)).map((check) => ({ def, check }));
      } catch (err) {
        // It stopped at its first bad variable, so its other variables were never read.
        selfChecked.add(def.id);
        throw err;
      }
    }),
    () => unreadAlertVariables(env, read, selfChecked),
  ]);
  return perAlert.flat();
}

function unreadAlertVariables(env: Env, read: Set<string>, selfChecked: Set<string>): never[] {
  const unknown = Object.keys(env).filter((name) => {
    const id = /^ALERT(\d+)_/.exec(name)?.[1];
    return id !== undefined && !selfChecked.has(`alert${id}`) && !read.has(name) && !!env[name]?.trim();
  });
  if (unknown.length === 0) return [];
  throw new ConfigError(
    unknown.map((name) => {
      const id = /^ALERT(\d+)_/.exec(name)?.[1];
      return findAlert(`alert${id}`)
        ? `${name}: is not a setting of alert${id}; see .env.example for its variables`
        : `${name}: there is no alert${id}; alerts are ${ALERTS.map((a) => a.id).join(', ')}`;
    }),
  );
}
