import type { DeliveryResult, Notification } from './types.js';

/** What every notifier needs besides the notification: when to stop trying, and how to wait. */
export interface NotifierContext {
  /** Epoch ms by which all attempts, including waits between them, must be over. */
  deadline: number;
  /** How to wait before a retry; injectable so tests do not spend wall-clock time. */
  sleep: (ms: number) => Promise<void>;
}

/**
 * One concrete destination (Pushover, one Slack channel or DM, the console). `send` never throws:
 * every failure becomes `ok: false` so one broken target cannot stop delivery to the others.
 */
export interface Notifier {
  /** The name used in results and logs, e.g. `pushover`, `slack:#alerts`, `console`. */
  readonly target: string;
  send(n: Notification): Promise<DeliveryResult>;
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
