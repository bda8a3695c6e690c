import type { Notifier } from './notifier.js';
import type { Notification } from './types.js';

/** Title on its own line, then the message, then a blank line separating it from the next one. */
export function formatConsole(n: Notification): string {
  return `${n.title}\n${n.message}\n\n`;
}

/** Used when no real channel is configured (local runs), so notifications are still visible. */
export function createConsoleNotifier(write: (text: string) => void): Notifier {
  return {
    target: 'console',
    async send(n) {
      try {
        write(formatConsole(n));
        return { target: 'console', ok: true, attempts: 1 };
      } catch (err) {
        return { target: 'console', ok: false, error: err instanceof Error ? err.message : String(err), attempts: 1 };
      }
    },
  };
}
