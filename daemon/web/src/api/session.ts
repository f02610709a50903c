// session.ts - who is signed in: GET /api/v1/me, POST /api/v1/session (sign in),
// DELETE /api/v1/session (sign out), through the typed client. The CSRF token
// that /me and the sign-in give goes to the client's middleware for every write.
import { api, setCsrfToken } from './client';
import { ApiError } from './problem';
import type { Schemas } from './types';

export type Me = Schemas['Me'];
export type Role = Me['role'];

function remember(me: Me): Me {
	setCsrfToken(me.csrf_token);
	return me;
}

/* The signed-in person, or null when nobody is (401). */
export async function fetchMe(): Promise<Me | null> {
	const r = await api.GET('/api/v1/me');
	if (r.response.status === 401) {
		setCsrfToken(null);
		return null;
	}
	if (r.data === undefined)
		throw ApiError.from(r.response, r.error);
	return remember(r.data);
}

export async function signIn(email: string, password: string): Promise<Me> {
	const r = await api.POST('/api/v1/session', { body: { email, password } });
	if (r.data === undefined)
		throw ApiError.from(r.response, r.error);
	return remember(r.data);
}

/* Sign out (the CSRF token goes with it: it is a write). A session that has
 * already ended is signed out too. */
export async function signOut(): Promise<void> {
	const r = await api.DELETE('/api/v1/session');
	setCsrfToken(null);
	if (!r.response.ok && r.response.status !== 401)
		throw ApiError.from(r.response, r.error);
}

export const ROLE_NAMES: Record<Role, string> = {
	finance_director: 'Finance director',
	business_manager: 'Business manager',
	school_system: 'School system',
	auditor: 'Auditor',
	admin: 'Administrator',
};
