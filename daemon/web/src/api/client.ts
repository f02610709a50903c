// client.ts - the one way the app talks to bursar: a typed client generated from
// daemon/openapi.json (openapi-fetch over the types openapi-typescript writes to
// schema.d.ts at build time), so a page that no longer fits the contract fails
// the build's type check.
//
// Requests carry the session cookie (same origin only). Writes carry the
// session's CSRF token (X-CSRF-Token, from GET /api/v1/me): bursard refuses a
// cookie-authenticated write without it. A problem+json answer becomes an
// ApiError (must() throws it) with its field errors for the forms.
import createClient, { type Middleware } from 'openapi-fetch';

import { ApiError } from './problem';
import type { paths } from './schema';

let csrfToken: string | null = null;

/* Set by the session when /me or a sign-in gives the token; null on sign-out. */
export function setCsrfToken(token: string | null): void {
	csrfToken = token;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const csrf: Middleware = {
	onRequest({ request }) {
		if (csrfToken !== null && WRITES.has(request.method))
			request.headers.set('X-CSRF-Token', csrfToken);
		return request;
	},
};

export const api = createClient<paths, `application/json`>({
	baseUrl: globalThis.location?.origin ?? '',
	credentials: 'same-origin',
	headers: { Accept: 'application/json' },
});
api.use(csrf);

/* The data of a successful answer; throws ApiError for a problem. */
export async function must<D>(call: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<Exclude<D, undefined>> {
	const r = await call;
	if (r.error !== undefined || !r.response.ok || r.data === undefined)
		throw ApiError.from(r.response, r.error);
	return r.data as Exclude<D, undefined>;
}
