// session.ts - who is signed in: GET /api/v1/me, POST /api/v1/session (sign in),
// DELETE /api/v1/session (sign out). The CSRF token that /me gives goes to the
// client's middleware for every write.
import { csrfTokenNow, setCsrfToken } from './client';
import { ApiError } from './problem';

export type Role = 'finance_director' | 'business_manager' | 'school_system' | 'auditor' | 'admin';

export interface Me {
	kind: 'user' | 'token';
	id: number;
	name: string;
	email?: string;
	role: Role;
	schools: { urn: string; name: string }[];
	csrf_token?: string;
}

async function call(method: string, path: string, body?: unknown): Promise<Response> {
	const init: RequestInit = {
		method,
		credentials: 'same-origin',
		headers: { Accept: 'application/json' },
	};
	const token = csrfTokenNow();
	if (method !== 'GET' && token !== null)
		(init.headers as Record<string, string>)['X-CSRF-Token'] = token;
	if (body !== undefined) {
		init.body = JSON.stringify(body);
		(init.headers as Record<string, string>)['Content-Type'] = 'application/json';
	}
	return fetch(path, init);
}

async function meFrom(r: Response): Promise<Me> {
	const me = await r.json() as Me;
	setCsrfToken(me.csrf_token ?? null);
	return me;
}

/* The signed-in person, or null when nobody is (401). */
export async function fetchMe(): Promise<Me | null> {
	const r = await call('GET', '/api/v1/me');
	if (r.status === 401) {
		setCsrfToken(null);
		return null;
	}
	if (!r.ok)
		throw ApiError.from(r, await r.json().catch(() => null));
	return meFrom(r);
}

export async function signIn(email: string, password: string): Promise<Me> {
	const r = await call('POST', '/api/v1/session', { email, password });
	if (!r.ok)
		throw ApiError.from(r, await r.json().catch(() => null));
	return meFrom(r);
}

export async function signOut(): Promise<void> {
	const r = await call('DELETE', '/api/v1/session');
	setCsrfToken(null);
	if (!r.ok && r.status !== 401)
		throw ApiError.from(r, await r.json().catch(() => null));
}

export const ROLE_NAMES: Record<Role, string> = {
	finance_director: 'Finance director',
	business_manager: 'Business manager',
	school_system: 'School system',
	auditor: 'Auditor',
	admin: 'Administrator',
};
