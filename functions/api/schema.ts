import { apiHandler } from '../../shared/api/handler.js';
import { buildSchemaDocument } from '../../shared/api/schema-doc.js';
import { routeNamed } from './routes.js';

// Built once per container: it depends only on the code.
let document: ReturnType<typeof buildSchemaDocument> | undefined;

/** GET /api/schema: every series with its fields, units and meaning. */
export const handler = apiHandler(routeNamed('schema'), {}, async () => ({ body: (document ??= buildSchemaDocument()) }));
