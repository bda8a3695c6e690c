import { apiHandler } from '../../shared/api/handler.js';
import { currentStatus } from '../../shared/api/status.js';
import { routeNamed } from './routes.js';

/** GET /api/status: current figures, from the stored snapshot if recent enough, else scraped live. */
export const handler = apiHandler(routeNamed('status'), {}, async ({ runtime }) => ({ body: await currentStatus(runtime) }));
