// Forecast.tsx - one forecast run: what it was run with, its warnings, charts of
// closing reserves and in-year balance by school and year (Chart.js, loaded
// with this page only) with the same figures in tables beside them, the
// trust's KPIs, and the run as XLSX or CSV. Every figure is the API's.
import { useRoute } from 'preact-iso';
import { useMemo, useState } from 'preact/hooks';

import { api, must } from '../../api/client';
import { Downloads } from '../../components/Downloads';
import { formatDateTime, humanise } from '../../components/format';
import { formatBp } from '../../components/hundredths';
import { LineChart } from '../../components/LineChart';
import { Money } from '../../components/Money';
import { LoadError, Loading, Page } from '../../components/Page';
import { useLoad } from '../../components/useLoad';
import { ForecastWarnings } from './ForecastWarnings';
import { DEFICIT_MARKS, entitiesOf, FIGURES, FigureTable, firstDeficitYears, seriesOf, yearsOf, type EntityYears, type ForecastYear } from './forecastView';

function Kpis({ entity }: { entity: EntityYears }) {
	const rows: { label: string; cell: (y: ForecastYear) => preact.ComponentChildren }[] = [
		{ label: 'Income', cell: (y) => <Money pence={y.income_pence} whole /> },
		{ label: 'Expenditure', cell: (y) => <Money pence={y.expenditure_pence} whole /> },
		{ label: 'In-year balance', cell: (y) => <Money pence={y.in_year_balance_pence} whole /> },
		{ label: 'Closing reserves', cell: (y) => <Money pence={y.closing_reserves_pence} whole /> },
		{ label: 'Reserves, % of income', cell: (y) => formatBp(y.kpis.reserves_bp) },
		{ label: 'In-year balance, % of income', cell: (y) => formatBp(y.kpis.in_year_balance_bp) },
		{ label: 'Staff costs, % of income', cell: (y) => formatBp(y.kpis.staff_costs_bp) },
		{ label: 'Pupils', cell: (y) => y.pupils ?? '–' },
	];
	return (
		<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby="kpis-caption">
			<table class="govuk-table" id="kpis">
				<caption class="govuk-table__caption govuk-table__caption--m" id="kpis-caption">Key figures: {entity.name}</caption>
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

export default function Forecast() {
	const { params } = useRoute();
	const id = Number.parseInt(params.id ?? '', 10);
	const run = useLoad(() => must(api.GET('/api/v1/forecasts/{id}', { params: { path: { id }, query: { lines: 'false' } } })), [id]);
	const [kpiEntity, setKpiEntity] = useState<string>('trust');
	const view = useMemo(() => {
		if (run.data === undefined)
			return undefined;
		const entities = entitiesOf(run.data);
		const schools = entities.filter((e) => e.urn !== 'trust');
		const years = yearsOf(entities);
		const basis = Object.fromEntries(entities.flatMap((e) => e.years.map((y) => [y.year, y.basis])));
		const marks = firstDeficitYears(run.data);
		return {
			entities, schools, years, basis, marks,
			series: Object.fromEntries(FIGURES.map((f) => [f.key, seriesOf(schools, years, f.key, marks)])),
		};
	}, [run.data]);

	const title = `Forecast run ${Number.isSafeInteger(id) ? id : ''}`;
	if (run.loading)
		return <Page title={title}><Loading /></Page>;
	if (run.data === undefined || view === undefined)
		return <Page title={title}><LoadError error={run.error} /></Page>;
	const f = run.data;
	const kpi = view.entities.find((e) => e.urn === kpiEntity) ?? view.entities[view.entities.length - 1];
	return (
		<Page title={title} caption={`${f.scenario.name}, ${f.base_year} base, ${f.horizon} years`}>
			<dl class="govuk-summary-list">
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Scenario</dt>
					<dd class="govuk-summary-list__value"><a class="govuk-link" href={`/trust/scenarios/${f.scenario.id}`}>{f.scenario.name}</a> (version {f.scenario.version})</dd></div>
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Base year and horizon</dt>
					<dd class="govuk-summary-list__value">{f.base_year}, {f.horizon} years</dd></div>
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Run</dt>
					<dd class="govuk-summary-list__value">{formatDateTime(f.created_at)} by the {humanise(f.run_by.role).toLowerCase()}</dd></div>
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Finance rules</dt>
					<dd class="govuk-summary-list__value">{f.plugins.map((p) => `${p.name} ${p.version}`).join(', ') || 'none'}</dd></div>
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Inputs’ digest</dt>
					<dd class="govuk-summary-list__value"><code class="bursar-secondary">{f.digest}</code></dd></div>
			</dl>
			<Downloads path={`/api/v1/forecasts/${f.id}`} name={`forecast-${f.id}`} what={`forecast run ${f.id}`}>
				<a class="govuk-link" href="/trust/forecasts">All runs, and compare</a>
			</Downloads>
			<ForecastWarnings run={f} />
			<h2 class="govuk-heading-m">Reserves and in-year balance by school</h2>
			{FIGURES.map((fig) => (
				<div key={fig.key}>
					<LineChart id={`chart-${fig.key}`} title={`${fig.title} by school and year`} years={view.years} series={view.series[fig.key] ?? []}
						marks={DEFICIT_MARKS} />
					<FigureTable id={`table-${fig.key}`} caption={`${fig.title} by school and year (the chart’s figures; ▲ the first year of an in-year deficit)`}
						entities={view.entities} years={view.years} figure={fig.key} basis={view.basis} marks={view.marks} />
				</div>
			))}
			<div class="govuk-form-group">
				<label class="govuk-label" for="kpi-entity">Key figures for</label>
				<select class="govuk-select" id="kpi-entity" value={kpi?.urn}
					onChange={(e) => setKpiEntity((e.target as HTMLSelectElement).value)}>
					{view.entities.map((e) => <option key={e.urn} value={e.urn}>{e.name}</option>)}
				</select>
			</div>
			{kpi && <Kpis entity={kpi} />}
		</Page>
	);
}
