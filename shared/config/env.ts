import { z } from 'zod';

/**
 * zod building blocks for environment variables. Every variable arrives as a string or not at
 * all; an empty string means "unset" (so `ALERT3_THRESHOLD_PERCENT=` falls back to its default
 * and is never read as 0).
 */
export type Env = Record<string, string | undefined>;

const unset = (v: unknown): v is undefined | '' => v === undefined || (typeof v === 'string' && v.trim() === '');

/** true/false in any letter case, nothing else. */
export const envBool = (defaultValue: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (unset(v)) return defaultValue;
      const s = v.trim().toLowerCase();
      if (s === 'true') return true;
      if (s === 'false') return false;
      ctx.addIssue({ code: 'custom', message: `must be true or false, got "${v}"` });
      return z.NEVER;
    });

/** A whole number within [min, max]. */
export const envInt = (defaultValue: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (unset(v)) return defaultValue;
      const s = v.trim();
      if (!/^-?\d+$/.test(s) || Number(s) < min || Number(s) > max) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return Number(s);
    });

/** A decimal number greater than `min` (exclusive) and at most `max`. */
export const envNumber = (defaultValue: number, minExclusive: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (unset(v)) return defaultValue;
      const s = v.trim();
      const n = Number(s);
      if (!/^-?\d+(\.\d+)?$/.test(s) || !(n > minExclusive) || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be a number above ${minExclusive} and at most ${max}, got "${v}"` });
        return z.NEVER;
      }
      return n;
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
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (unset(v)) return defaultValue;
      const s = v.trim();
      if (!pattern.test(s)) {
        ctx.addIssue({ code: 'custom', message: `may contain only ${allowed}, got "${v}"` });
        return z.NEVER;
      }
      return s;
    });

/** One of a fixed set of words (case-insensitive). */
export const envEnum = <const T extends readonly [string, ...string[]]>(values: T, defaultValue: T[number]) =>
  z
    .string()
    .optional()
    .transform((v, ctx): T[number] => {
      if (unset(v)) return defaultValue;
      const s = v.trim().toLowerCase();
      const hit = values.find((x) => x.toLowerCase() === s);
      if (hit === undefined) {
        ctx.addIssue({ code: 'custom', message: `must be one of ${values.join(', ')}, got "${v}"` });
        return z.NEVER;
      }
      return hit;
    });

/** An http(s) URL. */
export const envUrl = (defaultValue?: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (unset(v)) return defaultValue;
      try {
        const u = new URL(v.trim());
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol');
        return u.toString();
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be an http(s) URL, got "${v}"` });
        return z.NEVER;
      }
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
