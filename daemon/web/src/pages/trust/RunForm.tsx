// RunForm.tsx - the finance director runs a forecast: the scenario by name, a
// label (empty: the API's, the scenario's name and the day) and notes, and
// optionally another base year, horizon or some schools only. The new run is a
// draft; the page goes to it.
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';

import { api, must } from '../../api/client';
import { ApiError, describeError } from '../../api/problem';
import { ErrorSummary, summaryOf, type SummaryError } from '../../components/ErrorSummary';
import { useLoad } from '../../components/useLoad';

const FIELDS: Record<string, string> = { '/scenario': 'run-scenario', '/label': 'run-label', '/notes': 'run-notes', '/base_year': 'run-base-year', '/horizon': 'run-horizon', '/entities': 'run-schools' };
const LABELS: Record<string, string> = { '/scenario': 'Scenario', '/label': 'Label', '/notes': 'Notes', '/base_year': 'Base year', '/horizon': 'Horizon', '/entities': 'Schools' };

export function RunForm({ preset }: { preset: number | undefined }) {
	const { route } = useLocation();
	const scenarios = useLoad(() => must(api.GET('/api/v1/scenarios', { params: { query: { limit: 200 } } })), []);
	const schools = useLoad(() => must(api.GET('/api/v1/schools', { params: { query: { limit: 200 } } })), []);
	/* the scenario's name ('' until chosen; ?scenario=<id> chooses it once the list is here) */
	const [scenario, setScenario] = useState<string | undefined>(undefined);
	const [label, setLabel] = useState('');
	const [notes, setNotes] = useState('');
	const [baseYear, setBaseYear] = useState('');
	const [horizon, setHorizon] = useState('');
	const [some, setSome] = useState(false);
	const [chosen, setChosen] = useState<string[]>([]);
	const [errors, setErrors] = useState<{ field: string; message: string }[]>([]);
	const [summary, setSummary] = useState<SummaryError[]>([]);
	const [busy, setBusy] = useState(false);

	const liveNames = (scenarios.data?.items ?? []).filter((s) => !s.deleted);
	const chosenScenario = scenario ?? liveNames.find((s) => s.id === preset)?.name ?? '';
	const show = (errs: { field: string; message: string }[]) => {
		setErrors(errs);
		setSummary(summaryOf(errs, FIELDS, LABELS));
	};
	const errorOf = (f: string) => errors.find((e) => e.field === f || e.field.startsWith(`${f}/`))?.message;
	const run = async (e: Event) => {
		e.preventDefault();
		const local: { field: string; message: string }[] = [];
		if (chosenScenario === '')
			local.push({ field: '/scenario', message: 'Choose a scenario' });
		if (baseYear.trim() !== '' && !/^\d{4}-\d{2}$/.test(baseYear.trim()))
			local.push({ field: '/base_year', message: 'Enter the base year like 2026-27, or leave it empty' });
		if (label.length > 100)
			local.push({ field: '/label', message: 'Label must be 100 characters or fewer' });
		if (notes.length > 2000)
			local.push({ field: '/notes', message: 'Notes must be 2,000 characters or fewer' });
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
					scenario: chosenScenario,
					...(label.trim() !== '' ? { label: label.trim() } : {}),
					...(notes.trim() !== '' ? { notes: notes.trim() } : {}),
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
	const live = liveNames;
	const schoolList = (schools.data?.items ?? []).filter((s) => s.kind === 'school');
	return (
		<form onSubmit={run} noValidate class="govuk-!-margin-bottom-8">
			<h2 class="govuk-heading-m">Run a forecast</h2>
			<ErrorSummary errors={summary} />
			{group('/scenario', <>
				<label class="govuk-label" for="run-scenario">Scenario</label>
				{err('/scenario')}
				<select class={`govuk-select${errorOf('/scenario') ? ' govuk-select--error' : ''}`} id="run-scenario" value={chosenScenario}
					aria-describedby={errorOf('/scenario') ? 'run-scenario-error' : undefined}
					onChange={(e) => setScenario((e.target as HTMLSelectElement).value)}>
					<option value="">Choose a scenario</option>
					{live.map((s) => <option key={s.id} value={s.name}>{s.name} ({s.base_year}, {s.horizon} years)</option>)}
				</select>
			</>)}
			{group('/label', <>
				<label class="govuk-label" for="run-label">Label</label>
				<div class="govuk-hint" id="run-label-hint">How trustees will know this run, like “Budget 2027 for the board”. Empty: the scenario’s name and today’s date</div>
				{err('/label')}
				<input class={`govuk-input govuk-input--width-30${errorOf('/label') ? ' govuk-input--error' : ''}`} id="run-label" value={label} maxLength={100}
					aria-describedby={`run-label-hint${errorOf('/label') ? ' run-label-error' : ''}`}
					onInput={(e) => setLabel((e.target as HTMLInputElement).value)} />
			</>)}
			{group('/notes', <>
				<label class="govuk-label" for="run-notes">Notes</label>
				<div class="govuk-hint" id="run-notes-hint">Optional: what this run is for or what it assumes</div>
				{err('/notes')}
				<textarea class={`govuk-textarea${errorOf('/notes') ? ' govuk-textarea--error' : ''}`} id="run-notes" rows={3} value={notes}
					aria-describedby={`run-notes-hint${errorOf('/notes') ? ' run-notes-error' : ''}`}
					onInput={(e) => setNotes((e.target as HTMLTextAreaElement).value)} />
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
