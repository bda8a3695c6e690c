import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { isConditionFailure, type Store } from '../store/client.js';

/**
 * Opaque, tamper-evident paging cursors: `<payload>.<mac>`, both base64url. The payload says where
 * the next page starts (series index and last timestamp) and which query it belongs to; the MAC
 * (HMAC-SHA256 with a key kept in the state table) makes any edit, or a cursor from another
 * deployment, detectable. A cursor reveals nothing a caller could not read from the page itself.
 */
export interface CursorPosition {
  /** Index into the query's resolved series list. */
  seriesIndex: number;
  /** Sort key of the last record returned; the next page starts after it. */
  ts: string;
}

export class CursorError extends Error {
  override readonly name = 'CursorError';
  constructor(readonly reason: 'invalid' | 'foreign') {
    super(reason === 'invalid' ? 'cursor was not issued by this API or was altered' : 'cursor belongs to a different query');
  }
}

const KEY_ITEM = 'api#cursor-key';
const MAC_BYTES = 16;

const payloadSchema = z.object({
  v: z.literal(1),
  q: z.string(),
  i: z.number().int().min(0),
  t: z.string().min(1),
});

const keys = new WeakMap<Store, Promise<Buffer>>();

/**
 * The MAC key: created once per deployment (a conditional put, so concurrent first requests agree
 * on one key) and read once per process.
 */
export function cursorKey(store: Store): Promise<Buffer> {
  let key = keys.get(store);
  if (!key) {
    key = loadOrCreateKey(store).catch((err: unknown) => {
      keys.delete(store);
      throw err;
    });
    keys.set(store, key);
  }
  return key;
}

async function loadOrCreateKey(store: Store): Promise<Buffer> {
  const read = async () => {
    const out = await store.doc.send(new GetCommand({ TableName: store.table('state'), Key: { pk: KEY_ITEM }, ConsistentRead: true }));
    return typeof out.Item?.secret === 'string' ? Buffer.from(out.Item.secret, 'base64') : undefined;
  };
  const existing = await read();
  if (existing) return existing;
  const secret = randomBytes(32);
  try {
    await store.doc.send(
      new PutCommand({
        TableName: store.table('state'),
        Item: { pk: KEY_ITEM, secret: secret.toString('base64') },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    return secret;
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    const winner = await read();
    if (!winner) throw err;
    return winner;
  }
}

/** A short digest of everything that defines a query except the page size. */
export const queryDigest = (parts: readonly unknown[]): string =>
  createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);

const mac = (key: Buffer, payload: string) =>
  createHmac('sha256', key).update(`cursor.v1.${payload}`).digest().subarray(0, MAC_BYTES);

export function encodeCursor(key: Buffer, query: string, pos: CursorPosition): string {
  const payload = Buffer.from(JSON.stringify({ v: 1, q: query, i: pos.seriesIndex, t: pos.ts })).toString('base64url');
  return `${payload}.${mac(key, payload).toString('base64url')}`;
}

export function decodeCursor(key: Buffer, query: string, cursor: string): CursorPosition {
  const match = /^([A-Za-z0-9_-]{1,2000})\.([A-Za-z0-9_-]{22})$/.exec(cursor);
  if (!match) throw new CursorError('invalid');
  const [, payload = '', given = ''] = match;
  // Compare the encoded text, not decoded bytes: base64url's last character carries spare bits, so
  // two different strings can decode alike and an edited cursor would otherwise slip through.
  const expected = Buffer.from(mac(key, payload).toString('base64url'));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) throw new CursorError('invalid');
  let parsed: z.infer<typeof payloadSchema>;
  try {
    parsed = payloadSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    throw new CursorError('invalid');
  }
  if (parsed.q !== query) throw new CursorError('foreign');
  return { seriesIndex: parsed.i, ts: parsed.t };
}
