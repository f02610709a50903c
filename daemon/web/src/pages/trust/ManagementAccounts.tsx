// ManagementAccounts.tsx - the management accounts of a month (issue 17; GET
// /api/v1/management-accounts?month=…[&urn=…]): for the trust consolidated or one
// entity, income and expenditure by group against the budget to date and the
// full-year outturn with the API's totals, the variances over the threshold with
// their comments (favourable or adverse said in words, not colour alone), the
// reserves, the KPIs, and a chart of actual against profile by month (the API's
// monthly figures; the table under it is its accessible alternative). With the
// trust chosen, the trust monitoring overview (GET /api/v1/monitoring): each
// entity's totals, linked to its monitoring page. The month picker marks the
// closed and open months (GET /api/v1/periods) and starts at the latest closed. CSV/XLSX downloads are the API's; the page prints on A4
// (styles/_print.scss: no header, navigation or buttons; the "Print" button).
// Every figure is the API's: nothing is summed here.
import { useMemo, useState } from 'preact/hooks';

import { api, must } from '../../api/client';
import type { paths } from '../../api/schema';
import { Downloads } from '../../components/Downloads';
import { formatBp } from '../../components/hundredths';
import { LineChart } from '../../components/LineChart';
import { Money } from '../../components/Money';
import { LoadError, Loading, Page } from '../../components/Page';
import { useLoad } from '../../components/useLoad';
import { monthName, monthShort, queryParam, yearMonths, yearOfMonth } from './months';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
type MA = Json<paths['/api/v1/management-accounts']['get']['responses'][200]>;
type Entity = MA['entities'][number];
type Overview = Json<paths['/api/v1/monitoring']['get']['responses'][200]>;
type Totals = Entity['totals'];

const num = 'govuk-table__cell govuk-table__cell--numeric bursar-num';
const numHead = 'govuk-table__header govuk-table__header--numeric';

function Variance({ pence, favourable }: { pence: number; favourable?: boolean }) {
	return (
		<>
			<Money pence={pence} />
			{favourable !== undefined && pence !== 0 && (
				<> <strong class={`govuk-tag ${favourable ? 'govuk-tag--green' : 'govuk-tag--red'} bursar-tag--small`}>
					{favourable ? 'Favourable' : 'Adverse'}</strong></>
			)}
		</>
	);
}

function TotalRow({ label, t, k }: { label: string; t: Totals; k: 'income_pence' | 'expenditure_pence' | 'balance_pence' }) {
	return (
		<tr class="govuk-table__row bursar-total" data-total={k}>
			<th scope="row" class="govuk-table__header">{label}</th>
			<td class={num} data-pence={t.budget[k]}><Money pence={t.budget[k]} /></td>
			<td class={num} data-pence={t.profile_to_date[k]}><Money pence={t.profile_to_date[k]} /></td>
			<td class={num} data-pence={t.actual_to_date[k]}><Money pence={t.actual_to_date[k]} /></td>
			<td class={num} />
			<td class={num} data-pence={t.outturn[k]}><Money pence={t.outturn[k]} /></td>
			<td class={num} />
		</tr>
	);
}

function Groups({ e }: { e: Entity }) {
	const part = (kind: string) => e.groups.filter((g) => g.kind === kind).map((g) => (
		<tr class="govuk-table__row" key={`${g.kind}-${g.group}`} data-group={g.group} data-kind={g.kind}>
			<th scope="row" class="govuk-table__header govuk-!-font-weight-regular">{g.group}</th>
			<td class={num} data-pence={g.budget_pence}><Money pence={g.budget_pence} /></td>
			<td class={num} data-pence={g.profile_to_date_pence}><Money pence={g.profile_to_date_pence} /></td>
			<td class={num} data-pence={g.actual_to_date_pence}><Money pence={g.actual_to_date_pence} /></td>
			<td class={num} data-pence={g.variance_to_date_pence}><Money pence={g.variance_to_date_pence} /></td>
			<td class={num} data-pence={g.outturn_pence}><Money pence={g.outturn_pence} /></td>
			<td class={num} data-pence={g.full_year_variance_pence}><Money pence={g.full_year_variance_pence} /></td>
		</tr>
	));
	return (
		<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby="groups-caption">
			<table class="govuk-table" id="groups">
				<caption class="govuk-table__caption govuk-table__caption--m" id="groups-caption">Income and expenditure</caption>
				<thead class="govuk-table__head"><tr class="govuk-table__row">
					<th scope="col" class="govuk-table__header">Group</th>
					<th scope="col" class={numHead}>Budget</th>
					<th scope="col" class={numHead}>Profile to date</th>
					<th scope="col" class={numHead}>Actual to date</th>
					<th scope="col" class={numHead}>Variance to date</th>
					<th scope="col" class={numHead}>Forecast outturn</th>
					<th scope="col" class={numHead}>Full-year variance</th>
				</tr></thead>
				<tbody class="govuk-table__body">
					<tr class="govuk-table__row"><th scope="colgroup" colSpan={7} class="govuk-table__header bursar-group-head">Income</th></tr>
					{part('income')}
					<TotalRow label="Total income" t={e.totals} k="income_pence" />
					<tr class="govuk-table__row"><th scope="colgroup" colSpan={7} class="govuk-table__header bursar-group-head">Expenditure</th></tr>
					{part('expenditure')}
					<TotalRow label="Total expenditure" t={e.totals} k="expenditure_pence" />
					<TotalRow label="In-year balance" t={e.totals} k="balance_pence" />
				</tbody>
			</table>
		</div>
	);
}

function Variances({ e, threshold }: { e: Entity; threshold: MA['threshold'] }) {
	return (
		<section aria-labelledby="variances-heading">
			<h2 class="govuk-heading-m" id="variances-heading">Variances to explain</h2>
			<p class="govuk-body">Codes whose variance to date is over <Money pence={threshold.pence} whole /> and over {formatBp(threshold.bp)} of the profile to date.</p>
			{e.variances.length === 0 ? <p class="govuk-body" id="variances-none">No variance is over the threshold.</p> : (
				<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby="variances-caption">
					<table class="govuk-table" id="variances">
						<caption class="govuk-visually-hidden" id="variances-caption">Variances over the threshold</caption>
						<thead class="govuk-table__head"><tr class="govuk-table__row">
							<th scope="col" class="govuk-table__header">Code</th>
							<th scope="col" class={numHead}>Profile to date</th>
							<th scope="col" class={numHead}>Actual to date</th>
							<th scope="col" class={numHead}>Variance</th>
							<th scope="col" class={numHead}>Forecast outturn</th>
							<th scope="col" class={numHead}>Full-year variance</th>
							<th scope="col" class="govuk-table__header">Comment</th>
						</tr></thead>
						<tbody class="govuk-table__body">
							{e.variances.map((v) => (
								<tr class="govuk-table__row" key={v.account_code} data-code={v.account_code}>
									<th scope="row" class="govuk-table__header">{v.account_code} {v.account_name}</th>
									<td class={num} data-pence={v.profile_to_date_pence}><Money pence={v.profile_to_date_pence} /></td>
									<td class={num} data-pence={v.actual_to_date_pence}><Money pence={v.actual_to_date_pence} /></td>
									<td class={num} data-pence={v.variance_to_date_pence}><Variance pence={v.variance_to_date_pence} favourable={v.favourable} /></td>
									<td class={num} data-pence={v.outturn_pence}><Money pence={v.outturn_pence} /></td>
									<td class={num} data-pence={v.full_year_variance_pence}><Variance pence={v.full_year_variance_pence} favourable={v.full_year_favourable} /></td>
									<td class="govuk-table__cell">{v.comment ?? <span class="govuk-hint">No comment yet</span>}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
		</section>
	);
}

function Position({ e }: { e: Entity }) {
	const row = (id: string, label: string, value: preact.ComponentChildren) => (
		<div class="govuk-summary-list__row" id={id}>
			<dt class="govuk-summary-list__key">{label}</dt>
			<dd class="govuk-summary-list__value bursar-num">{value}</dd>
		</div>
	);
	const pct = (bp: number | null) => (bp === null ? '–' : formatBp(bp));
	return (
		<div class="govuk-grid-row">
			<div class="govuk-grid-column-one-half">
				<h2 class="govuk-heading-m">Reserves</h2>
				<dl class="govuk-summary-list" id="reserves">
					{row('reserves-opening', 'Opening reserves', <Money pence={e.reserves.opening_pence} />)}
					{row('reserves-budget', 'Closing reserves at the budget', <Money pence={e.reserves.closing_budget_pence} />)}
					{row('reserves-outturn', 'Closing reserves at the forecast outturn', <Money pence={e.reserves.closing_outturn_pence} />)}
				</dl>
			</div>
			<div class="govuk-grid-column-one-half">
				<h2 class="govuk-heading-m">Key indicators</h2>
				<dl class="govuk-summary-list" id="kpis">
					{row('kpi-staff', 'Staff costs, % of income', pct(e.kpis.staff_pct_bp))}
					{row('kpi-reserves', 'Reserves, % of income', pct(e.kpis.reserves_pct_bp))}
					{row('kpi-balance', 'In-year balance, % of income', pct(e.kpis.in_year_balance_pct_bp))}
				</dl>
			</div>
		</div>
	);
}

function MonthsChart({ e }: { e: Entity }) {
	const labels = useMemo(() => e.months.map((m) => monthShort(m.month)), [e]);
	const series = useMemo(() => [
		{ label: 'Income: profile', values: e.months.map((m) => m.income_profile_pence), dashed: true },
		{ label: 'Income: actual', values: e.months.map((m) => m.income_actual_pence) },
		{ label: 'Expenditure: profile', values: e.months.map((m) => m.expenditure_profile_pence), dashed: true },
		{ label: 'Expenditure: actual', values: e.months.map((m) => m.expenditure_actual_pence) },
	], [e]);
	return (
		<section aria-labelledby="months-heading" class="bursar-print-section">
			<h2 class="govuk-heading-m" id="months-heading">Actual against profile by month</h2>
			<LineChart id="months-chart" title={`${e.name}: income and expenditure by month, actual against profile`} years={labels} series={series} />
			<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby="months-caption">
				<table class="govuk-table" id="months">
					<caption class="govuk-table__caption govuk-table__caption--s" id="months-caption">The chart’s figures</caption>
					<thead class="govuk-table__head"><tr class="govuk-table__row">
						<th scope="col" class="govuk-table__header">Month</th>
						<th scope="col" class={numHead}>Income profile</th>
						<th scope="col" class={numHead}>Income actual</th>
						<th scope="col" class={numHead}>Expenditure profile</th>
						<th scope="col" class={numHead}>Expenditure actual</th>
					</tr></thead>
					<tbody class="govuk-table__body">
						{e.months.map((m) => (
							<tr class="govuk-table__row" key={m.month} data-month={m.month}>
								<th scope="row" class="govuk-table__header">{monthName(m.month)}</th>
								<td class={num}><Money pence={m.income_profile_pence} /></td>
								<td class={num}><Money pence={m.income_actual_pence} /></td>
								<td class={num}><Money pence={m.expenditure_profile_pence} /></td>
								<td class={num}><Money pence={m.expenditure_actual_pence} /></td>
							</tr>
						))}
					</tbody>
				</table>
			</div>
		</section>
	);
}

function TrustOverview({ month, onChoose }: { month: string; onChoose: (urn: string) => void }) {
	const o = useLoad<Overview>(() => must(api.GET('/api/v1/monitoring', { params: { query: { month } } })), [month]);
	return (
		<section aria-labelledby="overview-heading" class="bursar-print-section">
			<h2 class="govuk-heading-m" id="overview-heading">Schools and the central team</h2>
			{o.loading && o.data === undefined && <Loading />}
			{o.error !== undefined && <LoadError error={o.error} />}
			{o.data && (
				<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby="overview-caption">
					<table class="govuk-table" id="overview">
						<caption class="govuk-visually-hidden" id="overview-caption">Each entity’s totals for {monthName(o.data.month)}</caption>
						<thead class="govuk-table__head"><tr class="govuk-table__row">
							<th scope="col" class="govuk-table__header">School</th>
							<th scope="col" class={numHead}>Budget balance</th>
							<th scope="col" class={numHead}>Income to date</th>
							<th scope="col" class={numHead}>Expenditure to date</th>
							<th scope="col" class={numHead}>Outturn income</th>
							<th scope="col" class={numHead}>Outturn expenditure</th>
							<th scope="col" class={numHead}>Outturn balance</th>
							<th scope="col" class={numHead}>Closing reserves</th>
							<th scope="col" class={numHead}>Staff %</th>
							<th scope="col" class="govuk-table__header bursar-no-print">Monitoring</th>
						</tr></thead>
						<tbody class="govuk-table__body">
							{[...o.data.entities.map((x) => ({ ...x, trust: false })),
								{ urn: 'trust', name: 'The trust', ...o.data.trust, trust: true }].map((x) => (
								<tr class={`govuk-table__row${x.trust ? ' bursar-total' : ''}`} key={x.urn} data-urn={x.urn}>
									<th scope="row" class="govuk-table__header">{x.trust ? x.name
										: <a class="govuk-link" href={`?month=${month}&urn=${x.urn}`}
											onClick={(ev) => { ev.preventDefault(); onChoose(x.urn); }}>{x.name}</a>}</th>
									<td class={num} data-pence={x.totals.budget.balance_pence}><Money pence={x.totals.budget.balance_pence} whole /></td>
									<td class={num} data-pence={x.totals.actual_to_date.income_pence}><Money pence={x.totals.actual_to_date.income_pence} whole /></td>
									<td class={num} data-pence={x.totals.actual_to_date.expenditure_pence}><Money pence={x.totals.actual_to_date.expenditure_pence} whole /></td>
									<td class={num} data-pence={x.totals.outturn.income_pence}><Money pence={x.totals.outturn.income_pence} whole /></td>
									<td class={num} data-pence={x.totals.outturn.expenditure_pence}><Money pence={x.totals.outturn.expenditure_pence} whole /></td>
									<td class={num} data-pence={x.totals.outturn.balance_pence}><Money pence={x.totals.outturn.balance_pence} whole /></td>
									<td class={num}><Money pence={x.reserves.closing_outturn_pence} whole /></td>
									<td class={num}>{x.kpis.staff_pct_bp === null ? '–' : formatBp(x.kpis.staff_pct_bp)}</td>
									<td class="govuk-table__cell bursar-no-print">{!x.trust && (
										<a class="govuk-link" data-monitoring={x.urn} href={`/schools/${x.urn}/monitoring?month=${month}`}>
											Monitoring<span class="govuk-visually-hidden"> of {x.name}</span></a>)}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			<p class="govuk-body bursar-no-print">Each school’s own monitoring, with its lines, outturns and comments, is
				linked from its row.</p>
		</section>
	);
}

/* The latest closed month of a year's periods, else its first (September). */
function defaultMonth(items: { month: string; closed: boolean }[]): string | null {
	const shut = items.filter((p) => p.closed);
	return (shut[shut.length - 1] ?? items[0])?.month ?? null;
}

export default function ManagementAccounts() {
	const [month, setMonth] = useState<string | null>(() => queryParam('month'));
	const [urn, setUrn] = useState<string>(() => queryParam('urn') ?? 'trust');
	/* the year's periods (GET /periods: the month's year, or without a month the API's current
	 * year): which months are closed, and the month by default, the latest closed one (September
	 * when none is yet, as the API's own default) */
	const asked = month === null ? null : yearOfMonth(month);
	const head = useLoad(() => must(api.GET('/api/v1/periods', { params: { query: asked === null ? {} : { year: asked } } })), [asked]);
	const shown = month ?? (head.data ? defaultMonth(head.data.items) : null);
	const yearText = shown === null ? null : yearOfMonth(shown);
	const schools = useLoad(() => must(api.GET('/api/v1/schools', { params: { query: { limit: 200 } } })), []);
	const ma = useLoad(async () => (shown === null ? null : must(api.GET('/api/v1/management-accounts', {
		params: { query: { month: shown, ...(urn !== 'trust' ? { urn } : {}) } },
	}))), [shown, urn]);
	const go = (m: string, u: string) => {
		setMonth(m);
		setUrn(u);
		history.replaceState(null, '', `?month=${m}${u !== 'trust' ? `&urn=${u}` : ''}`);
	};
	const entity = ma.data ? (urn === 'trust' ? ma.data.trust : ma.data.entities[0]) ?? null : null;
	const closed = new Map((head.data?.year === yearText ? head.data.items : []).map((p) => [p.month, p.closed]));
	const months = yearText === null ? [] : yearMonths(yearText);
	const title = entity ? `Management accounts: ${entity.name}` : 'Management accounts';
	const entities = [{ value: 'trust', text: 'The trust (consolidated)' },
		...(schools.data?.items ?? []).map((s) => ({ value: s.urn, text: s.name })), { value: 'central', text: 'Central team' }];
	const query = shown === null ? '' : `month=${shown}${urn !== 'trust' ? `&urn=${urn}` : ''}`;
	return (
		<Page title={title} caption={shown ? `${monthName(shown)}${ma.data ? (ma.data.closed ? ', closed' : ', not closed yet') : ''}` : undefined}>
			<form class="bursar-no-print" onSubmit={(e) => e.preventDefault()}>
				<div class="govuk-grid-row">
					<div class="govuk-grid-column-one-third">
						<div class="govuk-form-group">
							<label class="govuk-label govuk-label--s" for="ma-month">Month</label>
							<div class="govuk-hint" id="ma-month-hint">A closed month’s actuals are final; an open month’s may still change.</div>
							<select class="govuk-select" id="ma-month" value={shown ?? ''} aria-describedby="ma-month-hint"
								onChange={(e) => go((e.target as HTMLSelectElement).value, urn)}>
								{months.map((m) => (
									<option key={m} value={m} data-closed={closed.has(m) ? String(closed.get(m)) : undefined}>
										{monthName(m)}{closed.has(m) ? (closed.get(m) ? ' (closed)' : ' (open)') : ''}</option>
								))}
							</select>
						</div>
					</div>
					<div class="govuk-grid-column-two-thirds">
						<div class="govuk-form-group">
							<label class="govuk-label govuk-label--s" for="ma-entity">School or the trust</label>
							<select class="govuk-select" id="ma-entity" value={urn} onChange={(e) => shown && go(shown, (e.target as HTMLSelectElement).value)}>
								{entities.map((o) => <option key={o.value} value={o.value}>{o.text}</option>)}
							</select>
						</div>
					</div>
				</div>
			</form>
			{head.error !== undefined && <LoadError error={head.error} />}
			{ma.error !== undefined && <LoadError error={ma.error} />}
			{(ma.loading || head.loading) && ma.data === undefined && <Loading />}
			{ma.data && entity && (
				<div id="ma" data-month={ma.data.month} data-urn={entity.urn}>
					<div class="govuk-button-group bursar-no-print">
						<button type="button" class="govuk-button" onClick={() => window.print()}>Print</button>
					</div>
					<Downloads path={`/api/v1/management-accounts?${query}`} name={`management-accounts-${shown}`}
						what={`the management accounts of ${entity.name}`} />
					<Groups e={entity} />
					<Variances e={entity} threshold={ma.data.threshold} />
					<Position e={entity} />
					<MonthsChart e={entity} />
					{urn === 'trust' && shown && <TrustOverview month={shown} onChoose={(u) => go(shown, u)} />}
				</div>
			)}
		</Page>
	);
}
