// monitoringApi.ts - a school's budget monitoring (issue 17): GET
// /api/v1/schools/{urn}/monitoring?month=YYYY-MM (the API's figures: every line,
// its variances, totals, reserves and KPIs), the periods of its year (closed
// months), and the writes on a line: its forecast outturn with a note (PUT /
// DELETE .../outturns/{year}/{code}) and a comment on its variance for the
// month (PUT / DELETE .../comments/{month}/{code}). A change sends the version
// the page read as If-Match; a first one sends none. 412: someone else's change.
import { api, must } from '../../api/client';
import { ApiError } from '../../api/problem';
import type { Schemas } from '../../api/types';

export type Monitoring = Schemas['SchoolMonitoring'];
export type MonitoringLine = Monitoring['lines'][number];
export type Period = Schemas['Period'];

const etag = (version: number) => `"${version}"`;
const ifMatch = (version: number | null) => (version === null ? {} : { 'If-Match': etag(version) });

export async function loadMonitoring(urn: string, month: string | undefined): Promise<Monitoring> {
	return must(api.GET('/api/v1/schools/{urn}/monitoring', {
		params: { path: { urn }, query: month !== undefined ? { month } : {} },
	}));
}

export async function loadPeriods(year: string): Promise<Period[]> {
	const r = await must(api.GET('/api/v1/periods', { params: { query: { year } } }));
	return r.items;
}

export async function saveOutturn(urn: string, year: string, code: string, version: number | null, amountPence: number, note: string): Promise<void> {
	await must(api.PUT('/api/v1/schools/{urn}/outturns/{year}/{code}', {
		params: { path: { urn, year, code }, header: ifMatch(version) as { 'If-Match': string } },
		body: { amount_pence: amountPence, note },
	}));
}

export async function deleteOutturn(urn: string, year: string, code: string, version: number): Promise<void> {
	const r = await api.DELETE('/api/v1/schools/{urn}/outturns/{year}/{code}', {
		params: { path: { urn, year, code }, header: { 'If-Match': etag(version) } },
	});
	if (!r.response.ok)
		throw ApiError.from(r.response, r.error);
}

export async function saveComment(urn: string, month: string, code: string, version: number | null, text: string): Promise<void> {
	await must(api.PUT('/api/v1/schools/{urn}/comments/{month}/{code}', {
		params: { path: { urn, month, code }, header: ifMatch(version) as { 'If-Match': string } },
		body: { text },
	}));
}

export async function deleteComment(urn: string, month: string, code: string, version: number): Promise<void> {
	const r = await api.DELETE('/api/v1/schools/{urn}/comments/{month}/{code}', {
		params: { path: { urn, month, code }, header: { 'If-Match': etag(version) } },
	});
	if (!r.response.ok)
		throw ApiError.from(r.response, r.error);
}

const NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/* "2026-11" -> "November 2026" (text only) */
export function monthName(m: string): string {
	const [y, mm] = m.split('-');
	const name = NAMES[Number(mm) - 1];
	return name === undefined ? m : `${name} ${y ?? ''}`;
}
