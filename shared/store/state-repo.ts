import { GetCommand, PutCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure, type Store } from './client.js';

/** `normal`/`triggered` for alert conditions, `ok`/`failing` for sources, `sent` for reports. */
export type StateName = 'normal' | 'triggered' | 'ok' | 'failing' | 'sent';

export interface StateRecord {
  pk: string;
  state: StateName;
  /** When the current state began (ISO 8601). */
  since: string;
  updated_at: string;
  /** Incremented on every write; writes are conditioned on it so concurrent writers cannot both win. */
  version: number;
  last_notification?: { title: string; at: string };
  /** Why a source is failing, for the API. */
  detail?: string;
}

const stateKey = (key: string) => `state#${key}`;

export async function getState(store: Store, key: string): Promise<StateRecord | undefined> {
  const out = await store.doc.send(
    new GetCommand({ TableName: store.table('state'), Key: { pk: stateKey(key) }, ConsistentRead: true }),
  );
  return out.Item as StateRecord | undefined;
}

/**
 * Writes the next state only if nobody changed it since `previous` was read. Returns false when
 * another invocation got there first: the caller then sends nothing, since the winner does.
 */
export async function putStateIfUnchanged(
  store: Store,
  key: string,
  previous: StateRecord | undefined,
  next: { state: StateName; now: Date; notified?: string; detail?: string },
): Promise<boolean> {
  const at = next.now.toISOString();
  const item: StateRecord = {
    pk: stateKey(key),
    state: next.state,
    since: previous && previous.state === next.state ? previous.since : at,
    updated_at: at,
    version: (previous?.version ?? 0) + 1,
    ...(next.notified
      ? { last_notification: { title: next.notified, at } }
      : previous?.last_notification
        ? { last_notification: previous.last_notification }
        : {}),
    ...(next.detail ? { detail: next.detail } : {}),
  };
  try {
    await store.doc.send(
      new PutCommand({
        TableName: store.table('state'),
        Item: item,
        ...(previous
          ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': previous.version } }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

/** Every alert and source state, for the API. */
export async function listStates(store: Store): Promise<StateRecord[]> {
  const items: StateRecord[] = [];
  const pages = paginateScan(
    { client: store.doc },
    {
      TableName: store.table('state'),
      FilterExpression: 'begins_with(pk, :p)',
      ExpressionAttributeValues: { ':p': 'state#' },
    },
  );
  for await (const page of pages) items.push(...((page.Items ?? []) as StateRecord[]));
  return items.map((i) => ({ ...i, pk: i.pk.slice('state#'.length) }));
}
