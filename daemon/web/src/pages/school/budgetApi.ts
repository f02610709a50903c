// budgetApi.ts - the budget routes the school pages use: read one budget (null
// when the year has none), replace its lines (JSON from the grid, or a CSV
// file), export it as CSV, and move it through its workflow. Every write sends
// the version the page last read as If-Match, so a budget someone else changed
// meanwhile answers 412 and nothing is overwritten (the page says so).
import { api, must } from '../../api/client';
import { ApiError } from '../../api/problem';
import type { Schemas } from '../../api/types';

export type Budget = Schemas['Budget'];
export type BudgetLine = Schemas['BudgetLine'];
export type LineInput = Schemas['BudgetLineInput'];
export type Finding = Schemas['BudgetFinding'];
export type Account = Schemas['Account'];
export type SchoolServices = Schemas['SchoolServices'];

const etag = (version: number) => `"${version}"`;

export async function loadBudget(urn: string, year: string): Promise<Budget | null> {
	try {
		return await must(api.GET('/api/v1/schools/{urn}/budgets/{year}', { params: { path: { urn, year } } }));
	} catch (e) {
		if (e instanceof ApiError && e.status === 404)
			return null;
		throw e;
	}
}

/* Every line at once (version null: create the budget, 201). */
export async function saveLines(urn: string, year: string, version: number | null, lines: LineInput[]): Promise<Budget> {
	const header = version === null ? {} : { 'If-Match': etag(version) };
	return must(api.PUT('/api/v1/schools/{urn}/budgets/{year}', {
		params: { path: { urn, year }, header },
		body: { lines },
	}));
}

/* A spreadsheet as the person saved it (CSV in any encoding the API reads, or
 * an XLSX workbook), sent as it is with its Content-Type: all or nothing (a 422
 * lists every problem as "row N, column"). The client's middleware adds the
 * session's CSRF token as it does to every write. `encoding`: the API's
 * Import-Encoding (how it read a CSV), or null. */
export async function importSheet(urn: string, year: string, version: number | null, file: Blob, type: string): Promise<{ budget: Budget; encoding: string | null }> {
	const header = version === null ? {} : { 'If-Match': etag(version) };
	const r = await api.PUT('/api/v1/schools/{urn}/budgets/{year}', {
		params: { path: { urn, year }, header },
		body: file as unknown as Schemas['BudgetUpdate'],
		bodySerializer: (b: unknown) => b as string,
		headers: { 'Content-Type': type },
	});
	if (r.error !== undefined || !r.response.ok || r.data === undefined)
		throw ApiError.from(r.response, r.error);
	return { budget: r.data, encoding: r.response.headers.get('Import-Encoding') };
}

export async function transition(urn: string, year: string, version: number, action: 'submit'): Promise<Budget> {
	return must(api.POST('/api/v1/schools/{urn}/budgets/{year}/transitions', {
		params: { path: { urn, year }, header: { 'If-Match': etag(version) } },
		body: { action },
	}));
}

/* The chart of accounts, every page of it. */
export async function loadAccounts(): Promise<Account[]> {
	const out: Account[] = [];
	let after: string | undefined;
	for (;;) {
		const page = await must(api.GET('/api/v1/accounts', { params: { query: { limit: 1000, ...(after ? { after } : {}) } } }));
		out.push(...page.items);
		if (!page.next)
			return out;
		after = page.next;
	}
}

export async function loadServices(urn: string, year: string): Promise<SchoolServices> {
	return must(api.GET('/api/v1/schools/{urn}/services', { params: { path: { urn }, query: { year, limit: 1000 } } }));
}

export type Recharge = Schemas['Recharge'];
export type Statement = Schemas['CentralServicesStatement'];
export type ForecastRun = Schemas['ForecastSummary'];
export type StartFrom = { budget_year: string } | { forecast_id: number };

/* A new year's draft from another year's budget or a forecast run's
 * projection (201; 409 when the year has one already). */
export async function startBudget(urn: string, year: string, from: StartFrom): Promise<Budget> {
	return must(api.POST('/api/v1/schools/{urn}/budgets/{year}', {
		params: { path: { urn, year } },
		body: { copy_from: from },
	}));
}

/* Delete a draft (204); 409 says why one may not go. */
export async function deleteBudget(urn: string, year: string, version: number): Promise<void> {
	const r = await api.DELETE('/api/v1/schools/{urn}/budgets/{year}', {
		params: { path: { urn, year }, header: { 'If-Match': etag(version) } },
	});
	if (!r.response.ok)
		throw ApiError.from(r.response, r.error);
}

/* The forecast runs the person may read, newest first (at most 200). */
export async function loadForecastRuns(): Promise<ForecastRun[]> {
	const page = await must(api.GET('/api/v1/forecasts', { params: { query: { limit: 200 } } }));
	return [...page.items].sort((a, b) => b.updated_at.localeCompare(a.updated_at) || b.id - a.id);
}

/* The central services statement of a year (a business manager's: her schools' part). */
export async function loadStatement(year: string): Promise<Statement> {
	return must(api.GET('/api/v1/central-services-statement', { params: { query: { year } } }));
}
