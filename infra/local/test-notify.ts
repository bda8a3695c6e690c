/** `npm run test-notify`: sends "Canton Monitor Test" to every configured channel. */
import { parseCoreConfig } from '../../shared/config/core.js';
import { ConfigError } from '../../shared/config/env.js';
import { deliver } from '../../shared/notify/deliver.js';
import { logger } from '../../shared/lambda/logger.js';
import { NO_EXCLUSIONS } from '../../shared/notify/types.js';
import { loadDotEnv } from './main.js';

export const TEST_NOTIFICATION = {
  title: 'Canton Monitor Test',
  message: 'This is a test notification from Canton Rewards Monitor. If you can read it, this channel works.',
  priority: 0 as const,
};

try {
  loadDotEnv();
  // Each target's outcome is printed below; structured logs are opt-in locally (LOG_LEVEL).
  if (!process.env.LOG_LEVEL) logger.setLogLevel('SILENT');
  const core = parseCoreConfig(process.env);
  const results = await deliver(TEST_NOTIFICATION, NO_EXCLUSIONS, core.notify, { deadline: Date.now() + 60_000 });
  for (const r of results) process.stderr.write(`${r.ok ? 'ok    ' : 'FAILED'} ${r.target}${r.error ? ` (${r.error})` : ''}\n`);
  process.exit(results.every((r) => r.ok) ? 0 : 1);
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exit(2);
}
