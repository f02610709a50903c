// profileApi.ts - monthly profiles (issue 17): the trust's named profiles
// (GET/POST/PUT/DELETE /api/v1/profiles, If-Match on a change), and twelve
// weights as a person types them, in per cent ("8.34") or basis points ("834"),
// read exactly by string handling (components/pounds.ts), never through a
// float. Whether they sum to 100% is the API's to say (its error is shown on
// the line or the field): the page adds nothing up.
import { api, must } from '../../api/client';
import { ApiError } from '../../api/problem';
import type { Schemas } from '../../api/types';
import { bpToInput, parsePercentBp } from '../../components/pounds';

export type Profile = Schemas['Profile'];
export type Unit = 'pct' | 'bp';

/* September first: month 1 of an academic year is September. */
export const MONTHS = ['September', 'October', 'November', 'December', 'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August'];

const etag = (version: number) => `"${version}"`;

export async function loadProfiles(): Promise<Profile[]> {
	const page = await must(api.GET('/api/v1/profiles', {}));
	return page.items;
}

export interface ProfileInput {
	name?: string;
	description: string;
	weights_bp: number[];
}

export async function createProfile(p: ProfileInput & { name: string }): Promise<Profile> {
	return must(api.POST('/api/v1/profiles', { body: p }));
}

export async function updateProfile(name: string, version: number, p: ProfileInput): Promise<Profile> {
	return must(api.PUT('/api/v1/profiles/{name}', {
		params: { path: { name }, header: { 'If-Match': etag(version) } },
		body: { description: p.description, weights_bp: p.weights_bp },
	}));
}

export async function deleteProfile(name: string, version: number): Promise<void> {
	const r = await api.DELETE('/api/v1/profiles/{name}', {
		params: { path: { name }, header: { 'If-Match': etag(version) } },
	});
	if (!r.response.ok)
		throw ApiError.from(r.response, r.error);
}

/* Weights (bp) as the twelve fields show them in unit. */
export function weightsText(bp: readonly number[] | null | undefined, unit: Unit): string[] {
	return MONTHS.map((_, i) => {
		const w = bp?.[i];
		if (w === undefined)
			return '';
		return unit === 'bp' ? String(w) : bpToInput(w);
	});
}

export type ParsedWeights = { ok: true; value: number[] } | { ok: false; problems: Map<number, string> };

/* The twelve fields to basis points; a field that is not a number is a problem
 * by its month (index). The sum is the API's to check. */
export function parseWeights(texts: readonly string[], unit: Unit): ParsedWeights {
	const problems = new Map<number, string>();
	const value: number[] = [];
	MONTHS.forEach((m, i) => {
		const t = (texts[i] ?? '').trim();
		if (unit === 'bp') {
			if (/^\d{1,5}$/.test(t))
				value.push(Number(t));
			else
				problems.set(i, t === '' ? `Enter ${m}’s weight` : `${m}’s weight must be a whole number of basis points, like 834`);
			return;
		}
		const p = parsePercentBp(t, `${m}’s weight`);
		if (p.ok)
			value.push(p.value);
		else
			problems.set(i, p.message);
	});
	return problems.size > 0 ? { ok: false, problems } : { ok: true, value };
}

/* "834,834,..." -> "8.34%, 8.34%, ..." for a list. */
export function weightsSummary(bp: readonly number[]): string {
	return bp.map((w) => `${bpToInput(w)}%`).join(', ');
}
