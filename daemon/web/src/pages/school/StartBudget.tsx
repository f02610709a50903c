// StartBudget.tsx - a year without a budget: start it empty, as a copy of
// another year's budget (its typed lines; the finance rules post the internal
// codes), or from a forecast run's projection of the school for the year (POST
// .../budgets/{year} with copy_from). The API decides what is copied; its
// refusals (no such budget, nothing projected for the year) are shown as it
// words them.
import { useEffect, useState } from 'preact/hooks';

import { describeError } from '../../api/problem';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { formatDateTime } from '../../components/format';
import { type Budget, type ForecastRun, loadForecastRuns, saveLines, startBudget } from './budgetApi';

type Source = 'empty' | 'year' | 'forecast';

interface Props {
	urn: string;
	year: string;
	years: string[];                    /* the school's years, newest first */
	onStarted: (b: Budget, message: string) => void;
}

/* "2026-27" -> 2026: for choosing the runs that reach the year (no money in it). */
const startOf = (y: string) => Number(y.slice(0, 4));

export function StartBudget({ urn, year, years, onStarted }: Props) {
	const others = years.filter((y) => y !== year);
	const last = others.find((y) => startOf(y) === startOf(year) - 1) ?? others.find((y) => y < year) ?? others[0] ?? '';
	const [source, setSource] = useState<Source>(others.length > 0 ? 'year' : 'empty');
	const [fromYear, setFromYear] = useState(last);
	const [runs, setRuns] = useState<ForecastRun[] | null>(null);
	const [runId, setRunId] = useState('');
	const [errors, setErrors] = useState<SummaryError[]>([]);
	const [busy, setBusy] = useState(false);

	useEffect(() => {
		if (source !== 'forecast' || runs !== null)
			return;
		loadForecastRuns().then((all) => {
			const reach = all.filter((r) => startOf(r.base_year) <= startOf(year) && startOf(year) <= startOf(r.base_year) + r.horizon);
			setRuns(reach);
			setRunId(reach[0] ? String(reach[0].id) : '');
		}, (e: unknown) => { setRuns([]); setErrors([{ text: describeError(e) }]); });
	}, [source]);

	const start = async (e: Event) => {
		e.preventDefault();
		if (source === 'forecast' && runId === '') {
			setErrors([{ text: 'Choose a forecast run', href: '#start-run' }]);
			return;
		}
		setBusy(true);
		try {
			if (source === 'empty')
				onStarted(await saveLines(urn, year, null, []), `A draft budget for ${year} is ready: add its lines or import a spreadsheet.`);
			else if (source === 'year')
				onStarted(await startBudget(urn, year, { budget_year: fromYear }),
					`A draft budget for ${year} is ready, copied from the ${fromYear} budget. Check every line before you submit it.`);
			else
				onStarted(await startBudget(urn, year, { forecast_id: Number(runId) }),
					`A draft budget for ${year} is ready, from forecast run ${runId}. Check every line before you submit it.`);
			setErrors([]);
		} catch (err) {
			setErrors([{ text: describeError(err) }]);
		} finally {
			setBusy(false);
		}
	};

	const radio = (value: Source, label: string, hint: string, conditional?: preact.ComponentChildren) => (
		<>
			<div class="govuk-radios__item">
				<input class="govuk-radios__input" id={`start-from-${value}`} name="start" type="radio" value={value}
					checked={source === value} aria-describedby={`start-from-${value}-hint`} onChange={() => setSource(value)} />
				<label class="govuk-label govuk-radios__label" for={`start-from-${value}`}>{label}</label>
				<div id={`start-from-${value}-hint`} class="govuk-hint govuk-radios__hint">{hint}</div>
			</div>
			{conditional && source === value && <div class="govuk-radios__conditional">{conditional}</div>}
		</>
	);

	return (
		<form onSubmit={start} noValidate>
			<ErrorSummary errors={errors} />
			<div class="govuk-form-group">
				<fieldset class="govuk-fieldset">
					<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Start it from</legend>
					<div class="govuk-radios" data-module="govuk-radios">
						{others.length > 0 && radio('year', 'Another year’s budget', 'Its lines are copied; the trust’s internal charges are worked out again by the finance rules.', (
							<div class="govuk-form-group">
								<label class="govuk-label" for="start-year">Year</label>
								<select class="govuk-select" id="start-year" value={fromYear} onChange={(ev) => setFromYear((ev.target as HTMLSelectElement).value)}>
									{others.map((y) => <option key={y} value={y}>{y}</option>)}
								</select>
							</div>
						))}
						{radio('forecast', 'A forecast run', `The run’s projection of the school for ${year}, line by line.`, (
							<div class="govuk-form-group">
								{runs !== null && runs.length > 0 && <label class="govuk-label" for="start-run">Forecast run</label>}
								{runs === null ? <p class="govuk-body" role="status">Loading the runs…</p>
									: runs.length === 0 ? <p class="govuk-body" id="start-run">No forecast run you can read reaches {year}.</p> : (
										<select class="govuk-select" id="start-run" value={runId} onChange={(ev) => setRunId((ev.target as HTMLSelectElement).value)}>
											{runs.map((r) => (
												<option key={r.id} value={String(r.id)}>
													Run {r.id}: {r.scenario_name}, from {r.base_year} for {r.horizon} years ({formatDateTime(r.created_at)})
												</option>
											))}
										</select>
									)}
							</div>
						))}
						{radio('empty', 'Nothing', 'An empty draft: type its lines or import a spreadsheet.')}
					</div>
				</fieldset>
			</div>
			<button type="submit" class="govuk-button" disabled={busy}>Start the {year} budget</button>
		</form>
	);
}
