// ScenarioForm.tsx - a scenario's name, base year, horizon and what-ifs as a
// form: each series a row of the forecast years (percentages, the place rate
// in pounds), each index of inflation a row more, the base year's own changes.
// A cell left empty repeats the year before it (the API's rule). Errors, ours
// or the API's errors[] (JSON Pointers), go to the error summary and to their
// cells; a stale If-Match (412) says someone else changed it.
import { useState } from 'preact/hooks';

import { ApiError, describeError } from '../../api/problem';
import { ErrorSummary, summaryOf, type SummaryError } from '../../components/ErrorSummary';
import { BASE, buildBody, fieldId, forecastYears, SERIES, type FormState, type Scenario, type ScenarioWrite } from './scenarioModel';

interface Props {
	initial: FormState;
	keep?: Scenario;
	submitLabel: string;
	onSubmit: (body: ScenarioWrite) => Promise<void>;
	onCancel?: () => void;
}

const LABELS: Record<string, string> = { '/name': 'Name', '/description': 'Description', '/base_year': 'Base year', '/horizon': 'Horizon' };

function labelOf(pointer: string): string {
	if (LABELS[pointer] !== undefined)
		return LABELS[pointer];
	const [, , key, a, b] = pointer.split('/');
	const s = SERIES.find((x) => x.key === key);
	if (s !== undefined)
		return `${s.label}, ${a ?? ''}`;
	if (key === 'inflation_bp')
		return `Inflation (${a ?? ''})${b ? `, ${b}` : ''}`;
	const base = BASE.find((x) => x.key === key);
	return base?.label ?? pointer.replace(/^\//, '');
}

export function ScenarioForm({ initial, keep, submitLabel, onSubmit, onCancel }: Props) {
	const [f, setF] = useState<FormState>(initial);
	const [errors, setErrors] = useState<{ field: string; message: string }[]>([]);
	const [summary, setSummary] = useState<SummaryError[]>([]);
	const [newIndex, setNewIndex] = useState('');
	const [busy, setBusy] = useState(false);

	const baseOk = /^\d{4}-\d{2}$/.test(f.base_year.trim());
	const named = Object.keys(f.cells).map((k) => k.split('/').at(-1) ?? '').filter((y) => /^\d{4}-\d{2}$/.test(y));
	const horizon = Number.parseInt(f.horizon, 10);
	const years = baseOk ? forecastYears(f.base_year.trim(), Number.isFinite(horizon) ? horizon : 3, named) : [];
	const errorOf = (pointer: string) => errors.find((e) => e.field === pointer)?.message;

	const show = (errs: { field: string; message: string }[]) => {
		setErrors(errs);
		const fields: Record<string, string> = {};
		for (const e of errs)
			fields[e.field] = fieldId(e.field);
		setSummary(summaryOf(errs, fields, Object.fromEntries(errs.map((e) => [e.field, labelOf(e.field)]))));
	};

	const submit = async (e: Event) => {
		e.preventDefault();
		const local: { field: string; message: string }[] = [];
		if (f.name.trim() === '')
			local.push({ field: '/name', message: 'Enter a name' });
		if (!baseOk)
			local.push({ field: '/base_year', message: 'Enter the base year like 2026-27' });
		const built = buildBody(f, keep);
		if (local.length > 0 || built.body === null) {
			show([...local, ...built.errors]);
			return;
		}
		setBusy(true);
		try {
			await onSubmit(built.body);
		} catch (err) {
			if (err instanceof ApiError && err.fieldErrors.length > 0)
				show(err.fieldErrors);
			else if (err instanceof ApiError && err.status === 412) {
				setErrors([]);
				setSummary([{ text: 'Someone else changed this scenario after you opened it, so nothing was saved. Reload the page to see their changes, then make yours again.' }]);
			} else {
				setErrors([]);
				setSummary([{ text: describeError(err) }]);
			}
		} finally {
			setBusy(false);
		}
	};

	const setCell = (k: string, v: string) => setF({ ...f, cells: { ...f.cells, [k]: v } });
	const text = (pointer: string, label: string, opts: { hint?: string; width?: string; area?: boolean } = {}) => {
		const id = fieldId(pointer);
		const err = errorOf(pointer);
		const key = pointer.slice(1) as 'name' | 'description' | 'base_year' | 'horizon';
		const describedBy = [opts.hint ? `${id}-hint` : '', err ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
		return (
			<div class={`govuk-form-group${err ? ' govuk-form-group--error' : ''}`}>
				<label class="govuk-label govuk-label--s" for={id}>{label}</label>
				{opts.hint && <div class="govuk-hint" id={`${id}-hint`}>{opts.hint}</div>}
				{err && <p class="govuk-error-message" id={`${id}-error`}><span class="govuk-visually-hidden">Error:</span> {err}</p>}
				{opts.area
					? <textarea class={`govuk-textarea${err ? ' govuk-textarea--error' : ''}`} id={id} rows={2} value={f[key]}
						aria-describedby={describedBy} onInput={(e) => setF({ ...f, [key]: (e.target as HTMLTextAreaElement).value })} />
					: <input class={`govuk-input ${opts.width ?? ''}${err ? ' govuk-input--error' : ''}`} id={id} type="text" value={f[key]}
						aria-describedby={describedBy} onInput={(e) => setF({ ...f, [key]: (e.target as HTMLInputElement).value })} />}
			</div>
		);
	};
	const cell = (pointer: string, label: string) => {
		const id = fieldId(pointer);
		const err = errorOf(pointer);
		return (
			<td class="govuk-table__cell govuk-table__cell--numeric" key={pointer}>
				<label class="govuk-visually-hidden" for={id}>{label}</label>
				{err && <p class="govuk-error-message" id={`${id}-error`}><span class="govuk-visually-hidden">Error:</span> {err}</p>}
				<input class={`govuk-input bursar-grid-input${err ? ' govuk-input--error' : ''}`} id={id} type="text" inputMode="decimal"
					value={f.cells[pointer] ?? ''} aria-describedby={err ? `${id}-error` : undefined}
					onInput={(e) => setCell(pointer, (e.target as HTMLInputElement).value)} />
			</td>
		);
	};
	const row = (rowLabel: string, prefix: string, unit: string) => (
		<tr class="govuk-table__row" key={prefix}>
			<th scope="row" class="govuk-table__header">{rowLabel} <span class="bursar-secondary">({unit})</span></th>
			{years.map((y) => cell(`${prefix}/${y}`, `${rowLabel}, ${y} (${unit})`))}
		</tr>
	);
	const addIndex = () => {
		const name = newIndex.trim().toLowerCase();
		if (/^[a-z0-9_]{1,20}$/.test(name) && !f.indices.includes(name)) {
			setF({ ...f, indices: [...f.indices, name] });
			setNewIndex('');
		} else
			show([{ field: '/new_index', message: 'Name the index with 1 to 20 lower-case letters, digits or _, one not already listed' }]);
	};

	return (
		<form onSubmit={submit} noValidate>
			<ErrorSummary errors={summary} />
			{text('/name', 'Name', { width: 'govuk-input--width-20' })}
			{text('/description', 'Description', { area: true })}
			{text('/base_year', 'Base year', { hint: 'The budget year the forecast starts from, like 2026-27', width: 'govuk-input--width-5' })}
			{text('/horizon', 'Horizon (years)', { hint: 'How many years to forecast by default, 1 to 10', width: 'govuk-input--width-2' })}
			<h2 class="govuk-heading-m">What-ifs by year</h2>
			<p class="govuk-body">Rates are percentages (2.5 for 2.5%); the place rate is in pounds. An empty cell repeats the year before it.</p>
			{years.length === 0
				? <p class="govuk-body">Enter the base year to see its forecast years.</p>
				: (
					<div class="bursar-scroll" tabIndex={0} role="region" aria-label="What-ifs by year">
						<table class="govuk-table">
							<caption class="govuk-visually-hidden">What-ifs by forecast year</caption>
							<thead class="govuk-table__head">
								<tr class="govuk-table__row">
									<th scope="col" class="govuk-table__header">Assumption</th>
									{years.map((y) => <th scope="col" class="govuk-table__header govuk-table__header--numeric" key={y}>{y}</th>)}
								</tr>
							</thead>
							<tbody class="govuk-table__body">
								{SERIES.map((s) => row(s.label, `/assumptions/${s.key}`, s.unit === 'bp' ? '%' : '£'))}
								{f.indices.map((idx) => row(`Inflation: ${idx}`, `/assumptions/inflation_bp/${idx}`, '%'))}
							</tbody>
						</table>
					</div>
				)}
			<div class={`govuk-form-group${errorOf('/new_index') ? ' govuk-form-group--error' : ''}`}>
				<label class="govuk-label" for={fieldId('/new_index')}>Add an index of inflation</label>
				<div class="govuk-hint" id="new-index-hint">Like energy or nlw: lower-case letters, digits and _</div>
				{errorOf('/new_index') && <p class="govuk-error-message" id="new-index-error"><span class="govuk-visually-hidden">Error:</span> {errorOf('/new_index')}</p>}
				<div class="bursar-actions">
					<input class="govuk-input govuk-input--width-10" id={fieldId('/new_index')} type="text" value={newIndex}
						aria-describedby={`new-index-hint${errorOf('/new_index') ? ' new-index-error' : ''}`}
						onInput={(e) => setNewIndex((e.target as HTMLInputElement).value)} />
					<button type="button" class="govuk-button govuk-button--secondary" onClick={addIndex}>Add index</button>
				</div>
			</div>
			<h2 class="govuk-heading-m">The base year’s own changes</h2>
			{BASE.map((b) => {
				const pointer = `/assumptions/${b.key}`;
				const id = fieldId(pointer);
				const err = errorOf(pointer);
				return (
					<div class={`govuk-form-group${err ? ' govuk-form-group--error' : ''}`} key={b.key}>
						<label class="govuk-label" for={id}>{b.label} (%)</label>
						{err && <p class="govuk-error-message" id={`${id}-error`}><span class="govuk-visually-hidden">Error:</span> {err}</p>}
						<input class={`govuk-input govuk-input--width-5${err ? ' govuk-input--error' : ''}`} id={id} type="text" inputMode="decimal"
							value={f.cells[pointer] ?? ''} aria-describedby={err ? `${id}-error` : undefined}
							onInput={(e) => setCell(pointer, (e.target as HTMLInputElement).value)} />
					</div>
				);
			})}
			{keep !== undefined && (
				<p class="govuk-body">The pupil and place projections are kept as they are.</p>
			)}
			<div class="govuk-button-group">
				<button type="submit" class="govuk-button" disabled={busy}>{submitLabel}</button>
				{onCancel && <button type="button" class="govuk-button govuk-button--secondary" onClick={onCancel}>Cancel</button>}
			</div>
		</form>
	);
}
