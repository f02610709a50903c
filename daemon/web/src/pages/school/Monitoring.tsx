// Monitoring.tsx - /schools/:urn/monitoring?month=YYYY-MM: a school's budget
// monitoring (issue 17; GET /api/v1/schools/{urn}/monitoring). A month picker
// (the year's months, the closed ones marked; without a month the API's latest
// closed one); a table by code: budget, profile to date, actual to date,
// commitments, the variance to date with a favourable/adverse tag (words, not
// colour alone), the forecast outturn and the full-year variance (its tag the
// API's full_year_favourable, on each line and each total); the totals,
// reserves and KPIs as the API worked them out; a chart of actual against
// profile by month, cumulative (MonitoringChart.tsx, from the same answer's
// months). The business manager and the finance director enter a line's
// outturn with its note and write a comment on its variance (LineNotes.tsx):
// after each, the page reads the monitoring again, so the totals are the API's
// answer. Nothing is added up here.
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';

import { ApiError } from '../../api/problem';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { SuccessBanner } from '../../components/FormField';
import { Money } from '../../components/Money';
import { bpToInput } from '../../components/pounds';
import { LoadError, Loading, Page } from '../../components/Page';
import { useMe } from '../../components/session';
import { StatusTag } from '../../components/StatusTag';
import { useLoad } from '../../components/useLoad';
import { LineNotes, type Editing } from './LineNotes';
import { MonitoringChart } from './MonitoringChart';
import { loadMonitoring, loadPeriods, type Monitoring as MonitoringT, type MonitoringLine, monthName } from './monitoringApi';

function Tag({ favourable }: { favourable: boolean }) {
	return favourable
		? <strong class="govuk-tag govuk-tag--green bursar-tag--small">Favourable</strong>
		: <strong class="govuk-tag govuk-tag--red bursar-tag--small">Adverse</strong>;
}

const KINDS: Record<string, string> = { income: 'Income', expenditure: 'Expenditure' };

function LinesTable({ m, writer, onEdit }: { m: MonitoringT; writer: boolean; onEdit: (e: Editing) => void }) {
	if (m.lines.length === 0)
		return <p class="govuk-body">There is no budget, actual or outturn for this year yet.</p>;
	const kinds = [...new Set(m.lines.map((l) => l.kind))];
	return (
		<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby="lines-caption">
			<table class="govuk-table bursar-monitoring" id="monitoring-lines">
				<caption class="govuk-table__caption govuk-table__caption--m" id="lines-caption">By code, to the end of {monthName(m.month)}</caption>
				<thead class="govuk-table__head"><tr class="govuk-table__row">
					<th scope="col" class="govuk-table__header">Code</th>
					<th scope="col" class="govuk-table__header govuk-table__header--numeric">Budget</th>
					<th scope="col" class="govuk-table__header govuk-table__header--numeric">Profile to date</th>
					<th scope="col" class="govuk-table__header govuk-table__header--numeric">Actual to date</th>
					<th scope="col" class="govuk-table__header govuk-table__header--numeric">Commitments</th>
					<th scope="col" class="govuk-table__header govuk-table__header--numeric">Variance to date</th>
					<th scope="col" class="govuk-table__header govuk-table__header--numeric">Forecast outturn</th>
					<th scope="col" class="govuk-table__header govuk-table__header--numeric">Full-year variance</th>
					<th scope="col" class="govuk-table__header">Notes</th>
				</tr></thead>
				{kinds.map((k) => (
					<tbody class="govuk-table__body" key={k}>
						<tr class="govuk-table__row"><th scope="colgroup" colSpan={9} class="govuk-table__header bursar-group">{KINDS[k] ?? k}</th></tr>
						{m.lines.filter((l) => l.kind === k).map((l) => <LineRow key={l.account_code} l={l} writer={writer} onEdit={onEdit} />)}
					</tbody>
				))}
			</table>
		</div>
	);
}

function LineRow({ l, writer, onEdit }: { l: MonitoringLine; writer: boolean; onEdit: (e: Editing) => void }) {
	const cell = (pence: number, col: string) => (
		<td class="govuk-table__cell govuk-table__cell--numeric bursar-num" data-col={col} data-pence={pence}><Money pence={pence} /></td>
	);
	return (
		<tr class="govuk-table__row" data-code={l.account_code}>
			<th scope="row" class="govuk-table__header">{l.account_code}
				<span class="bursar-block bursar-secondary govuk-body-s govuk-!-margin-bottom-0">{l.account_name}</span></th>
			{cell(l.budget_pence, 'budget')}
			{cell(l.profile_to_date_pence, 'profile_to_date')}
			{cell(l.actual_to_date_pence, 'actual_to_date')}
			{cell(l.commitment_to_date_pence, 'commitment_to_date')}
			<td class="govuk-table__cell govuk-table__cell--numeric bursar-num" data-col="variance_to_date" data-pence={l.variance_to_date_pence}>
				<Money pence={l.variance_to_date_pence} /><span class="bursar-block"><Tag favourable={l.favourable} /></span></td>
			<td class="govuk-table__cell govuk-table__cell--numeric bursar-num" data-col="outturn" data-pence={l.outturn_pence}>
				<Money pence={l.outturn_pence} />
				{l.outturn !== null && <span class="bursar-block"><strong class="govuk-tag govuk-tag--blue bursar-tag--small">Entered</strong></span>}</td>
			<td class="govuk-table__cell govuk-table__cell--numeric bursar-num" data-col="full_year_variance" data-pence={l.full_year_variance_pence}>
				<Money pence={l.full_year_variance_pence} /><span class="bursar-block"><Tag favourable={l.full_year_favourable} /></span></td>
			<td class="govuk-table__cell bursar-notes-cell">
				{l.outturn !== null && <span class="bursar-block govuk-body-s" data-note="outturn">Outturn: {l.outturn.note}</span>}
				{l.comment !== null && <span class="bursar-block govuk-body-s" data-note="comment">Comment: {l.comment.text}</span>}
				{writer && (
					<span class="govuk-button-group govuk-!-margin-bottom-0">
						<button type="button" class="govuk-button govuk-button--secondary bursar-button--small" onClick={() => onEdit({ kind: 'outturn', line: l })}>
							{l.outturn === null ? 'Enter outturn' : 'Change outturn'}<span class="govuk-visually-hidden"> of {l.account_code}</span></button>
						<button type="button" class="govuk-button govuk-button--secondary bursar-button--small" onClick={() => onEdit({ kind: 'comment', line: l })}>
							{l.comment === null ? 'Comment' : 'Change comment'}<span class="govuk-visually-hidden"> on {l.account_code}</span></button>
					</span>
				)}
			</td>
		</tr>
	);
}

const TOTAL_ROWS: [keyof MonitoringT['totals']['budget'], keyof MonitoringT['totals']['full_year_favourable'], string][] = [
	['income_pence', 'income', 'Income'], ['expenditure_pence', 'expenditure', 'Expenditure'],
	['balance_pence', 'balance', 'In-year balance'], ['staff_pence', 'staff', 'Staff costs'],
];

/* The totals as the API gives them, with the full-year variance (outturn less budget) and its
 * favourable/adverse tag from the API's full_year_favourable. */
function Totals({ m }: { m: MonitoringT }) {
	const cols: ['budget' | 'profile_to_date' | 'actual_to_date' | 'outturn', string][] = [
		['budget', 'Budget'], ['profile_to_date', 'Profile to date'], ['actual_to_date', 'Actual to date'], ['outturn', 'Forecast outturn'],
	];
	return (
		<table class="govuk-table" id="monitoring-totals">
			<caption class="govuk-table__caption govuk-table__caption--m">Totals</caption>
			<thead class="govuk-table__head"><tr class="govuk-table__row">
				<th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Total</span></th>
				{cols.map(([, h]) => <th scope="col" class="govuk-table__header govuk-table__header--numeric" key={h}>{h}</th>)}
				<th scope="col" class="govuk-table__header govuk-table__header--numeric">Full-year variance</th>
			</tr></thead>
			<tbody class="govuk-table__body">
				{TOTAL_ROWS.map(([k, f, name]) => (
					<tr class="govuk-table__row" key={k} data-total={k}>
						<th scope="row" class="govuk-table__header">{name}</th>
						{cols.map(([c]) => (
							<td class="govuk-table__cell govuk-table__cell--numeric bursar-num" key={c} data-col={c} data-pence={m.totals[c][k]}>
								<Money pence={m.totals[c][k]} /></td>
						))}
						<td class="govuk-table__cell govuk-table__cell--numeric bursar-num" data-col="full_year_variance"
							data-pence={m.totals.full_year_variance[k]} data-favourable={String(m.totals.full_year_favourable[f])}>
							<Money pence={m.totals.full_year_variance[k]} />
							<span class="bursar-block"><Tag favourable={m.totals.full_year_favourable[f]} /></span></td>
					</tr>
				))}
			</tbody>
		</table>
	);
}

const pct = (bp: number | null | undefined) => (bp === null || bp === undefined ? '–' : `${bpToInput(bp)}%`);

function Reserves({ m }: { m: MonitoringT }) {
	const row = (key: string, name: string, v: string | preact.JSX.Element, data?: number | null) => (
		<div class="govuk-summary-list__row" data-key={key} data-value={data ?? ''}>
			<dt class="govuk-summary-list__key">{name}</dt><dd class="govuk-summary-list__value">{v}</dd>
		</div>
	);
	return (
		<>
			<h2 class="govuk-heading-m">Reserves and measures</h2>
			<dl class="govuk-summary-list" id="monitoring-reserves">
				{row('opening_pence', 'Reserves at the start of the year', <Money pence={m.reserves.opening_pence} />, m.reserves.opening_pence)}
				{row('closing_budget_pence', 'Reserves at the end of the year, by the budget', <Money pence={m.reserves.closing_budget_pence} />, m.reserves.closing_budget_pence)}
				{row('closing_outturn_pence', 'Reserves at the end of the year, by the forecast outturn', <Money pence={m.reserves.closing_outturn_pence} />, m.reserves.closing_outturn_pence)}
				{row('staff_pct_bp', 'Staff costs as a share of income (outturn)', pct(m.kpis.staff_pct_bp), m.kpis.staff_pct_bp)}
				{row('reserves_pct_bp', 'Reserves as a share of income (outturn)', pct(m.kpis.reserves_pct_bp), m.kpis.reserves_pct_bp)}
				{row('in_year_balance_pct_bp', 'In-year balance as a share of income (outturn)', pct(m.kpis.in_year_balance_pct_bp), m.kpis.in_year_balance_pct_bp)}
			</dl>
		</>
	);
}

function MonthPicker({ urn, m }: { urn: string; m: MonitoringT }) {
	const { route } = useLocation();
	const periods = useLoad(() => loadPeriods(m.year), [m.year]);
	/* every month of the year, marked closed or open by GET /periods (until it answers, the one shown) */
	const months = periods.data ?? [{ month: m.month, closed: m.closed }];
	return (
		<div class="govuk-form-group">
			<label class="govuk-label govuk-label--s" for="month">Month</label>
			<div class="govuk-hint" id="month-hint">Actuals count to the end of the month. A closed month’s actuals are final; an open month’s may still change.</div>
			<select class="govuk-select" id="month" value={m.month} aria-describedby="month-hint"
				onChange={(e) => route(`/schools/${urn}/monitoring?month=${encodeURIComponent((e.target as HTMLSelectElement).value)}`)}>
				{months.map((p) => <option key={p.month} value={p.month}>{monthName(p.month)}{p.closed ? ' (closed)' : ' (open)'}</option>)}
			</select>
		</div>
	);
}

export default function Monitoring({ urn }: { urn: string }) {
	const { query } = useLocation();
	const me = useMe();
	const month = query.month || undefined;
	const mon = useLoad(() => loadMonitoring(urn, month), [urn, month]);
	const [editing, setEditing] = useState<Editing | null>(null);
	const [done, setDone] = useState<string | null>(null);
	const [errors] = useState<SummaryError[]>([]);
	const writer = me.role === 'business_manager' || me.role === 'finance_director';

	if (mon.data === undefined) {
		return (
			<Page title="Monitoring">
				{mon.loading ? <Loading /> : mon.error instanceof ApiError && mon.error.status === 403
					? <p class="govuk-body">You can see the monitoring of your own school only.</p>
					: <LoadError error={mon.error} />}
			</Page>
		);
	}
	const m = mon.data;
	return (
		<Page title={`Monitoring: ${m.name}`} caption={`URN ${m.urn} · ${m.year}`}>
			<ErrorSummary errors={errors} />
			{done !== null && <SuccessBanner title="Done"><p class="govuk-notification-banner__heading" id="monitoring-done">{done}</p></SuccessBanner>}
			<MonthPicker urn={urn} m={m} />
			<p class="govuk-body" id="monitoring-status">
				{monthName(m.month)} is {m.closed
					? <strong class="govuk-tag govuk-tag--green bursar-tag--small">Closed</strong>
					: <strong class="govuk-tag govuk-tag--yellow bursar-tag--small">Open</strong>}
				{m.budget !== null
					? <> The budget: <StatusTag status={m.budget.status} /> (version {m.budget.version}).</>
					: ' There is no budget for this year.'}
				{' '}<a class="govuk-link" href={`/schools/${urn}/budgets/${encodeURIComponent(m.year)}`}>The budget {m.year}</a>
			</p>
			{mon.loading && <Loading what="Reading the monitoring again" />}
			<Totals m={m} />
			<Reserves m={m} />
			<LinesTable m={m} writer={writer} onEdit={(e) => { setDone(null); setEditing(e); }} />
			{editing !== null && (
				<LineNotes key={`${editing.kind}-${editing.line.account_code}`} urn={urn} year={m.year} month={m.month} editing={editing}
					onClose={() => setEditing(null)}
					onReload={() => { setEditing(null); mon.reload(); }}
					onDone={(message) => { setEditing(null); setDone(message); mon.reload(); }} />
			)}
			<MonitoringChart m={m} />
		</Page>
	);
}
