import { apiHandler } from '../../shared/api/handler.js';
import { listApiKeys } from '../../shared/store/api-keys.js';
import { routeNamed } from './routes.js';

/** GET /api/keys (admin): every key's id, name, scope and dates; never a secret or hash. */
export const handler = apiHandler(routeNamed('keys'), {}, async ({ runtime }) => {
  const keys = await listApiKeys(runtime.store);
  return { body: { count: keys.length, keys } };
});
