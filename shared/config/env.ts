import { z } from 'zod';

/**
 * zod building blocks for environment variables. Every variable arrives as a string or not at
 * all; an empty string means "unset" (so `ALERT3_THRESHOLD_PERCENT=` falls back to its default
 * and is never read as 0).
 */
export type Env = Record<string, string | undefined>;

const unset = (v: unknown): v is undefined | '' => v === undefined || (typeof v === 'string' && v.trim() === '');

/** Says why a value was refused; the value itself is appended by `envValue`. */
class Refused {
  constructor(readonly reason: string) {}
}

/**
 * One variable: unset or empty gives `defaultValue`; otherwise `parse` reads the trimmed text or
 * returns a Refused whose reason becomes the error (`<reason>, got "<value>"`).
 */
function envValue<T, D extends T | undefined = T>(defaultValue: D, parse: (text: string) => T | Refused) {
  return z
    .string()
    .optional()
    .transform((v, ctx): T | D => {
      if (unset(v)) return defaultValue;
      const parsed = parse(v.trim());
      if (parsed instanceof Refused) {
        ctx.addIssue({ code: 'custom', message: `${parsed.reason}, got "${v}"` });
        return z.NEVER;
      }
      return parsed;
    });
}

/** true/false in any letter case, nothing else. */
export const envBool = (defaultValue: boolean) =>
  envValue(defaultValue, (s) => {
    const lower = s.toLowerCase();
    return lower === 'true' ? true : lower === 'false' ? false : new Refused('must be true or false');
  });

/** A whole number within [min, max]. */
export const envInt = (defaultValue: number, min: number, max: number) =>
  envValue(defaultValue, (s) =>
    /^-?\d+$/.test(s) && Number(s) >= min && Number(s) <= max
      ? Number(s)
      : new Refused(`must be a whole number from ${min} to ${max}`),
  );

/** A decimal number greater than `min` (exclusive) and at most `max`. */
export const envNumber = (defaultValue: number, minExclusive: number, max: number) =>
  envValue(defaultValue, (s) => {
    const n = Number(s);
    return /^-?\d+(\.\d+)?$/.test(s) && n > minExclusive && n <= max
      ? n
      : new Refused(`must be a number above ${minExclusive} and at most ${max}`);
  });

/** Comma-separated list; spaces around items and empty items are ignored (`" #a, #b ,,#c "`). */
export const envList = () =>
  z
    .string()
    .optional()
    .transform((v) => (unset(v) ? [] : v.split(',').map((s) => s.trim()).filter((s) => s.length > 0)));

/** A plain string; empty means unset. */
export const envString = () =>
  z
    .string()
    .optional()
    .transform((v) => (unset(v) ? undefined : v.trim()));

export const envStringDefault = (defaultValue: string) => envString().transform((v) => v ?? defaultValue);

/** A string matching `pattern`; `allowed` says in words what it may contain. */
export const envPattern = (defaultValue: string, pattern: RegExp, allowed: string) =>
  envValue(defaultValue, (s) => (pattern.test(s) ? s : new Refused(`may contain only ${allowed}`)));

/** One of a fixed set of words (case-insensitive). */
export const envEnum = <const T extends readonly [string, ...string[]]>(values: T, defaultValue: T[number]) =>
  envValue<T[number]>(
    defaultValue,
    (s) => values.find((x) => x.toLowerCase() === s.toLowerCase()) ?? new Refused(`must be one of ${values.join(', ')}`),
  );

/** An http(s) URL. */
export const envUrl = (defaultValue?: string) =>
  envValue<string, string | undefined>(defaultValue, (s) => {
    try {
      const u = new URL(s);
      if (u.protocol === 'http:' || u.protocol === 'https:') return u.toString();
    } catch {
      // refused below
    }
    return new Refused('must be an http(s) URL');
  });

/** Variables whose values must never be echoed in errors or logs. */
export const SECRET_VARIABLES = [
  'PUSHOVER_USER_KEY',
  'PUSHOVER_API_TOKEN',
  'SLACK_BOT_TOKEN',
  'ALERT6_FAAMVIEW_API_KEY',
] as const;

/** Raised at start-up when a variable is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/**
 * Parses `env` with a schema whose keys are variable names. Problems name the variable; values of
 * secret variables are never echoed.
 */
export function parseEnv<S extends z.ZodRawShape>(shape: S, env: Env): z.output<z.ZodObject<S>> {
  const picked: Record<string, string | undefined> = {};
  for (const key of Object.keys(shape)) picked[key] = env[key];
  const result = z.object(shape).safeParse(picked);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(unknown)');
      const secret = (SECRET_VARIABLES as readonly string[]).includes(name);
      return `${name}: ${secret ? 'is not valid' : issue.message}`;
    }),
  );
}

/** Collects ConfigErrors from several parsers so one start-up reports every bad variable at once. */
export function collectConfigErrors<T>(parsers: Array<() => T>): T[] {
  const problems: string[] = [];
  const out: T[] = [];
  for (const parse of parsers) {
    try {
      out.push(parse());
    } catch (err) {
      if (err instanceof ConfigError) problems.push(...err.problems);
      else throw err;
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}

/**
 * For code that only describes the configuration (the /api/alerts endpoint): functions that
 * never use a secret are not given it, so absent secrets are stood in for. Deploy-time validation
 * has already required them where they are needed.
 */
export function withSecretPlaceholders(env: Env): Env {
  const out: Env = { ...env };
  for (const name of SECRET_VARIABLES) if (!out[name]) out[name] = 'not-available-here';
  return out;
}
