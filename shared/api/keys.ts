import { createHash, randomBytes } from 'node:crypto';

/**
 * API key secrets. A secret is shown once when minted and stored only as its SHA-256 hash; the key's
 * id (`key_…`) is a separate random value, so ids can be listed and logged without revealing anything.
 */
export const KEY_SCOPES = ['read', 'admin'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];

/** The prefix makes a leaked secret easy to recognise (and to scan for) in code and logs. */
const SECRET_PREFIX = 'crm_';

export const generateSecret = (): string => `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;

export const newKeyId = (): string => `key_${randomBytes(6).toString('hex')}`;

export const hashSecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** Longer or stranger values than any minted secret are rejected before hashing or any lookup. */
const PLAUSIBLE_SECRET = /^[\x21-\x7e]{1,200}$/;

type HeaderMap = Record<string, string | undefined> | null | undefined;
type MultiHeaderMap = Record<string, string[] | undefined> | null | undefined;

/** Every value a header was sent with, whatever the letter case of its name. */
function headerValues(name: string, headers: HeaderMap, multi: MultiHeaderMap): string[] {
  const lower = name.toLowerCase();
  const multiHits = Object.entries(multi ?? {}).filter(([k]) => k.toLowerCase() === lower).flatMap(([, v]) => v ?? []);
  if (multiHits.length > 0) return multiHits;
  return Object.entries(headers ?? {})
    .filter(([k, v]) => k.toLowerCase() === lower && v !== undefined)
    .map(([, v]) => v as string);
}

/**
 * The key a request presents: `X-API-Key: <key>`, or else `Authorization: Bearer <key>`. Header
 * names match in any case. Never read from the query string (URLs end up in logs and histories).
 * A header sent twice is ambiguous and counts as no key.
 */
export function extractApiKey(headers: HeaderMap, multiValueHeaders?: MultiHeaderMap): string | undefined {
  const direct = headerValues('x-api-key', headers, multiValueHeaders);
  if (direct.length > 1) return undefined;
  if (direct.length === 1) {
    const value = direct[0]!.trim();
    return PLAUSIBLE_SECRET.test(value) ? value : undefined;
  }
  const auth = headerValues('authorization', headers, multiValueHeaders);
  if (auth.length !== 1) return undefined;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(auth[0]!);
  const value = match?.[1];
  return value !== undefined && PLAUSIBLE_SECRET.test(value) ? value : undefined;
}
