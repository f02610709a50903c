// Budget.tsx - one school's budget for a year as the API holds it: status, the
// totals and groups it computed, its findings, and every line by account code.
// Submitting is here (BudgetActions; the decision is the finance director's
// review page); the editable grid and import come next, on this page.
import { api, must } from '../api/client';
import type { Budget as BudgetT, Schemas } from '../api/types';
import { BudgetActions } from '../components/BudgetActions';
import { formatDateTime, humanise } from '../components/format';
import { Money } from '../components/Money';
import { LoadError, Loading, Page } from '../components/Page';
import { useMe } from '../components/session';
import { StatusTag } from '../components/StatusTag';
import { Table } from '../components/Table';
import { useLoad } from '../components/useLoad';

type Line = Schemas['BudgetLine'];
type Group = Schemas['BudgetGroup'];
type Finding = Schemas['BudgetFinding'];

/* The reporting groups' names where the code alone would read badly */
const GROUPS: Record<string, string> = {
	gag: 'GAG', dfe_grants: 'DfE grants', la_income: 'Local authority income', ict: 'ICT',
	self_generated: 'Self-generated income', internal: 'Internal (trust) charges',
};

function Totals({ b }: { b: BudgetT }) {
	const rows: [string, number | null][] = [
		['Income', b.totals.income_pence],
		['Expenditure', b.totals.expenditure_pence],
		['In-year balance', b.totals.in_year_balance_pence],
		['Staff costs', b.totals.staff_costs_pence],
		['Contingency', b.totals.contingency_pence],
	];
	return (
		<dl class="govuk-summary-list">
			{rows.map(([k, v]) => (
				<div class="govuk-summary-list__row" key={k}>
					<dt class="govuk-summary-list__key">{k}</dt>
					<dd class="govuk-summary-list__value bursar-num"><Money pence={v} /></dd>
				</div>
			))}
		</dl>
	);
}

export default function Budget({ urn, year }: { urn: string; year: string }) {
	const me = useMe();
	const { data: b, error, loading, reload } = useLoad(
		() => must(api.GET('/api/v1/schools/{urn}/budgets/{year}', { params: { path: { urn, year } } })), [urn, year]);
	const title = `Budget ${year}`;

	if (loading && b === undefined)
		return <Page title={title}><Loading /></Page>;
	if (b === undefined)
		return <Page title={title}><LoadError error={error} /></Page>;
	return (
		<Page title={title} caption={`URN ${urn}`}>
			<p class="govuk-body"><StatusTag status={b.status} /> Last changed {formatDateTime(b.updated_at)}</p>
			{b.return_reason && <div class="govuk-inset-text">Returned: {b.return_reason}</div>}
			<Totals b={b} />
			<BudgetActions budget={b} me={me} done={reload} />
			<Table<Finding>
				caption="Checks"
				rows={b.findings}
				rowKey={(f) => `${f.code}${f.field}`}
				empty="The checks found nothing to raise."
				columns={[
					{ header: 'Severity', cell: (f) => humanise(f.severity) },
					{ header: 'What', cell: (f) => f.message },
				]}
			/>
			<Table<Group>
				caption="By group"
				rows={b.groups}
				rowKey={(g) => `${g.kind}/${g.group}`}
				columns={[
					{ header: 'Group', cell: (g) => GROUPS[g.group] ?? humanise(g.group) },
					{ header: 'Kind', cell: (g) => humanise(g.kind) },
					{ header: 'Amount', numeric: true, cell: (g) => <Money pence={g.amount_pence} /> },
				]}
			/>
			<Table<Line>
				caption="Lines"
				rows={b.lines}
				rowKey={(l) => l.id}
				empty="This budget has no lines yet."
				columns={[
					{ header: 'Account', cell: (l) => l.account_code },
					{ header: 'Description', cell: (l) => l.description },
					{ header: 'Kind', cell: (l) => humanise(l.kind) },
					{ header: 'Amount', numeric: true, cell: (l) => <Money pence={l.amount_pence} /> },
				]}
			/>
		</Page>
	);
}
