import type { APIGatewayProxyResult } from 'aws-lambda';

/**
 * Every API response is JSON. Errors share one shape, `{ "error": code, "message": text, ... }`,
 * whether they come from a handler, the authorizer or (in AWS) an API Gateway gateway response.
 */
export type ErrorCode =
  | 'invalid_parameter'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'unavailable'
  | 'internal_error';

export interface ErrorBody {
  error: ErrorCode;
  message: string;
  [extra: string]: unknown;
}

/** Headers on every response: JSON that browsers must not sniff or cache (answers depend on the key). */
export const RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return { statusCode, headers: { ...RESPONSE_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** An error that is safe to show: its status and body are exactly what the caller sees. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly statusCode: number,
    readonly body: ErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }

  toResponse(): APIGatewayProxyResult {
    return json(this.statusCode, this.body, this.headers);
  }
}

/*
 * Fixed bodies, exported so that the AWS stack's gateway responses (UNAUTHORIZED, ACCESS_DENIED,
 * MISSING_AUTHENTICATION_TOKEN, DEFAULT_5XX) say exactly what local mode says.
 */
export const UNAUTHORIZED_BODY: ErrorBody = {
  error: 'unauthorized',
  message:
    'A valid API key is required: send it in the X-API-Key header or as "Authorization: Bearer <key>". Keys in the URL are not accepted.',
};

export const FORBIDDEN_BODY: ErrorBody = {
  error: 'forbidden',
  message: 'This endpoint needs an API key with the admin scope.',
};

export const NOT_FOUND_BODY: ErrorBody = {
  error: 'not_found',
  message: 'No such endpoint. GET /api/schema (with a key) or see the README for the list.',
};

export const INTERNAL_ERROR_BODY: ErrorBody = {
  error: 'internal_error',
  message: 'The request could not be completed. Try again; if it keeps failing, check the service logs.',
};

export const unauthorized = () => new ApiError(401, UNAUTHORIZED_BODY);
export const forbidden = () => new ApiError(403, FORBIDDEN_BODY);
export const notFound = () => new ApiError(404, NOT_FOUND_BODY);

export const methodNotAllowed = (method: string, allowed: readonly string[]) =>
  new ApiError(
    405,
    { error: 'method_not_allowed', message: `${method} is not allowed here; this endpoint accepts ${allowed.join(', ')}.`, allowed: [...allowed] },
    { Allow: allowed.join(', ') },
  );

export interface ParameterProblem {
  parameter: string;
  /** What the parameter accepts, e.g. `a whole number from 1 to 1000`. */
  allowed: string;
  message: string;
}

/** 400 naming each bad parameter and what it accepts; the first one is repeated at the top level. */
export function invalidParameters(problems: [ParameterProblem, ...ParameterProblem[]]): ApiError {
  const [first] = problems;
  return new ApiError(400, {
    error: 'invalid_parameter',
    message: problems.map((p) => p.message).join(' '),
    parameter: first.parameter,
    allowed: first.allowed,
    errors: problems,
  });
}

export const unavailable = (message: string) => new ApiError(503, { error: 'unavailable', message });
