// ForecastCompare.tsx - two to six forecast runs side by side
// (?runs=12,15,...; GET /api/v1/forecasts/compare?runs=): the trust's closing
// reserves by run on one chart, a chosen school's (or the central team's) on
// another, the chosen entity's closing reserves and in-year balance in tables
// with each run's difference from the first, and the comparison as XLSX or
// CSV. The figures and differences are the API's; a business manager's
// comparison holds her schools only (no trust), as the API answers it.
import { useLocation } from 'preact-iso';
import { useMemo, useState } from 'preact/hooks';

import { api, must } from '../../api/client';
import type { paths } from '../../api/schema';
import { Downloads } from '../../components/Downloads';
import { LineChart, type LineSeries } from '../../components/LineChart';
import { Money } from '../../components/Money';
import { LoadError, Loading, Page } from '../../components/Page';
import { StatusTag } from '../../components/StatusTag';
import { useLoad } from '../../components/useLoad';
import { FIGURES, MAX_COMPARE, type Figure, type RunHead } from './forecastView';

type Comparison = paths['/api/v1/forecasts/compare']['get']['responses'][200]['content']['application/json'];
type Item = Comparison['items'][number];

export function runLabel(h: RunHead): string {
	return `${h.label} (run ${h.id})`;
}

const TRUST = 'trust';

function seriesFor(runs: RunHead[], rows: Item[], figure: Figure): LineSeries[] {
	return runs.map((h, i) => ({ label: runLabel(h), values: rows.map((r) => r.values[i]?.[figure] ?? null) }));
}

export default function ForecastCompare() {
	const { query } = useLocation();
	const ids = (query.runs ?? '').split(',').map((s) => Number.parseInt(s, 10)).filter((n) => Number.isSafeInteger(n) && n > 0);
	const valid = ids.length >= 2 && ids.length <= MAX_COMPARE && new Set(ids).size === ids.length;
	const key = ids.join(',');
	const data = useLoad(async () => (valid
		? must(api.GET('/api/v1/forecasts/compare', { params: { query: { runs: key } } }))
		: undefined), [key]);
	const [chosen, setChosen] = useState<string | null>(null);

	const names = useMemo(() => {
		const out = new Map<string, string>();
		for (const it of data.data?.items ?? [])
			if (!out.has(it.entity))
				out.set(it.entity, it.entity === TRUST ? 'The trust (consolidated)' : it.name);
		return out;
	}, [data.data]);
	const schools = [...names.keys()].filter((u) => u !== TRUST);
	const entity = chosen !== null && names.has(chosen) ? chosen : schools[0] ?? '';
	const rowsOf = (u: string) => (data.data?.items ?? []).filter((r) => r.entity === u).sort((a, b) => a.year.localeCompare(b.year));
	const rows = useMemo(() => rowsOf(entity), [data.data, entity]);
	const trustRows = useMemo(() => rowsOf(TRUST), [data.data]);

	const title = 'Compare forecast runs';
	if (!valid)
		return (
			<Page title={title}>
				<p class="govuk-body">Choose from 2 to {MAX_COMPARE} different runs on the <a class="govuk-link" href="/trust/forecasts">forecast runs</a> page.</p>
			</Page>
		);
	if (data.loading && data.data === undefined)
		return <Page title={title}><Loading /></Page>;
	if (data.data === undefined)
		return <Page title={title}><LoadError error={data.error} /></Page>;
	const { runs } = data.data;
	const nameOf = (u: string) => names.get(u) ?? u;
	const table = (id: string, rows: Item[], figure: Figure, figureTitle: string, who: string) => (
		<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby={`${id}-caption`}>
			<table class="govuk-table" id={id}>
				<caption class="govuk-table__caption govuk-table__caption--s" id={`${id}-caption`}>
					{figureTitle}: {who} (under each figure, the difference from {runs[0] ? runLabel(runs[0]) : 'the first run'}, signed)</caption>
				<thead class="govuk-table__head"><tr class="govuk-table__row">
					<th scope="col" class="govuk-table__header">Year</th>
					{runs.map((h) => <th scope="col" class="govuk-table__header govuk-table__header--numeric" key={h.id}>{runLabel(h)}</th>)}
				</tr></thead>
				<tbody class="govuk-table__body">
					{rows.map((r) => (
						<tr class="govuk-table__row" key={r.year} data-year={r.year}>
							<th scope="row" class="govuk-table__header">{r.year}</th>
							{runs.map((h, i) => {
								const v = r.values[i]?.[figure];
								const d = r.diff[i]?.[figure];
								return (
									<td class="govuk-table__cell govuk-table__cell--numeric bursar-num" key={h.id} data-run={h.id} data-pence={v ?? ''}>
										<Money pence={v} />
										{i > 0 && d !== undefined && <><br /><span class="bursar-secondary">{d !== null && d > 0 ? '+' : ''}<Money pence={d} /></span></>}
									</td>
								);
							})}
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
	return (
		<Page title={title} caption={runs.map((h) => h.label).join(', ')}>
			<dl class="govuk-summary-list">
				{runs.map((h) => (
					<div class="govuk-summary-list__row" key={h.id}>
						<dt class="govuk-summary-list__key"><a class="govuk-link" href={`/trust/forecasts/${h.id}`}>{runLabel(h)}</a></dt>
						<dd class="govuk-summary-list__value"><StatusTag status={h.status} /> {h.scenario.name} (version {h.scenario.version}), {h.base_year} base, {h.horizon} years</dd>
					</div>
				))}
			</dl>
			<Downloads path={`/api/v1/forecasts/compare?runs=${key}`} name={`forecast-compare-${ids.join('-')}`} what="the comparison">
				<a class="govuk-link" href="/trust/forecasts">All runs</a>
			</Downloads>
			{trustRows.length > 0 && <>
				<LineChart id="cmp-chart-trust" title="Closing reserves: the trust (consolidated), by run and year"
					years={trustRows.map((r) => r.year)} series={seriesFor(runs, trustRows, 'closing_reserves_pence')} />
				{table('cmp-trust', trustRows, 'closing_reserves_pence', 'Closing reserves', nameOf(TRUST))}
			</>}
			<div class="govuk-form-group">
				<label class="govuk-label govuk-label--s" for="cmp-entity">School</label>
				<select class="govuk-select" id="cmp-entity" value={entity} onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}>
					{schools.map((u) => <option key={u} value={u}>{nameOf(u)}</option>)}
				</select>
			</div>
			<LineChart id="cmp-chart-closing_reserves_pence" title={`Closing reserves: ${nameOf(entity)}, by run and year`}
				years={rows.map((r) => r.year)} series={seriesFor(runs, rows, 'closing_reserves_pence')} />
			{FIGURES.map((f) => <div key={f.key}>{table(`cmp-${f.key}`, rows, f.key, f.title, nameOf(entity))}</div>)}
		</Page>
	);
}
