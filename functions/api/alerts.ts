import { apiHandler } from '../../shared/api/handler.js';
import { withSecretPlaceholders } from '../../shared/config/env.js';
import { listStates, type StateRecord } from '../../shared/store/state-repo.js';
import { parseAllChecks } from '../alerts/registry.js';
import { routeNamed } from './routes.js';

const notification = (s: StateRecord | undefined) => (s?.last_notification ? { title: s.last_notification.title, at: s.last_notification.at } : null);

/**
 * GET /api/alerts: every configured check (each alert, each Alert 6 instance) with its settings and
 * its stored state, plus the health of each source the checks read. A check that has not run yet
 * has state null.
 */
export const handler = apiHandler(routeNamed('alerts'), {}, async ({ runtime }) => {
  const [checks, states] = [parseAllChecks(withSecretPlaceholders(runtime.env)), await listStates(runtime.store)];
  const byKey = new Map(states.map((s) => [s.pk, s]));
  return {
    body: {
      alerts: checks.map(({ def, check }) => {
        const s = byKey.get(check.key);
        return {
          key: check.key,
          alert: def.id,
          instance: check.instance ?? null,
          name: check.name,
          description: def.description,
          mode: def.mode,
          enabled: check.enabled,
          interval_minutes: check.intervalMinutes,
          state: s?.state ?? null,
          since: s?.since ?? null,
          updated_at: s?.updated_at ?? null,
          last_notification: notification(s),
        };
      }),
      sources: states
        .filter((s) => s.pk.startsWith('source#'))
        .sort((a, b) => a.pk.localeCompare(b.pk))
        .map((s) => ({
          key: s.pk,
          state: s.state,
          since: s.since,
          updated_at: s.updated_at,
          detail: s.state === 'failing' ? (s.detail ?? null) : null,
          last_notification: notification(s),
        })),
    },
  };
});
