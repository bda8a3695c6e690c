import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { apiHandler } from '../../shared/api/handler.js';
import { unavailable } from '../../shared/api/responses.js';
import { logger } from '../../shared/lambda/logger.js';
import { routeNamed } from './routes.js';

/** GET /health (no key): the function runs and the store answers a read. */
export const handler = apiHandler(routeNamed('health'), {}, async ({ runtime }) => {
  try {
    await runtime.store.doc.send(new GetCommand({ TableName: runtime.store.table('state'), Key: { pk: 'health#probe' } }));
  } catch (err) {
    logger.error('Health check: store read failed', { error: err instanceof Error ? err.message : String(err) });
    throw unavailable('The data store does not answer.');
  }
  return { body: { status: 'ok', store: 'ok', time: runtime.now().toISOString() } };
});
