import { NO_EXCLUSIONS } from '../notify/types.js';
import type { CoreConfig } from '../config/core.js';
import type { FailureRoute } from './types.js';

/**
 * Alerts 1–5 all read the same page, so its failure is tracked once (not once per alert) and is
 * told to everyone: every one of those alerts is blind while it lasts.
 */
export const cantonFailureRoute = (_check: unknown, core: CoreConfig): FailureRoute => ({
  key: 'source#canton',
  subject: `the Canton Rewards page (${core.canton.url})`,
  exclusions: NO_EXCLUSIONS,
});
