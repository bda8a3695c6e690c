import type { APIGatewayProxyEvent } from 'aws-lambda';
import { z } from 'zod';
import { invalidParameters, type ParameterProblem } from './responses.js';

/**
 * Query string validation. Each endpoint declares its parameters; anything else, a parameter given
 * twice, or a value its zod schema rejects is a 400 naming the parameter and what it accepts.
 */
export interface QueryParam<T> {
  /** What is allowed, in words, e.g. `a whole number from 1 to 1000`. */
  allowed: string;
  /** Receives the raw value (undefined when absent). */
  schema: z.ZodType<T, string | undefined>;
}

export type QuerySpec = Record<string, QueryParam<unknown>>;
export type QueryValues<S extends QuerySpec> = { [K in keyof S]: S[K] extends QueryParam<infer T> ? T : never };

export const param = <T>(allowed: string, schema: z.ZodType<T, string | undefined>): QueryParam<T> => ({ allowed, schema });

/** Echoed values are cut short: the message is for a person, not a mirror for arbitrary input. */
const shown = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

export const problem = (parameter: string, allowed: string, message?: string): ParameterProblem => ({
  parameter,
  allowed,
  message: message ?? `${parameter} must be ${allowed}.`,
});

const badValue = (name: string, allowed: string, value: string | undefined): ParameterProblem =>
  problem(name, allowed, value === undefined ? `${name} is required: ${allowed}.` : `${name} must be ${allowed}; got ${shown(value)}.`);

/** Raw single values from a proxy event, or the problems with how they were given. */
function rawValues(event: Pick<APIGatewayProxyEvent, 'queryStringParameters' | 'multiValueQueryStringParameters'>) {
  const values = new Map<string, string>();
  const repeated: string[] = [];
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    if (value !== undefined) values.set(name, value);
  }
  for (const [name, list] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    if (list && list.length > 1) repeated.push(name);
    else if (list?.[0] !== undefined && !values.has(name)) values.set(name, list[0]);
  }
  return { values, repeated };
}

const looksLikeKey = (name: string) => /key|token|auth/i.test(name);

export function parseQuery<S extends QuerySpec>(
  event: Pick<APIGatewayProxyEvent, 'queryStringParameters' | 'multiValueQueryStringParameters'>,
  spec: S,
): QueryValues<S> {
  const { values, repeated } = rawValues(event);
  const names = Object.keys(spec);
  const problems: ParameterProblem[] = [];
  const known = names.length > 0 ? `one of the parameters of this endpoint (${names.join(', ')})` : 'absent: this endpoint takes no parameters';

  for (const name of values.keys()) {
    if (spec[name]) continue;
    problems.push(
      problem(
        name,
        known,
        looksLikeKey(name)
          ? `${name} is not a parameter of this endpoint; API keys are accepted only in the X-API-Key or Authorization header.`
          : `${name} is not a parameter of this endpoint; allowed: ${names.length > 0 ? names.join(', ') : 'none'}.`,
      ),
    );
  }
  for (const name of repeated) {
    problems.push(problem(name, `given once`, `${name} was given more than once; give it once${spec[name] ? ` (${spec[name].allowed})` : ''}.`));
  }

  const out: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(spec)) {
    if (repeated.includes(name)) continue;
    const raw = values.get(name);
    const result = p.schema.safeParse(raw);
    if (result.success) out[name] = result.data;
    else problems.push(badValue(name, p.allowed, raw));
  }
  const [first, ...rest] = problems;
  if (first) throw invalidParameters([first, ...rest]);
  return out as QueryValues<S>;
}

/** A whole number within [min, max], defaulting when absent. */
export const intParam = (min: number, max: number, defaultValue: number) =>
  param(
    `a whole number from ${min} to ${max} (default ${defaultValue})`,
    z
      .string()
      .regex(/^\d{1,9}$/)
      .transform(Number)
      .pipe(z.number().int().min(min).max(max))
      .optional()
      .transform((v) => v ?? defaultValue),
  );

/** One of a fixed set of words, defaulting when absent. */
export const enumParam = <const T extends readonly [string, ...string[]]>(values: T, defaultValue: T[number]) =>
  param(
    `one of ${values.join(', ')} (default ${defaultValue})`,
    z
      .enum(values)
      .optional()
      .transform((v): T[number] => v ?? defaultValue),
  );

const dateTime = z.iso.datetime({ offset: true });
const dateOnly = z.iso.date();

/**
 * An ISO 8601 instant. A date alone covers the whole day in UTC: as a start it means 00:00:00.000,
 * as an end 23:59:59.999, so `from=2025-11-27&to=2025-11-27` is that day.
 */
export const timeParam = (edge: 'start' | 'end') =>
  param(
    'an ISO 8601 date-time with a zone (e.g. 2025-11-27T16:51:10Z; in a URL write + as %2B) or a date (e.g. 2025-11-27)',
    z
      .union([dateTime, dateOnly])
      .optional()
      .transform((v, ctx): Date | undefined => {
        if (v === undefined) return undefined;
        const iso = v.length === 10 ? `${v}T${edge === 'start' ? '00:00:00.000' : '23:59:59.999'}Z` : v;
        const date = new Date(iso);
        if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1970 || date.getUTCFullYear() > 9999) {
          ctx.addIssue({ code: 'custom', message: 'out of range' });
          return z.NEVER;
        }
        return date;
      }),
  );

/** An optional free string, checked later by its endpoint (e.g. a cursor against its signature). */
export const stringParam = (allowed: string) => param(allowed, z.string().min(1).max(4096).optional());

/** A comma-separated list of known words. */
export const listParam = (allowed: string, known: readonly string[]) =>
  param(
    allowed,
    z
      .string()
      .optional()
      .transform((v, ctx): string[] | undefined => {
        if (v === undefined) return undefined;
        const items = v.split(',').map((s) => s.trim());
        if (items.some((s) => !known.includes(s))) {
          ctx.addIssue({ code: 'custom', message: 'unknown' });
          return z.NEVER;
        }
        return [...new Set(items)];
      }),
  );
