/** What every notifier receives: one message, already formatted for people. */
export interface Notification {
  title: string;
  message: string;
  /** Pushover priority: 1 for alerts and errors, 0 for reports and recoveries. */
  priority: 0 | 1;
}

/** Per-alert audience exclusions (ALERTn_EXCLUDE_PUSHOVER / _CHANNELS / _USERS). */
export interface Exclusions {
  pushover: boolean;
  channels: string[];
  users: string[];
}

export const NO_EXCLUSIONS: Exclusions = { pushover: false, channels: [], users: [] };

/** The notification channels as configured (secrets included; never log this object). */
export interface NotifyConfig {
  pushover: { enabled: boolean; userKey?: string; apiToken?: string; apiUrl: string };
  slack: { enabled: boolean; botToken?: string; channels: string[]; users: string[]; apiUrl?: string };
}

/** The outcome for one concrete target, e.g. `pushover`, `slack:#alerts`, `slack:U01ABC`, `console`. */
export interface DeliveryResult {
  target: string;
  ok: boolean;
  /** Provider error code or HTTP status when not ok, e.g. `not_in_channel`, `http_400`. */
  error?: string;
  attempts: number;
}
