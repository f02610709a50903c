// Forecasts.tsx - forecast runs: the finance director runs one (a scenario, and
// optionally another base year, horizon or some schools only); everyone who
// may read runs lists them, opens one, or picks two to six to compare.
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';

import { api, must } from '../../api/client';
import { ApiError, describeError } from '../../api/problem';
import type { Schemas } from '../../api/types';
import { ErrorSummary, summaryOf, type SummaryError } from '../../components/ErrorSummary';
import { formatDateTime, humanise } from '../../components/format';
import { Pager, useCursor } from '../../components/Pager';
import { LoadError, Loading, Page } from '../../components/Page';
import { useMe } from '../../components/session';
import { useLoad } from '../../components/useLoad';
import { MAX_COMPARE } from './forecastView';

type Run = Schemas['ForecastSummary'];

const FIELDS: Record<string, string> = { '/scenario': 'run-scenario', '/base_year': 'run-base-year', '/horizon': 'run-horizon', '/entities': 'run-schools' };
const LABELS: Record<string, string> = { '/scenario': 'Scenario', '/base_year': 'Base year', '/horizon': 'Horizon', '/entities': 'Schools' };

function RunForm({ preset }: { preset: number | undefined }) {
	const { route } = useLocation();
	const scenarios = useLoad(() => must(api.GET('/api/v1/scenarios', { params: { query: { limit: 200 } } })), []);
	const schools = useLoad(() => must(api.GET('/api/v1/schools', { params: { query: { limit: 200 } } })), []);
	const [scenario, setScenario] = useState<string>(preset !== undefined ? String(preset) : '');
	const [baseYear, setBaseYear] = useState('');
	const [horizon, setHorizon] = useState('');
	const [some, setSome] = useState(false);
	const [chosen, setChosen] = useState<string[]>([]);
	const [errors, setErrors] = useState<{ field: string; message: string }[]>([]);
	const [summary, setSummary] = useState<SummaryError[]>([]);
	const [busy, setBusy] = useState(false);

	const show = (errs: { field: string; message: string }[]) => {
		setErrors(errs);
		setSummary(summaryOf(errs, FIELDS, LABELS));
	};
	const errorOf = (f: string) => errors.find((e) => e.field === f || e.field.startsWith(`${f}/`))?.message;
	const run = async (e: Event) => {
		e.preventDefault();
		const local: { field: string; message: string }[] = [];
		if (scenario === '')
			local.push({ field: '/scenario', message: 'Choose a scenario' });
		if (baseYear.trim() !== '' && !/^\d{4}-\d{2}$/.test(baseYear.trim()))
			local.push({ field: '/base_year', message: 'Enter the base year like 2026-27, or leave it empty' });
		if (horizon.trim() !== '' && !/^\d{1,2}$/.test(horizon.trim()))
			local.push({ field: '/horizon', message: 'Enter a whole number of years from 1 to 10, or leave it empty' });
		if (some && chosen.length === 0)
			local.push({ field: '/entities', message: 'Choose at least one school' });
		if (local.length > 0) {
			show(local);
			return;
		}
		setBusy(true);
		try {
			const r = await must(api.POST('/api/v1/forecasts', {
				body: {
					scenario: Number.parseInt(scenario, 10),
					...(baseYear.trim() !== '' ? { base_year: baseYear.trim() } : {}),
					...(horizon.trim() !== '' ? { horizon: Number.parseInt(horizon.trim(), 10) } : {}),
					...(some ? { entities: chosen } : {}),
				},
			}));
			route(`/trust/forecasts/${r.id}`);
		} catch (err) {
			if (err instanceof ApiError && err.fieldErrors.length > 0)
				show(err.fieldErrors);
			else {
				setErrors([]);
				setSummary([{ text: describeError(err) }]);
			}
		} finally {
			setBusy(false);
		}
	};
	const group = (f: string, children: preact.ComponentChildren) => (
		<div class={`govuk-form-group${errorOf(f) ? ' govuk-form-group--error' : ''}`}>{children}</div>
	);
	const err = (f: string) => errorOf(f) && (
		<p class="govuk-error-message" id={`${FIELDS[f]}-error`}><span class="govuk-visually-hidden">Error:</span> {errorOf(f)}</p>
	);
	const live = (scenarios.data?.items ?? []).filter((s) => !s.deleted);
	const schoolList = (schools.data?.items ?? []).filter((s) => s.kind === 'school');
	return (
		<form onSubmit={run} noValidate class="govuk-!-margin-bottom-8">
			<h2 class="govuk-heading-m">Run a forecast</h2>
			<ErrorSummary errors={summary} />
			{group('/scenario', <>
				<label class="govuk-label" for="run-scenario">Scenario</label>
				{err('/scenario')}
				<select class={`govuk-select${errorOf('/scenario') ? ' govuk-select--error' : ''}`} id="run-scenario" value={scenario}
					aria-describedby={errorOf('/scenario') ? 'run-scenario-error' : undefined}
					onChange={(e) => setScenario((e.target as HTMLSelectElement).value)}>
					<option value="">Choose a scenario</option>
					{live.map((s) => <option key={s.id} value={String(s.id)}>{s.name} ({s.base_year}, {s.horizon} years)</option>)}
				</select>
			</>)}
			<details class="govuk-details">
				<summary class="govuk-details__summary"><span class="govuk-details__summary-text">Another base year, horizon or only some schools</span></summary>
				<div class="govuk-details__text">
					{group('/base_year', <>
						<label class="govuk-label" for="run-base-year">Base year</label>
						<div class="govuk-hint" id="run-base-year-hint">Empty: the scenario’s</div>
						{err('/base_year')}
						<input class={`govuk-input govuk-input--width-5${errorOf('/base_year') ? ' govuk-input--error' : ''}`} id="run-base-year" value={baseYear}
							aria-describedby={`run-base-year-hint${errorOf('/base_year') ? ' run-base-year-error' : ''}`}
							onInput={(e) => setBaseYear((e.target as HTMLInputElement).value)} />
					</>)}
					{group('/horizon', <>
						<label class="govuk-label" for="run-horizon">Horizon (years)</label>
						<div class="govuk-hint" id="run-horizon-hint">Empty: the scenario’s</div>
						{err('/horizon')}
						<input class={`govuk-input govuk-input--width-2${errorOf('/horizon') ? ' govuk-input--error' : ''}`} id="run-horizon" value={horizon}
							inputMode="numeric" aria-describedby={`run-horizon-hint${errorOf('/horizon') ? ' run-horizon-error' : ''}`}
							onInput={(e) => setHorizon((e.target as HTMLInputElement).value)} />
					</>)}
					{group('/entities', <>
						<div class="govuk-checkboxes govuk-checkboxes--small">
							<div class="govuk-checkboxes__item">
								<input class="govuk-checkboxes__input" id="run-some" type="checkbox" checked={some}
									onChange={(e) => setSome((e.target as HTMLInputElement).checked)} />
								<label class="govuk-label govuk-checkboxes__label" for="run-some">Only some schools (the central team is always included)</label>
							</div>
						</div>
						{some && (
							<fieldset class="govuk-fieldset" id="run-schools" tabIndex={-1}
								aria-describedby={errorOf('/entities') ? 'run-schools-error' : undefined}>
								<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Schools</legend>
								{err('/entities')}
								<div class="govuk-checkboxes govuk-checkboxes--small">
									{schoolList.map((s) => (
										<div class="govuk-checkboxes__item" key={s.urn}>
											<input class="govuk-checkboxes__input" id={`run-school-${s.urn}`} type="checkbox" checked={chosen.includes(s.urn)}
												onChange={(e) => setChosen((e.target as HTMLInputElement).checked ? [...chosen, s.urn] : chosen.filter((u) => u !== s.urn))} />
											<label class="govuk-label govuk-checkboxes__label" for={`run-school-${s.urn}`}>{s.name}</label>
										</div>
									))}
								</div>
							</fieldset>
						)}
					</>)}
				</div>
			</details>
			<button type="submit" class="govuk-button" disabled={busy}>{busy ? 'Running…' : 'Run forecast'}</button>
		</form>
	);
}

export default function Forecasts() {
	const me = useMe();
	const { query, route } = useLocation();
	const scenarioFilter = Number.parseInt(query.scenario ?? '', 10);
	const cursor = useCursor();
	const list = useLoad(() => must(api.GET('/api/v1/forecasts', {
		params: { query: { limit: 50, ...(cursor.after !== undefined ? { after: cursor.after } : {}) } },
	})), [cursor.after]);
	const [picked, setPicked] = useState<number[]>([]);
	const [compareError, setCompareError] = useState<SummaryError[]>([]);

	const compare = (e: Event) => {
		e.preventDefault();
		if (picked.length < 2 || picked.length > MAX_COMPARE) {
			setCompareError([{ text: `Choose from 2 to ${MAX_COMPARE} runs to compare`, href: '#runs' }]);
			return;
		}
		route(`/trust/forecasts/compare?runs=${picked.join(',')}`);
	};
	const rows: Run[] = list.data?.items ?? [];
	return (
		<Page title="Forecasts">
			<p class="govuk-body">A forecast runs every school’s budget forward under a <a class="govuk-link" href="/trust/scenarios">scenario</a>.</p>
			{me.role === 'finance_director' && <RunForm preset={Number.isSafeInteger(scenarioFilter) ? scenarioFilter : undefined} />}
			<h2 class="govuk-heading-m">Runs</h2>
			{list.loading && <Loading />}
			{list.error !== undefined && <LoadError error={list.error} />}
			{list.data && (rows.length === 0 ? <p class="govuk-body">No forecast has been run yet.</p> : (
				<form onSubmit={compare}>
					<ErrorSummary errors={compareError} />
					<table class="govuk-table" id="runs" tabIndex={-1}>
						<caption class="govuk-table__caption govuk-table__caption--s">Forecast runs: tick 2 to {MAX_COMPARE} to compare them</caption>
						<thead class="govuk-table__head"><tr class="govuk-table__row">
							<th scope="col" class="govuk-table__header">Compare</th>
							<th scope="col" class="govuk-table__header">Run</th>
							<th scope="col" class="govuk-table__header">Scenario</th>
							<th scope="col" class="govuk-table__header">Base year</th>
							<th scope="col" class="govuk-table__header govuk-table__header--numeric">Horizon</th>
							<th scope="col" class="govuk-table__header">Run by</th>
							<th scope="col" class="govuk-table__header">When</th>
						</tr></thead>
						<tbody class="govuk-table__body">
							{rows.map((r) => (
								<tr class="govuk-table__row" key={r.id}>
									<td class="govuk-table__cell">
										<div class="govuk-checkboxes govuk-checkboxes--small">
											<div class="govuk-checkboxes__item">
												<input class="govuk-checkboxes__input" type="checkbox" id={`cmp-${r.id}`} checked={picked.includes(r.id)}
													onChange={(e) => setPicked((e.target as HTMLInputElement).checked ? [...picked, r.id] : picked.filter((p) => p !== r.id))} />
												<label class="govuk-label govuk-checkboxes__label" for={`cmp-${r.id}`}><span class="govuk-visually-hidden">Compare run {r.id}</span></label>
											</div>
										</div>
									</td>
									<td class="govuk-table__cell"><a class="govuk-link" href={`/trust/forecasts/${r.id}`}>Run {r.id}</a></td>
									<td class="govuk-table__cell">{r.scenario_name} <span class="bursar-secondary">v{r.scenario_version}</span></td>
									<td class="govuk-table__cell">{r.base_year}</td>
									<td class="govuk-table__cell govuk-table__cell--numeric">{r.horizon} years</td>
									<td class="govuk-table__cell">{humanise(r.run_by_role)}</td>
									<td class="govuk-table__cell">{formatDateTime(r.created_at)}</td>
								</tr>
							))}
						</tbody>
					</table>
					<Pager cursor={cursor} next={list.data.next} />
					<button type="submit" class="govuk-button govuk-button--secondary">Compare chosen runs</button>
				</form>
			))}
		</Page>
	);
}
