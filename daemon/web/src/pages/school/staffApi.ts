// staffApi.ts - the staffing routes the staff pages use (issue 16: README
// "Staffing"): an entity's posts with each one's cost for a year, one post
// added, replaced, ended or deleted (If-Match: the version the page read, so a
// post someone else changed meanwhile answers 412 and nothing is written), the
// entity's staffing for a year (totals by code and the ICFP measures), the pay
// scales. Types come from the routes' answers in daemon/openapi.json, so a
// change to the contract breaks the build here.
import { api, must } from '../../api/client';
import { ApiError } from '../../api/problem';
import type { paths } from '../../api/schema';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;

type PostJson = Json<paths['/api/v1/schools/{urn}/posts/{id}']['get']['responses'][200]>;
/* A post's cost for one year (with ?year=): pay, NI, pension, total and the months. */
export interface PostCost {
	year: string; pay_pence: number; ni_pence: number; pension_pence: number; total_pence: number;
}
export type Post = Omit<PostJson, 'cost'> & { cost?: PostCost | null };
export type PostWrite = NonNullable<paths['/api/v1/schools/{urn}/posts']['post']['requestBody']>['content']['application/json'];
export type Staffing = Json<paths['/api/v1/schools/{urn}/staffing']['get']['responses'][200]>;
export type Metrics = NonNullable<Staffing['metrics']>;
export type PayScaleSummary = Json<paths['/api/v1/pay-scales']['get']['responses'][200]>['items'][number];
export type PayScale = Json<paths['/api/v1/pay-scales/{name}']['get']['responses'][200]>;

export const ROLES: { value: string; text: string; codes: string[] }[] = [
	{ value: 'teacher', text: 'Teacher', codes: ['E01', 'E02'] },
	{ value: 'leadership', text: 'Leadership', codes: ['E01', 'E02'] },
	{ value: 'teaching_assistant', text: 'Teaching assistant', codes: ['E03', 'E04', 'E05', 'E06', 'E07', 'E31'] },
	{ value: 'admin', text: 'Administrative and clerical', codes: ['E03', 'E04', 'E05', 'E06', 'E07', 'E31'] },
	{ value: 'premises', text: 'Premises', codes: ['E03', 'E04', 'E05', 'E06', 'E07', 'E31'] },
	{ value: 'catering', text: 'Catering', codes: ['E03', 'E04', 'E05', 'E06', 'E07', 'E31'] },
	{ value: 'other_support', text: 'Other support', codes: ['E03', 'E04', 'E05', 'E06', 'E07', 'E31'] },
];

export function roleName(role: string): string {
	return ROLES.find((r) => r.value === role)?.text ?? role;
}

const etag = (version: number) => `"${version}"`;

/* Every post of the entity (every page), each with its cost for `year`. */
export async function loadPosts(urn: string, year: string): Promise<Post[]> {
	const out: Post[] = [];
	let after: string | undefined;
	for (;;) {
		const page = await must(api.GET('/api/v1/schools/{urn}/posts', {
			params: { path: { urn }, query: { year, limit: 1000, ...(after ? { after } : {}) } },
		}));
		out.push(...(page.items as Post[]));
		if (!page.next)
			return out;
		after = page.next;
	}
}

export async function loadStaffing(urn: string, year: string): Promise<Staffing> {
	return must(api.GET('/api/v1/schools/{urn}/staffing', { params: { path: { urn }, query: { year } } }));
}

export async function createPost(urn: string, body: PostWrite): Promise<Post> {
	return must(api.POST('/api/v1/schools/{urn}/posts', { params: { path: { urn } }, body }));
}

export async function replacePost(urn: string, id: number, version: number, body: PostWrite): Promise<Post> {
	return must(api.PUT('/api/v1/schools/{urn}/posts/{id}', {
		params: { path: { urn, id }, header: { 'If-Match': etag(version) } },
		body,
	}));
}

export async function deletePost(urn: string, id: number, version: number): Promise<void> {
	const r = await api.DELETE('/api/v1/schools/{urn}/posts/{id}', {
		params: { path: { urn, id }, header: { 'If-Match': etag(version) } },
	});
	if (!r.response.ok)
		throw ApiError.from(r.response, r.error);
}

/* What a post's PUT takes back: its own fields, the read-only ones left out. */
export function writeOf(p: Post): PostWrite {
	return {
		reference: p.reference, title: p.title, role: p.role, account_code: p.account_code, scale: p.scale,
		point: p.point, top_point: p.top_point, point_year: p.point_year, fte_h: p.fte_h, paid_weeks_h: p.paid_weeks_h,
		tlr_pence: p.tlr_pence, sen_pence: p.sen_pence, fringe_pence: p.fringe_pence,
		other_allowance_pence: p.other_allowance_pence, pension: p.pension, ni_category: p.ni_category,
		starts_on: p.starts_on, ends_on: p.ends_on, vacant: p.vacant, holder_name: p.holder_name,
		periods_taught: p.periods_taught,
	} as PostWrite;
}

export async function loadPayScales(): Promise<PayScaleSummary[]> {
	const r = await must(api.GET('/api/v1/pay-scales'));
	return r.items as PayScaleSummary[];
}

export async function loadPayScale(name: string, year?: string): Promise<PayScale> {
	return must(api.GET('/api/v1/pay-scales/{name}', { params: { path: { name }, query: year ? { year } : {} } }));
}
