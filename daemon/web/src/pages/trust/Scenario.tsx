// Scenario.tsx - one scenario: its what-ifs by forecast year as the API holds
// them (a year left empty repeats the one before), its pupil and place
// projections, what its runs use instead of live data (finance models, plugin
// settings, management actions); the finance director edits it (If-Match: its
// version), edits those overrides and actions, makes a what-if copy, copies
// it, runs a forecast under it, or deletes it. Auditors read.
import { useLocation, useRoute } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';

import { api, must } from '../../api/client';
import { describeError } from '../../api/problem';
import { ErrorSummary } from '../../components/ErrorSummary';
import { formatDateTime } from '../../components/format';
import { formatBp } from '../../components/hundredths';
import { Money } from '../../components/Money';
import { LoadError, Loading, Page } from '../../components/Page';
import { useMe } from '../../components/session';
import { useLoad } from '../../components/useLoad';
import { ScenarioForm } from './ScenarioForm';
import { ScenarioOverridesForm } from './ScenarioOverridesForm';
import { Overrides, WhatIf } from './ScenarioWhatIf';
import { BASE, formFrom, forecastYears, SERIES, yearsNamed, type Scenario as S, type ScenarioWrite } from './scenarioModel';

function Value({ v, unit }: { v: number | undefined; unit: 'bp' | 'pence' }) {
	if (v === undefined)
		return <span class="bursar-secondary">as before</span>;
	return unit === 'bp' ? <>{formatBp(v)}</> : <Money pence={v} />;
}

function Projections({ title, data, years, names }: { title: string; data: Record<string, Record<string, number>>; years: string[]; names: Record<string, string> }) {
	const urns = Object.keys(data);
	if (urns.length === 0)
		return <p class="govuk-body">No {title.toLowerCase()}: each school’s last census is carried forward.</p>;
	return (
		<div class="bursar-scroll" tabIndex={0} role="region" aria-label={title}>
			<table class="govuk-table">
				<caption class="govuk-table__caption govuk-table__caption--s">{title}</caption>
				<thead class="govuk-table__head"><tr class="govuk-table__row">
					<th scope="col" class="govuk-table__header">School</th>
					{years.map((y) => <th scope="col" class="govuk-table__header govuk-table__header--numeric" key={y}>{y}</th>)}
				</tr></thead>
				<tbody class="govuk-table__body">
					{urns.map((u) => (
						<tr class="govuk-table__row" key={u}>
							<th scope="row" class="govuk-table__header">{names[u] ?? u}</th>
							{years.map((y) => <td class="govuk-table__cell govuk-table__cell--numeric" key={y}>
								{data[u]?.[y] !== undefined ? data[u][y] : <span class="bursar-secondary">as before</span>}</td>)}
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}

export default function Scenario() {
	const me = useMe();
	const { params } = useRoute();
	const { query, route } = useLocation();
	const id = Number.parseInt(params.id ?? '', 10);
	const [reload, setReload] = useState(0);
	const [mode, setMode] = useState<'view' | 'edit' | 'delete' | 'whatif' | 'overrides'>('view');
	const [banner, setBanner] = useState<string | null>(query.created ? 'The scenario was added.' : null);
	const [deleteError, setDeleteError] = useState<string | null>(null);
	/* the router keeps this page mounted from one scenario to another (a what-if opens its copy) */
	useEffect(() => {
		setMode('view');
		setBanner(query.created ? 'The scenario was added.' : null);
	}, [id]);
	const s = useLoad(() => must(api.GET('/api/v1/scenarios/{id}', { params: { path: { id } } })), [id, reload]);
	const schools = useLoad(() => must(api.GET('/api/v1/schools', { params: { query: { limit: 200 } } })), []);
	const plugins = useLoad(() => must(api.GET('/api/v1/plugins')), []);
	const fd = me.role === 'finance_director';

	if (s.loading && s.data === undefined)
		return <Page title="Scenario"><Loading /></Page>;
	if (s.data === undefined)
		return <Page title="Scenario"><LoadError error={s.error} /></Page>;
	const sc: S = s.data;
	const names = Object.fromEntries((schools.data?.items ?? []).map((x) => [x.urn, x.name]));
	const a = sc.assumptions;
	const inflation = a.inflation_bp as Record<string, Record<string, number>>;
	const projYears = [...new Set([...Object.values(sc.pupils), ...Object.values(sc.places)].flatMap((o) => Object.keys(o)))];
	const years = forecastYears(sc.base_year, sc.horizon, [...yearsNamed(a), ...projYears]);

	const schoolList = (schools.data?.items ?? []).filter((x) => x.kind === 'school');
	const save = async (body: ScenarioWrite, said = 'The scenario was saved.') => {
		await must(api.PUT('/api/v1/scenarios/{id}', { params: { path: { id }, header: { 'If-Match': `"${sc.version}"` } }, body }));
		setMode('view');
		setBanner(said);
		setReload((n) => n + 1);
	};
	const remove = async () => {
		try {
			await must(api.DELETE('/api/v1/scenarios/{id}', { params: { path: { id }, header: { 'If-Match': `"${sc.version}"` } } }).then((r) => ({ ...r, data: r.data ?? {} })));
			route('/trust/scenarios');
		} catch (e) {
			setDeleteError(describeError(e));
		}
	};

	if (mode === 'edit')
		return (
			<Page title={`Edit ${sc.name}`} caption="Scenario">
				<ScenarioForm initial={formFrom(sc)} keep={sc} submitLabel="Save changes" onSubmit={save} onCancel={() => setMode('view')} />
			</Page>
		);
	return (
		<Page title={sc.name} caption="Scenario">
			{banner && (
				<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="banner-title">
					<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="banner-title">Success</h2></div>
					<div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">{banner}</p></div>
				</div>
			)}
			{mode === 'delete' && (
				<div class="govuk-inset-text">
					{deleteError && <ErrorSummary errors={[{ text: deleteError }]} />}
					<p class="govuk-body">Delete the scenario {sc.name}? Its forecast runs are kept.</p>
					<div class="govuk-button-group">
						<button type="button" class="govuk-button govuk-button--warning" onClick={remove}>Yes, delete it</button>
						<button type="button" class="govuk-button govuk-button--secondary" onClick={() => setMode('view')}>No, keep it</button>
					</div>
				</div>
			)}
			<p class="govuk-body">{sc.description}</p>
			<dl class="govuk-summary-list">
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Base year</dt><dd class="govuk-summary-list__value">{sc.base_year}</dd></div>
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Horizon</dt><dd class="govuk-summary-list__value">{sc.horizon} years</dd></div>
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Version</dt><dd class="govuk-summary-list__value">{sc.version}, changed {formatDateTime(sc.updated_at)}</dd></div>
			</dl>
			{fd && mode === 'view' && (
				<div class="govuk-button-group">
					<a class="govuk-button" role="button" draggable={false} href={`/trust/forecasts?scenario=${sc.id}`}>Run a forecast</a>
					<button type="button" class="govuk-button govuk-button--secondary" onClick={() => { setBanner(null); setMode('edit'); }}>Edit</button>
					<button type="button" class="govuk-button govuk-button--secondary" onClick={() => { setBanner(null); setMode('whatif'); }}>What if…</button>
					<a class="govuk-button govuk-button--secondary" role="button" draggable={false} href={`/trust/scenarios/new?copy=${sc.id}`}>Copy</a>
					<button type="button" class="govuk-button govuk-button--warning" onClick={() => setMode('delete')}>Delete</button>
				</div>
			)}
			{fd && mode === 'whatif' && (
				<WhatIf sc={sc} schools={schoolList} plugins={plugins.data?.items ?? []} onCancel={() => setMode('view')} />
			)}
			<h2 class="govuk-heading-m">What-ifs by year</h2>
			<div class="bursar-scroll" tabIndex={0} role="region" aria-label="What-ifs by year">
				<table class="govuk-table">
					<caption class="govuk-visually-hidden">What-ifs by forecast year</caption>
					<thead class="govuk-table__head"><tr class="govuk-table__row">
						<th scope="col" class="govuk-table__header">Assumption</th>
						{years.map((y) => <th scope="col" class="govuk-table__header govuk-table__header--numeric" key={y}>{y}</th>)}
					</tr></thead>
					<tbody class="govuk-table__body">
						{SERIES.map((d) => (
							<tr class="govuk-table__row" key={d.key}>
								<th scope="row" class="govuk-table__header">{d.label}</th>
								{years.map((y) => <td class="govuk-table__cell govuk-table__cell--numeric" key={y}>
									<Value v={(a[d.key] as Record<string, number>)[y]} unit={d.unit} /></td>)}
							</tr>
						))}
						{Object.entries(inflation).map(([idx, series]) => (
							<tr class="govuk-table__row" key={idx}>
								<th scope="row" class="govuk-table__header">Inflation: {idx}</th>
								{years.map((y) => <td class="govuk-table__cell govuk-table__cell--numeric" key={y}><Value v={series[y]} unit="bp" /></td>)}
							</tr>
						))}
					</tbody>
				</table>
			</div>
			<dl class="govuk-summary-list">
				{BASE.map((b) => (
					<div class="govuk-summary-list__row" key={b.key}>
						<dt class="govuk-summary-list__key">{b.label}</dt>
						<dd class="govuk-summary-list__value">{formatBp(a[b.key])}</dd>
					</div>
				))}
			</dl>
			{fd && mode === 'overrides'
				? <ScenarioOverridesForm sc={sc} schools={schoolList} plugins={plugins.data?.items ?? []}
					onSave={(body) => save(body, 'The overrides and management actions were saved.')} onCancel={() => setMode('view')} />
				: <Overrides sc={sc} names={names} onEdit={fd && mode === 'view' ? () => { setBanner(null); setMode('overrides'); } : undefined} />}
			<h2 class="govuk-heading-m">Pupil and place projections</h2>
			<Projections title="Pupils" data={sc.pupils} years={years} names={names} />
			<Projections title="Places" data={sc.places} years={years} names={names} />
		</Page>
	);
}
