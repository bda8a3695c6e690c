import { ConfigError } from '../../config/env.js';

/** Alert when the top X providers hold more than Y% of the window's rewards. */
export interface ConcentrationRule {
  topX: number;
  thresholdPercent: number;
}

export const MAX_TOP_X = 100;

const FORMAT_HINT = 'write TOP_X:PERCENT, e.g. 2:50';

/** Why one token is not a rule, or undefined when it is one. */
function tokenProblem(token: string): string | undefined {
  const m = /^([^:]*):([^:]*)$/.exec(token);
  if (!m) return `is not a rule; ${FORMAT_HINT}`;
  const x = m[1]!.trim();
  const y = m[2]!.trim();
  if (x === '' || y === '') return `is incomplete; ${FORMAT_HINT}`;
  if (!/^\d+$/.test(x) || Number(x) < 1 || Number(x) > MAX_TOP_X) return `has top X "${x}"; it must be a whole number from 1 to ${MAX_TOP_X}`;
  if (!/^\d+(\.\d+)?$/.test(y) || !(Number(y) > 0) || !(Number(y) < 100)) return `has threshold "${y}"; it must be a percentage above 0 and below 100`;
  return undefined;
}

/**
 * `2:50,3:60` → [(2, 50), (3, 60)], in the order written. Every bad token is reported, each named
 * with its variable; nothing falls back to a default. Empty items (`2:50,`) are ignored, like in
 * every other list variable.
 */
export function parseRules(raw: string | undefined, variable: string): ConcentrationRule[] {
  const tokens = (raw ?? '').split(',').map((t) => t.trim()).filter((t) => t.length > 0);
  const problems: string[] = [];
  const rules: ConcentrationRule[] = [];
  const seen = new Set<number>();
  for (const token of tokens) {
    const problem = tokenProblem(token);
    if (problem) {
      problems.push(`${variable}: rule "${token}" ${problem}`);
      continue;
    }
    const [x, y] = token.split(':').map((s) => Number(s.trim())) as [number, number];
    if (seen.has(x)) {
      problems.push(`${variable}: rule "${token}" repeats top ${x}; give each top X one threshold`);
      continue;
    }
    seen.add(x);
    rules.push({ topX: x, thresholdPercent: y });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return rules;
}

/** `5,10,20` → [5, 10, 20] for Alert 7's SHOW_TOP_X; bad or repeated items are named. */
export function parseTopXList(raw: string | undefined, variable: string, fallback: number[]): number[] {
  const tokens = (raw ?? '').split(',').map((t) => t.trim()).filter((t) => t.length > 0);
  if (tokens.length === 0) return fallback;
  const problems: string[] = [];
  const out: number[] = [];
  for (const token of tokens) {
    if (!/^\d+$/.test(token) || Number(token) < 1 || Number(token) > MAX_TOP_X) {
      problems.push(`${variable}: "${token}" must be a whole number from 1 to ${MAX_TOP_X}`);
    } else if (out.includes(Number(token))) {
      problems.push(`${variable}: "${token}" is listed twice`);
    } else {
      out.push(Number(token));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}
