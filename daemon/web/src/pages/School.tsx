// School.tsx - a business manager's school: what the trust holds about it and
// its budget for each year, with the totals the API computed.
import { api, must } from '../api/client';
import { ApiError } from '../api/problem';
import type { Budget, School as SchoolT, SchoolYear } from '../api/types';
import { formatDateTime, humanise } from '../components/format';
import { Money } from '../components/Money';
import { LoadError, Loading, Page } from '../components/Page';
import { StatusTag } from '../components/StatusTag';
import { Table } from '../components/Table';
import { useLoad } from '../components/useLoad';

interface YearRow {
	year: SchoolYear;
	budget: Budget | null;
}

async function loadSchool(urn: string): Promise<{ school: SchoolT; years: YearRow[] }> {
	const path = { urn };
	const [school, years] = await Promise.all([
		must(api.GET('/api/v1/schools/{urn}', { params: { path } })),
		must(api.GET('/api/v1/schools/{urn}/years', { params: { path } })),
	]);
	const rows = await Promise.all(years.items.map(async (year) => {
		try {
			const budget: Budget = await must(api.GET('/api/v1/schools/{urn}/budgets/{year}', { params: { path: { urn, year: year.year } } }));
			return { year, budget };
		} catch (e) {
			if (e instanceof ApiError && e.status === 404)
				return { year, budget: null };
			throw e;
		}
	}));
	return { school, years: rows.reverse() };
}

function Row({ k, v }: { k: string; v: preact.ComponentChildren }) {
	return (
		<div class="govuk-summary-list__row">
			<dt class="govuk-summary-list__key">{k}</dt>
			<dd class="govuk-summary-list__value">{v}</dd>
		</div>
	);
}

export default function School({ urn }: { urn: string }) {
	const { data, error, loading } = useLoad(() => loadSchool(urn), [urn]);

	if (loading)
		return <Page title="Your school"><Loading /></Page>;
	if (data === undefined)
		return <Page title="Your school"><LoadError error={error} /></Page>;
	const { school, years } = data;
	return (
		<Page title={school.name} caption={`URN ${school.urn}`}>
			<dl class="govuk-summary-list govuk-!-margin-bottom-9">
				<Row k="Phase" v={school.phase ? humanise(school.phase) : '–'} />
				<Row k="Local authority" v={school.local_authority || '–'} />
				<Row k="Finance model" v={school.finance_model ? humanise(school.finance_model) : 'None'} />
			</dl>
			<Table<YearRow>
				caption="Budgets by year"
				rows={years}
				rowKey={(r) => r.year.year}
				empty="The trust holds no years for this school yet."
				columns={[
					{ header: 'Year', cell: (r) => r.budget ? <a class="govuk-link" href={`/schools/${urn}/budgets/${r.year.year}`}>{r.year.year}</a> : r.year.year },
					{ header: 'Status', cell: (r) => <StatusTag status={r.budget?.status ?? 'none'} /> },
					{ header: 'Pupils', numeric: true, cell: (r) => r.year.pupils ?? '–' },
					{ header: 'Income', numeric: true, cell: (r) => <Money pence={r.budget?.totals.income_pence} whole /> },
					{ header: 'Expenditure', numeric: true, cell: (r) => <Money pence={r.budget?.totals.expenditure_pence} whole /> },
					{ header: 'In-year balance', numeric: true, cell: (r) => <Money pence={r.budget?.totals.in_year_balance_pence} whole /> },
					{ header: 'Opening reserves', numeric: true, cell: (r) => <Money pence={r.year.opening_reserves_pence} whole /> },
					{ header: 'Last changed', cell: (r) => formatDateTime(r.budget?.updated_at) },
				]}
			/>
			{years.map((r) => r.budget?.return_reason && (
				<div class="govuk-inset-text" key={r.year.year}>
					The {r.year.year} budget was returned: {r.budget.return_reason}
				</div>
			))}
		</Page>
	);
}
