// Helpers for HTTP specs that drive a Nest app through Fastify's `inject`. Types only from
// Nest: this file is loaded by benches outside Jest too, and `expect` is looked up when called.
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** An injected response as specs read it: `json()` answers `unknown` unless a spec names the type. */
export type InjectedResponse = { statusCode: number; headers: Record<string, unknown>; body: string; json: <T = unknown>() => T };

/** Just what `expectProblem` reads, so Fastify's own response type and narrower local ones both fit. */
export type ProblemResponse = { statusCode: number; headers: Record<string, unknown>; json: () => unknown };

/** The response is an RFC 9457 problem document with this status and `code` (and the matching `type`). */
export const expectProblem = (res: ProblemResponse, status: number, code: string): void => {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({ status, code, type: `urn:crm:problem:${code}` });
};

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type RequestHeaders = Record<string, string>;

/**
 * Request helpers bound to an app that exists only once the spec's `beforeAll` ran. `defaults` are
 * sent with every request (a function is read per request, for a tenant that changes per test);
 * the headers of a call win over them.
 */
export const injector = (app: () => NestFastifyApplication, defaults: RequestHeaders | (() => RequestHeaders) = {}) => {
  const send = (method: HttpMethod, url: string, payload?: unknown, headers: RequestHeaders = {}) =>
    app().inject({
      method,
      url,
      payload: payload as object,
      headers: { ...(typeof defaults === 'function' ? defaults() : defaults), ...headers },
    }) as unknown as Promise<InjectedResponse>;
  return {
    send,
    get: (url: string, headers?: RequestHeaders) => send('GET', url, undefined, headers),
    post: (url: string, payload?: unknown, headers?: RequestHeaders) => send('POST', url, payload, headers),
    put: (url: string, payload?: unknown, headers?: RequestHeaders) => send('PUT', url, payload, headers),
    patch: (url: string, payload?: unknown, headers?: RequestHeaders) => send('PATCH', url, payload, headers),
  };
};
