// ForecastCompare.tsx - two to six forecast runs side by side
// (?runs=12,15,...): for one school (or the central team, or the trust) their
// closing reserves and in-year balance by year on one chart each, a line per
// run, and in tables with each run's difference from the first, all from one
// GET /api/v1/forecasts/compare?runs= (the figures and differences are the API's).
import { useLocation } from 'preact-iso';
import { useMemo, useState } from 'preact/hooks';

import { api, must } from '../../api/client';
import type { Schemas } from '../../api/types';
import { LineChart, type LineSeries } from '../../components/LineChart';
import { Money } from '../../components/Money';
import { LoadError, Loading, Page } from '../../components/Page';
import { useLoad } from '../../components/useLoad';
import { FIGURES, MAX_COMPARE, type Figure } from './forecastView';

type Comparison = Schemas['ForecastComparison'];
type Head = Schemas['ForecastHead'];
type Item = Comparison['items'][number];

interface Row {
	entity: string;
	year: string;
	values: Item['values'];
	/* the API's diff of run i from the first (null for the first) */
	diffs: Item['diff'];
}

function merge(c: Comparison): { heads: Head[]; rows: Row[] } {
	return { heads: c.runs, rows: c.items.map((it) => ({ entity: it.entity, year: it.year, values: it.values, diffs: it.diff })) };
}

export function runLabel(h: Head): string {
	return `Run ${h.id} (${h.scenario.name})`;
}

export default function ForecastCompare() {
	const { query } = useLocation();
	const ids = (query.runs ?? '').split(',').map((s) => Number.parseInt(s, 10)).filter((n) => Number.isSafeInteger(n) && n > 0);
	const valid = ids.length >= 2 && ids.length <= MAX_COMPARE && new Set(ids).size === ids.length;
	const key = ids.join(',');
	const data = useLoad(async () => {
		if (!valid)
			return undefined;
		return merge(await must(api.GET('/api/v1/forecasts/compare', { params: { query: { runs: key } } })));
	}, [key]);
	const schools = useLoad(() => must(api.GET('/api/v1/schools', { params: { query: { limit: 200 } } })), []);
	const [chosen, setChosen] = useState<string | null>(null);

	const entities = useMemo(() => [...new Set((data.data?.rows ?? []).map((r) => r.entity))], [data.data]);
	const entity = chosen ?? (entities.includes('trust') ? 'trust' : entities[0] ?? '');
	const rows = useMemo(() => (data.data?.rows ?? []).filter((r) => r.entity === entity).sort((a, b) => a.year.localeCompare(b.year)), [data.data, entity]);
	const series = useMemo(() => {
		const out: Record<string, LineSeries[]> = {};
		for (const f of FIGURES)
			out[f.key] = (data.data?.heads ?? []).map((h, i) => ({ label: runLabel(h), values: rows.map((r) => r.values[i]?.[f.key] ?? null) }));
		return out;
	}, [data.data, rows]);
	const years = useMemo(() => rows.map((r) => r.year), [rows]);

	if (!valid)
		return (
			<Page title="Compare forecast runs">
				<p class="govuk-body">Choose from 2 to {MAX_COMPARE} different runs on the <a class="govuk-link" href="/trust/forecasts">forecast runs</a> page.</p>
			</Page>
		);
	if (data.loading)
		return <Page title="Compare forecast runs"><Loading /></Page>;
	if (data.data === undefined)
		return <Page title="Compare forecast runs"><LoadError error={data.error} /></Page>;
	const { heads } = data.data;
	const names: Record<string, string> = Object.fromEntries((schools.data?.items ?? []).map((s) => [s.urn, s.name]));
	names.trust = 'The trust (consolidated)';
	const nameOf = (u: string) => names[u] ?? u;
	const table = (figure: Figure, title: string) => (
		<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby={`cmp-${figure}-caption`}>
			<table class="govuk-table" id={`cmp-${figure}`}>
				<caption class="govuk-table__caption govuk-table__caption--s" id={`cmp-${figure}-caption`}>
					{title}: {nameOf(entity)} (the chart’s figures; in brackets the difference from run {heads[0]?.id})</caption>
				<thead class="govuk-table__head"><tr class="govuk-table__row">
					<th scope="col" class="govuk-table__header">Year</th>
					{heads.map((h) => <th scope="col" class="govuk-table__header govuk-table__header--numeric" key={h.id}>{runLabel(h)}</th>)}
				</tr></thead>
				<tbody class="govuk-table__body">
					{rows.map((r) => (
						<tr class="govuk-table__row" key={r.year} data-year={r.year}>
							<th scope="row" class="govuk-table__header">{r.year}</th>
							{heads.map((h, i) => {
								const v = r.values[i]?.[figure];
								const d = r.diffs[i]?.[figure];
								return (
									<td class="govuk-table__cell govuk-table__cell--numeric bursar-num" key={h.id} data-run={h.id} data-pence={v ?? ''}>
										<Money pence={v} />
										{i > 0 && d !== undefined && <><br /><span class="bursar-secondary">(<Money pence={d} />)</span></>}
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
		<Page title="Compare forecast runs" caption={heads.map((h) => `run ${h.id}`).join(', ')}>
			<dl class="govuk-summary-list">
				{heads.map((h) => (
					<div class="govuk-summary-list__row" key={h.id}>
						<dt class="govuk-summary-list__key"><a class="govuk-link" href={`/trust/forecasts/${h.id}`}>Run {h.id}</a></dt>
						<dd class="govuk-summary-list__value">{h.scenario.name} (version {h.scenario.version}), {h.base_year} base, {h.horizon} years</dd>
					</div>
				))}
			</dl>
			<div class="govuk-form-group">
				<label class="govuk-label govuk-label--s" for="cmp-entity">Show</label>
				<select class="govuk-select" id="cmp-entity" value={entity} onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}>
					{entities.map((u) => <option key={u} value={u}>{nameOf(u)}</option>)}
				</select>
			</div>
			{FIGURES.map((f) => (
				<div key={f.key}>
					<LineChart id={`cmp-chart-${f.key}`} title={`${f.title}: ${nameOf(entity)}, by run and year`} years={years} series={series[f.key] ?? []} />
					{table(f.key, f.title)}
				</div>
			))}
		</Page>
	);
}
