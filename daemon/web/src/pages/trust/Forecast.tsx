// Forecast.tsx - one forecast run, from its summary (GET /forecasts/{id}/summary):
// its label, status and notes; the finance director's actions (edit, publish
// or withdraw, delete a draft); the summary (each entity's first year of an
// in-year deficit and of negative reserves, and its figures by year); charts
// of closing reserves and in-year balance by school and year (Chart.js, loaded
// with this page only), each school's first deficit year marked, with the same
// figures in tables beside them; the warnings by school and year; the summary
// and the run's lines as XLSX or CSV; the ICFP staffing measures of an entity
// by year when the run has them (issue 16). Every figure and year is the API's.
// A business manager sees a published run's part for her schools (the API's
// answer); a run she may not see is the API's 403, said plainly.
import { useLocation, useRoute } from 'preact-iso';
import { useMemo, useState } from 'preact/hooks';

import { api, must } from '../../api/client';
import { ApiError } from '../../api/problem';
import { Downloads } from '../../components/Downloads';
import { formatDateTime, humanise } from '../../components/format';
import { formatBp } from '../../components/hundredths';
import { LineChart } from '../../components/LineChart';
import { Money } from '../../components/Money';
import { LoadError, Loading, Page } from '../../components/Page';
import { useMe } from '../../components/session';
import { StatusTag } from '../../components/StatusTag';
import { useLoad } from '../../components/useLoad';
import { ForecastWarnings } from './ForecastWarnings';
import { DEFICIT_MARKS, entityName, FIGURES, FigureTable, firstDeficits, seriesOf, type SummaryEntity, type SummaryYear } from './forecastView';
import { RunActions } from './RunActions';
import { measureRows } from '../school/StaffMeasures';
import type { Metrics } from '../school/staffApi';

function EntityFigures({ entity }: { entity: SummaryEntity }) {
	const rows: { label: string; cell: (y: SummaryYear) => preact.ComponentChildren }[] = [
		{ label: 'Income', cell: (y) => <Money pence={y.income_pence} whole /> },
		{ label: 'Expenditure', cell: (y) => <Money pence={y.expenditure_pence} whole /> },
		{ label: 'In-year balance', cell: (y) => <Money pence={y.in_year_balance_pence} whole /> },
		{ label: 'Closing reserves', cell: (y) => <Money pence={y.closing_reserves_pence} whole /> },
		{ label: 'Reserves, % of income', cell: (y) => formatBp(y.reserves_bp) },
		{ label: 'Staff costs, % of income', cell: (y) => formatBp(y.staff_bp) },
	];
	return (
		<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby="kpis-caption">
			<table class="govuk-table" id="kpis">
				<caption class="govuk-table__caption govuk-table__caption--m" id="kpis-caption">Key figures: {entityName(entity)}</caption>
				<thead class="govuk-table__head"><tr class="govuk-table__row">
					<th scope="col" class="govuk-table__header">Figure</th>
					{entity.years.map((y) => <th scope="col" class="govuk-table__header govuk-table__header--numeric" key={y.year}>
						{y.year}{y.basis === 'budget' ? <span class="bursar-secondary"> (budget)</span> : null}</th>)}
				</tr></thead>
				<tbody class="govuk-table__body">
					{rows.map((r) => (
						<tr class="govuk-table__row" key={r.label}>
							<th scope="row" class="govuk-table__header">{r.label}</th>
							{entity.years.map((y) => <td class="govuk-table__cell govuk-table__cell--numeric bursar-num" key={y.year}>{r.cell(y)}</td>)}
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}

/* The ICFP measures of the chosen entity by year, when the run has them (an
 * entity planning by post: each year's staffing_metrics, the API's). */
function StaffingByYear({ entity }: { entity: SummaryEntity }) {
	const byYear = entity.years.map((y) => ({ year: y.year, m: (y as { staffing_metrics?: Metrics | null }).staffing_metrics ?? null }));
	const first = byYear.find((y) => y.m !== null)?.m;
	if (first === undefined || first === null)
		return null;
	const labels = measureRows(first).map(([k, label]) => [k, label] as const);
	const cells = byYear.map((y) => (y.m === null ? null : Object.fromEntries(measureRows(y.m).map(([k, , v]) => [k, v]))));
	return (
		<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby="staffing-caption">
			<table class="govuk-table" id="staffing-measures">
				<caption class="govuk-table__caption govuk-table__caption--m" id="staffing-caption">Staffing measures (ICFP): {entityName(entity)}</caption>
				<thead class="govuk-table__head"><tr class="govuk-table__row">
					<th scope="col" class="govuk-table__header">Measure</th>
					{byYear.map((y) => <th scope="col" class="govuk-table__header govuk-table__header--numeric" key={y.year}>{y.year}</th>)}
				</tr></thead>
				<tbody class="govuk-table__body">
					{labels.map(([k, label]) => (
						<tr class="govuk-table__row" key={k} data-measure={k}>
							<th scope="row" class="govuk-table__header">{label}</th>
							{cells.map((c, i) => <td class="govuk-table__cell govuk-table__cell--numeric bursar-num" key={byYear[i]?.year}>{c === null ? '–' : c[k]}</td>)}
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}

/* Each entity's first deficit year, first negative reserves year and last closing reserves. */
function Overview({ entities, years }: { entities: SummaryEntity[]; years: string[] }) {
	const last = years[years.length - 1] ?? '';
	return (
		<table class="govuk-table" id="overview">
			<caption class="govuk-table__caption govuk-table__caption--m">Summary</caption>
			<thead class="govuk-table__head"><tr class="govuk-table__row">
				<th scope="col" class="govuk-table__header">School</th>
				<th scope="col" class="govuk-table__header">First in-year deficit</th>
				<th scope="col" class="govuk-table__header">First negative reserves</th>
				<th scope="col" class="govuk-table__header govuk-table__header--numeric">Closing reserves {last}</th>
				<th scope="col" class="govuk-table__header govuk-table__header--numeric">Reserves, % of income {last}</th>
			</tr></thead>
			<tbody class="govuk-table__body">
				{entities.map((e) => {
					const y = e.years.find((x) => x.year === last);
					return (
						<tr class="govuk-table__row" key={e.entity} data-entity={e.entity}>
							<th scope="row" class="govuk-table__header">{entityName(e)}</th>
							<td class="govuk-table__cell" data-first-deficit={e.first_deficit_year ?? ''}>{e.first_deficit_year ?? 'None'}</td>
							<td class="govuk-table__cell">{e.first_negative_reserves_year ?? 'None'}</td>
							<td class="govuk-table__cell govuk-table__cell--numeric bursar-num"><Money pence={y?.closing_reserves_pence} whole /></td>
							<td class="govuk-table__cell govuk-table__cell--numeric bursar-num">{formatBp(y?.reserves_bp ?? null)}</td>
						</tr>
					);
				})}
			</tbody>
		</table>
	);
}

export default function Forecast() {
	const me = useMe();
	const { params } = useRoute();
	const { route } = useLocation();
	const id = Number.parseInt(params.id ?? '', 10);
	const [reload, setReload] = useState(0);
	const [banner, setBanner] = useState<string | null>(null);
	const sum = useLoad(() => must(api.GET('/api/v1/forecasts/{id}/summary', { params: { path: { id } } })), [id, reload]);
	const [kpiEntity, setKpiEntity] = useState<string | null>(null);
	const view = useMemo(() => {
		if (sum.data === undefined)
			return undefined;
		const charted = sum.data.entities.filter((e) => e.kind !== 'trust');
		const marks = firstDeficits(sum.data.entities);
		return {
			marks,
			charted,
			series: Object.fromEntries(FIGURES.map((f) => [f.key, seriesOf(charted, sum.data?.years ?? [], f.key, marks)])),
		};
	}, [sum.data]);

	const title = 'Forecast run';
	if (sum.loading && sum.data === undefined)
		return <Page title={title}><Loading /></Page>;
	if (sum.data === undefined || view === undefined) {
		const forbidden = sum.error instanceof ApiError && sum.error.status === 403;
		return (
			<Page title={title}>
				{forbidden
					? <p class="govuk-body" id="run-forbidden">This run is not yours to see: it is a draft, or it holds none of your schools. <a class="govuk-link" href="/trust/forecasts">The published runs</a>.</p>
					: <LoadError error={sum.error} />}
			</Page>
		);
	}
	const s = sum.data;
	const f = s.run;
	const fd = me.role === 'finance_director';
	const kpi = s.entities.find((e) => e.entity === kpiEntity) ?? s.entities[s.entities.length - 1];
	return (
		<Page title={f.label} caption={`Forecast run ${f.id}`}>
			{banner && (
				<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="banner-title">
					<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="banner-title">Success</h2></div>
					<div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">{banner}</p></div>
				</div>
			)}
			<dl class="govuk-summary-list">
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Status</dt>
					<dd class="govuk-summary-list__value" id="run-status"><StatusTag status={f.status} />
						{f.published_at && <span class="bursar-secondary"> {formatDateTime(f.published_at)}{f.published_by ? ` by ${f.published_by}` : ''}</span>}</dd></div>
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Notes</dt>
					<dd class="govuk-summary-list__value bursar-notes" id="run-notes">{f.notes || <span class="bursar-secondary">None</span>}</dd></div>
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Scenario</dt>
					<dd class="govuk-summary-list__value">{me.role === 'business_manager' ? f.scenario.name
						: <a class="govuk-link" href={`/trust/scenarios/${f.scenario.id}`}>{f.scenario.name}</a>} (version {f.scenario.version})</dd></div>
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Base year and horizon</dt>
					<dd class="govuk-summary-list__value">{f.base_year}, {f.horizon} years</dd></div>
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Run</dt>
					<dd class="govuk-summary-list__value">{formatDateTime(f.created_at)} by the {humanise(f.run_by.role).toLowerCase()}</dd></div>
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Finance rules</dt>
					<dd class="govuk-summary-list__value">{f.plugins.map((p) => `${p.name} ${p.version}`).join(', ') || 'none'}</dd></div>
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Inputs’ digest</dt>
					<dd class="govuk-summary-list__value"><code class="bursar-secondary">{f.digest}</code></dd></div>
			</dl>
			{fd && <RunActions key={`${f.id}-${f.version}`} run={f}
				done={(what) => { setBanner(what); setReload((n) => n + 1); }}
				deleted={() => route('/trust/forecasts?deleted=1')} />}
			<h2 class="govuk-heading-m">Downloads</h2>
			<p class="govuk-body">The summary: each school’s income, expenditure, in-year balance, reserves and warnings by year, for trustees.</p>
			<Downloads path={`/api/v1/forecasts/${f.id}/summary`} name={`forecast-${f.id}-summary`} what={`the summary of ${f.label}`} />
			<p class="govuk-body">Every line of every year, with how each figure was worked out.</p>
			<Downloads path={`/api/v1/forecasts/${f.id}`} name={`forecast-${f.id}`} what={`every line of ${f.label}`}>
				<a class="govuk-link" href="/trust/forecasts">All runs, and compare</a>
			</Downloads>
			<Overview entities={s.entities} years={s.years} />
			<h2 class="govuk-heading-m">Reserves and in-year balance by school</h2>
			{FIGURES.map((fig) => (
				<div key={fig.key}>
					<LineChart id={`chart-${fig.key}`} title={`${fig.title} by school and year`} years={s.years} series={view.series[fig.key] ?? []}
						marks={DEFICIT_MARKS} />
					<FigureTable id={`table-${fig.key}`} caption={`${fig.title} by school and year (the chart’s figures; ▲ the first year of an in-year deficit)`}
						entities={s.entities} years={s.years} figure={fig.key} marks={view.marks} />
				</div>
			))}
			<div class="govuk-form-group">
				<label class="govuk-label" for="kpi-entity">Key figures for</label>
				<select class="govuk-select" id="kpi-entity" value={kpi?.entity}
					onChange={(e) => setKpiEntity((e.target as HTMLSelectElement).value)}>
					{s.entities.map((e) => <option key={e.entity} value={e.entity}>{entityName(e)}</option>)}
				</select>
			</div>
			{kpi && <EntityFigures entity={kpi} />}
			{kpi && <StaffingByYear entity={kpi} />}
			<ForecastWarnings entities={s.entities.map((e) => ({ urn: e.entity, name: entityName(e) }))} warnings={s.warnings} />
		</Page>
	);
}
