import type { Env } from '../config/env.js';
import type { CoreConfig } from '../config/core.js';
import type { Exclusions, Notification } from '../notify/types.js';
import type { CantonMetrics } from '../sources/canton/metrics.js';
import type { Store } from '../store/client.js';

/**
 * How an alert decides what to send:
 * - `report`: every check sends its notification (Alerts 2 and 7).
 * - `repeat`: every check while the condition holds sends it (Alert 1, the high-priority alarm).
 * - `state-change`: only transitions are sent, when STATE_CHANGE_MODE=true (Alerts 3–6);
 *   with STATE_CHANGE_MODE=false it behaves like `repeat`.
 */
export type AlertMode = 'report' | 'repeat' | 'state-change';

/** One independently scheduled unit of work: an alert, or one Alert 6 instance. */
export interface CheckConfig {
  /** Stable key for state and schedules, e.g. `alert3` or `alert6#2`. */
  key: string;
  alertId: string;
  /** Alert 6 instance number; absent for single-instance alerts. */
  instance?: number;
  /** Human name shown in logs and the API. */
  name: string;
  enabled: boolean;
  intervalMinutes: number;
  exclusions: Exclusions;
}

/** What a rule concluded from one reading of its source. */
export type Evaluation =
  | { kind: 'report'; notification: Notification }
  | {
      kind: 'condition';
      /** null: the inputs were missing or not comparable, so nothing can be said; the state stays as it was. */
      triggered: boolean | null;
      /** Sent when triggered (always for `repeat`; on the transition for `state-change`). */
      alert?: Notification;
      /** Sent on triggered → normal in state-change mode (priority 0). */
      resolved?: Notification;
    };

/** What a check may read. Sources are fetched lazily so a check only pays for what it uses. */
export interface CheckContext {
  now: Date;
  core: CoreConfig;
  canton(): Promise<CantonMetrics>;
  /** Source-specific services added by alerts that need them (e.g. the FAAM client). */
  services: Record<string, unknown>;
  /**
   * What sources other than the Canton page need: their variables (secrets included, never log
   * them), the store for the figures they record, and an injectable wait for their retries.
   */
  env: Env;
  store: Store;
  sleep(ms: number): Promise<void>;
  /** A dry run: evaluate, but record nothing. */
  dryRun: boolean;
  /** Epoch ms by which source retries must stop (the function's remaining time), when known. */
  deadline?: number;
}

/** A source failure: the check could not run (page unreachable, layout changed, API down). */
export interface FailureRoute {
  /** State key for the failing/recovered rule, e.g. `source#canton` or `source#alert6#2`. */
  key: string;
  /** Names what failed, e.g. `the Canton Rewards page` or `FAAM instance 2 (Personal Monitor)`. */
  subject: string;
  exclusions: Exclusions;
}

/** Everything the product knows about one alert type. One file per alert exports one of these. */
export interface AlertDefinition<C extends CheckConfig = CheckConfig> {
  id: string;
  /** Short description, e.g. `Est. Traffic > Gross`. */
  description: string;
  mode: AlertMode;
  /** Whether its checks read the Canton page (and so need Chromium in their function). */
  scrapes: boolean;
  defaultIntervalMinutes: number;
  /** Reads this alert's variables; one entry per independently scheduled check. */
  parseChecks(env: Env): C[];
  evaluate(check: C, ctx: CheckContext): Promise<Evaluation>;
  /** Where a failure of this check is tracked and who hears about it. */
  failureRoute(check: C, core: CoreConfig): FailureRoute;
}
