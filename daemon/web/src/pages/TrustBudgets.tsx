// TrustBudgets.tsx - the finance director's (and auditor's) view of every
// budget in a year: how many are at each status, who has not submitted, and
// each school's totals as the API gives them, the submitted ones first; each
// opens read-only for review (pages/trust/BudgetReview.tsx: approve or return).
// The same table downloads as XLSX or CSV from the API.
import { useLocation } from 'preact-iso';

import { api, must } from '../api/client';
import type { TrustBudgetEntity } from '../api/types';
import { Downloads } from '../components/Downloads';
import { formatDateTime } from '../components/format';
import { Money } from '../components/Money';
import { LoadError, Loading, Page } from '../components/Page';
import { StatusTag } from '../components/StatusTag';
import { Table } from '../components/Table';
import { useLoad } from '../components/useLoad';

const ORDER = ['submitted', 'draft', 'none', 'approved'];

export default function TrustBudgets() {
	const { query, route } = useLocation();
	const years = useLoad(async () => {
		const y = await must(api.GET('/api/v1/schools/{urn}/years', { params: { path: { urn: 'central' } } }));
		return y.items.map((i) => i.year);
	}, []);
	const chosen = query.year && years.data?.includes(query.year) ? query.year : null;
	const year = chosen ?? years.data?.at(-1) ?? null;
	const budgets = useLoad(async () => year === null ? null
		: must(api.GET('/api/v1/budgets/{year}', { params: { path: { year } } })), [year]);

	if (years.loading)
		return <Page title="Budgets"><Loading /></Page>;
	if (years.data === undefined)
		return <Page title="Budgets"><LoadError error={years.error} /></Page>;
	const data = budgets.data;
	const rows = data ? [...data.entities].sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status)) : [];
	const names = new Map(data?.entities.map((e) => [e.urn, e.name]) ?? []);
	return (
		<Page title="Budgets" caption={year ?? undefined}>
			<div class="govuk-form-group">
				<label class="govuk-label" for="year">Year</label>
				<select class="govuk-select" id="year" value={year ?? ''}
					onChange={(e) => route(`/trust/budgets?year=${encodeURIComponent((e.target as HTMLSelectElement).value)}`)}>
					{years.data.map((y) => <option key={y} value={y}>{y}</option>)}
				</select>
			</div>
			{budgets.loading && <Loading />}
			{budgets.error !== undefined && <LoadError error={budgets.error} />}
			{data && (
				<>
					<Downloads path={`/api/v1/budgets/${encodeURIComponent(data.year)}`} name={`budgets-${data.year}`} what={`the budgets for ${data.year}`} />
					<h2 class="govuk-heading-m">By status</h2>
					<ul class="govuk-list govuk-!-margin-bottom-6" aria-label="Budgets by status" id="status-counts">
						{ORDER.map((s) => (
							<li key={s}><StatusTag status={s} /> <span data-status={s}>{data.status_counts[s] ?? 0}</span></li>
						))}
					</ul>
					{data.not_submitted.length > 0 && (
						<div class="govuk-inset-text" id="not-submitted">
							<h2 class="govuk-heading-s govuk-!-margin-bottom-1">Not submitted yet ({data.not_submitted.length})</h2>
							<p class="govuk-body govuk-!-margin-bottom-0">{data.not_submitted.map((u) => names.get(u) ?? u).join(', ')}</p>
						</div>
					)}
					<Table<TrustBudgetEntity>
						caption={`Budgets for ${data.year}`}
						rows={rows}
						rowKey={(r) => r.urn}
						columns={[
							{ header: 'School', cell: (r) => r.status === 'none' ? r.name
								: <a class="govuk-link" href={`/trust/budgets/${data.year}/${r.urn}`}>{r.name}<span class="govuk-visually-hidden"> budget {data.year}{r.status === 'submitted' ? ', to review' : ''}</span></a> },
							{ header: 'Status', cell: (r) => <StatusTag status={r.status} /> },
							{ header: 'Income', numeric: true, cell: (r) => <Money pence={r.totals?.income_pence} whole /> },
							{ header: 'Expenditure', numeric: true, cell: (r) => <Money pence={r.totals?.expenditure_pence} whole /> },
							{ header: 'In-year balance', numeric: true, cell: (r) => <Money pence={r.totals?.in_year_balance_pence} whole /> },
							{ header: 'Submitted', cell: (r) => formatDateTime(r.submitted_at) },
							{ header: 'Approved', cell: (r) => formatDateTime(r.approved_at) },
						]}
					/>
					<dl class="govuk-summary-list">
						<div class="govuk-summary-list__row">
							<dt class="govuk-summary-list__key">Trust income</dt>
							<dd class="govuk-summary-list__value bursar-num"><Money pence={data.trust.income_pence} /></dd>
						</div>
						<div class="govuk-summary-list__row">
							<dt class="govuk-summary-list__key">Trust expenditure</dt>
							<dd class="govuk-summary-list__value bursar-num"><Money pence={data.trust.expenditure_pence} /></dd>
						</div>
						<div class="govuk-summary-list__row">
							<dt class="govuk-summary-list__key">Trust in-year balance</dt>
							<dd class="govuk-summary-list__value bursar-num"><Money pence={data.trust.in_year_balance_pence} /></dd>
						</div>
					</dl>
				</>
			)}
		</Page>
	);
}
