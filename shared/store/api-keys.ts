import { GetCommand, PutCommand, UpdateCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { generateSecret, hashSecret, newKeyId, type KeyScope } from '../api/keys.js';
import { isConditionFailure, type Store } from './client.js';

/** One API key as stored: keyed by the SHA-256 of its secret, which itself is never stored. */
export interface ApiKeyRecord {
  key_hash: string;
  id: string;
  name: string;
  scope: KeyScope;
  created_at: string;
  last_used_at?: string;
  revoked_at?: string;
}

/** What may be shown about a key: never its secret or hash. */
export interface ApiKeyInfo {
  id: string;
  name: string;
  scope: KeyScope;
  created_at: string;
  last_used_at: string | null;
  revoked: boolean;
  revoked_at: string | null;
}

export const keyInfo = (r: ApiKeyRecord): ApiKeyInfo => ({
  id: r.id,
  name: r.name,
  scope: r.scope,
  created_at: r.created_at,
  last_used_at: r.last_used_at ?? null,
  revoked: r.revoked_at !== undefined,
  revoked_at: r.revoked_at ?? null,
});

/** Mints a key. The secret is returned here and nowhere else. */
export async function createApiKey(
  store: Store,
  input: { name: string; scope: KeyScope; now: Date },
): Promise<{ secret: string; key: ApiKeyInfo }> {
  const secret = generateSecret();
  const record: ApiKeyRecord = {
    key_hash: hashSecret(secret),
    id: newKeyId(),
    name: input.name,
    scope: input.scope,
    created_at: input.now.toISOString(),
  };
  await store.doc.send(
    new PutCommand({ TableName: store.table('api-keys'), Item: record, ConditionExpression: 'attribute_not_exists(key_hash)' }),
  );
  return { secret, key: keyInfo(record) };
}

/** The key with this secret, revoked or not; undefined when there is none. */
export async function findApiKey(store: Store, secret: string): Promise<ApiKeyRecord | undefined> {
  // Consistent, so that a revocation takes effect on the very next request.
  const out = await store.doc.send(
    new GetCommand({ TableName: store.table('api-keys'), Key: { key_hash: hashSecret(secret) }, ConsistentRead: true }),
  );
  return out.Item as ApiKeyRecord | undefined;
}

async function scanKeys(store: Store, limitOne = false): Promise<ApiKeyRecord[]> {
  const items: ApiKeyRecord[] = [];
  for await (const page of paginateScan({ client: store.doc }, { TableName: store.table('api-keys'), ConsistentRead: true })) {
    items.push(...((page.Items ?? []) as ApiKeyRecord[]));
    if (limitOne && items.length > 0) break;
  }
  return items;
}

/** Every key, oldest first. */
export async function listApiKeys(store: Store): Promise<ApiKeyInfo[]> {
  const records = await scanKeys(store);
  return records
    // Keys minted together share a timestamp; their names (`name-1`, `name-2`, … `name-10`) order them.
    .sort(
      (a, b) =>
        a.created_at.localeCompare(b.created_at) ||
        a.name.localeCompare(b.name, 'en', { numeric: true }) ||
        a.id.localeCompare(b.id),
    )
    .map(keyInfo);
}

export const hasAnyApiKey = async (store: Store): Promise<boolean> => (await scanKeys(store, true)).length > 0;

export type RevokeOutcome = { outcome: 'revoked' | 'already-revoked'; key: ApiKeyInfo } | { outcome: 'not-found' };

/** Revokes by id. The record stays, so the key list shows what was revoked and when. */
export async function revokeApiKey(store: Store, id: string, now: Date): Promise<RevokeOutcome> {
  const record = (await scanKeys(store)).find((r) => r.id === id);
  if (!record) return { outcome: 'not-found' };
  if (record.revoked_at) return { outcome: 'already-revoked', key: keyInfo(record) };
  const at = now.toISOString();
  try {
    await store.doc.send(
      new UpdateCommand({
        TableName: store.table('api-keys'),
        Key: { key_hash: record.key_hash },
        UpdateExpression: 'SET revoked_at = :at',
        ConditionExpression: 'attribute_exists(key_hash) AND attribute_not_exists(revoked_at)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
  } catch (err) {
    if (!isConditionFailure(err)) throw err;
    return { outcome: 'already-revoked', key: keyInfo(record) };
  }
  return { outcome: 'revoked', key: keyInfo({ ...record, revoked_at: at }) };
}

/**
 * Records that a key was used. At most one write per key per `minIntervalSeconds`, so a busy
 * client does not turn every read into a write; "last used" is accurate to that interval.
 */
export async function touchApiKey(store: Store, record: ApiKeyRecord, now: Date, minIntervalSeconds = 60): Promise<void> {
  const cutoff = new Date(now.getTime() - minIntervalSeconds * 1000).toISOString();
  if (record.last_used_at && record.last_used_at > cutoff) return;
  try {
    await store.doc.send(
      new UpdateCommand({
        TableName: store.table('api-keys'),
        Key: { key_hash: record.key_hash },
        UpdateExpression: 'SET last_used_at = :now',
        ConditionExpression: 'attribute_exists(key_hash) AND (attribute_not_exists(last_used_at) OR last_used_at < :cutoff)',
        ExpressionAttributeValues: { ':now': now.toISOString(), ':cutoff': cutoff },
      }),
    );
  } catch (err) {
    // Another request recorded a use within the interval: nothing to do.
    if (!isConditionFailure(err)) throw err;
  }
}
