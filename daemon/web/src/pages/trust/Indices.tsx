// Indices.tsx - the trust's index history (GET /api/v1/indices): for each index
// (cpi, nlw, energy ...) the rate applied at a contract's anniversary in each
// academic year, where it came from, and what a year without a value takes
// (the API's default_bp). The finance director edits an index's description
// and its values by year (rows added and removed; percentages read to basis
// points by components/pounds, string handling only), saved with one PUT of
// the whole history with the index's version as If-Match: a stale one saves
// nothing and says so, the API's errors land on their rows. Auditors and
// business managers read it.
import { useState } from 'preact/hooks';

import { api, must } from '../../api/client';
import { ApiError, describeError } from '../../api/problem';
import type { Schemas } from '../../api/types';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { SuccessBanner } from '../../components/FormField';
import { formatDateTime } from '../../components/format';
import { formatBp } from '../../components/hundredths';
import { LoadError, Loading, Page } from '../../components/Page';
import { bpToInput, parseHundredths } from '../../components/pounds';
import { useMe } from '../../components/session';
import { useLoad } from '../../components/useLoad';

type Index = Schemas['Index'];
type FieldErr = { field: string; message: string };

interface Row {
	year: string;
	rate: string;
	note: string;
}

const YEAR = /^20\d{2}-\d{2}$/;

function History({ ix }: { ix: Index }) {
	const years = Object.keys(ix.values).sort();
	if (years.length === 0)
		return <p class="govuk-body">No values yet: every year takes the default, {formatBp(ix.default_bp)}.</p>;
	return (
		<table class="govuk-table" id={`index-${ix.name}`}>
			<caption class="govuk-table__caption govuk-table__caption--s">{ix.name} by academic year</caption>
			<thead class="govuk-table__head"><tr class="govuk-table__row">
				<th scope="col" class="govuk-table__header">Year</th>
				<th scope="col" class="govuk-table__header govuk-table__header--numeric">Rate</th>
				<th scope="col" class="govuk-table__header">Where it came from</th></tr></thead>
			<tbody class="govuk-table__body">
				{years.map((y) => (
					<tr class="govuk-table__row" key={y} data-year={y}>
						<th scope="row" class="govuk-table__header">{y}</th>
						<td class="govuk-table__cell govuk-table__cell--numeric" data-bp={ix.values[y]}>{formatBp(ix.values[y])}</td>
						<td class="govuk-table__cell">{ix.notes[y] ?? ''}</td>
					</tr>
				))}
			</tbody>
		</table>
	);
}

function Editor({ ix, onSaved, onCancel }: { ix: Index; onSaved: () => void; onCancel: () => void }) {
	const [description, setDescription] = useState(ix.description);
	const [rows, setRows] = useState<Row[]>(Object.keys(ix.values).sort()
		.map((y) => ({ year: y, rate: bpToInput(ix.values[y] ?? 0), note: ix.notes[y] ?? '' })));
	const [errors, setErrors] = useState<FieldErr[]>([]);
	const [summary, setSummary] = useState<SummaryError[]>([]);
	const [busy, setBusy] = useState(false);
	const p = `ix-${ix.name}`;

	/* a pointer (ours: /rows/<i>/<year|rate|note>; the API's: /values/<year>, /notes/<year>) to its input */
	const idOf = (field: string): string | undefined => {
		const s = field.split('/');
		if (s[1] === 'rows')
			return `${p}-${s[2]}-${s[3]}`;
		if ((s[1] === 'values' || s[1] === 'notes') && s[2] !== undefined) {
			const i = rows.findIndex((r) => r.year.trim() === s[2]);
			return i >= 0 ? `${p}-${i}-${s[1] === 'values' ? 'rate' : 'note'}` : undefined;
		}
		return s[1] === 'description' ? `${p}-description` : undefined;
	};
	const labelOf = (field: string): string => {
		const s = field.split('/');
		if (s[1] === 'rows')
			return `Row ${Number(s[2]) + 1}`;
		if (s[1] === 'values' || s[1] === 'notes')
			return `${s[2] ?? ''} ${s[1] === 'values' ? 'rate' : 'note'}`;
		return s[1] === 'description' ? 'Description' : field.replace(/^\//, '') || ix.name;
	};
	const show = (errs: FieldErr[]) => {
		setErrors(errs);
		setSummary(errs.map((e) => {
			const id = idOf(e.field);
			return { text: `${labelOf(e.field)}: ${e.message}`, ...(id !== undefined ? { href: `#${id}` } : {}) };
		}));
	};
	const errorAt = (id: string) => errors.find((e) => idOf(e.field) === id)?.message;

	const save = async (ev: Event) => {
		ev.preventDefault();
		const local: FieldErr[] = [];
		const values: Record<string, number> = {};
		const notes: Record<string, string> = {};
		rows.forEach((r, i) => {
			const y = r.year.trim();
			if (!YEAR.test(y))
				local.push({ field: `/rows/${i}/year`, message: 'Enter the academic year like 2024-25' });
			else if (values[y] !== undefined)
				local.push({ field: `/rows/${i}/year`, message: `${y} is given twice` });
			const v = parseHundredths(r.rate.trim().replace(/%$/, ''), 'the rate', { allowNegative: true });
			if (!v.ok)
				local.push({ field: `/rows/${i}/rate`, message: v.message.replace('like 1,234.56', 'like 3.1') });
			if (YEAR.test(y) && v.ok && values[y] === undefined) {
				values[y] = v.value;
				if (r.note.trim() !== '')
					notes[y] = r.note.trim();
			}
		});
		if (local.length > 0) {
			show(local);
			return;
		}
		setBusy(true);
		try {
			await must(api.PUT('/api/v1/indices/{name}', {
				params: { path: { name: ix.name }, header: { 'If-Match': `"${ix.version}"` } },
				body: { description, values, notes },
			}));
			onSaved();
		} catch (err) {
			if (err instanceof ApiError && err.status === 412) {
				setErrors([]);
				setSummary([{ text: `Someone else changed ${ix.name} after you opened it, so nothing was saved. Reload the page to see their changes, then make yours again.` }]);
			} else if (err instanceof ApiError && err.fieldErrors.length > 0)
				show(err.fieldErrors);
			else {
				setErrors([]);
				setSummary([{ text: describeError(err) }]);
			}
		} finally {
			setBusy(false);
		}
	};
	const set = (i: number, k: keyof Row, v: string) => setRows(rows.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
	const cell = (i: number, k: keyof Row, label: string, width: string) => {
		const id = `${p}-${i}-${k}`;
		const err = errorAt(id);
		return (
			<td class="govuk-table__cell">
				<label class="govuk-visually-hidden" for={id}>{label}</label>
				{err && <p class="govuk-error-message" id={`${id}-error`}><span class="govuk-visually-hidden">Error:</span> {err}</p>}
				<input class={`govuk-input ${width}${err ? ' govuk-input--error' : ''}`} id={id} type="text" value={rows[i]?.[k] ?? ''} spellcheck={false}
					inputMode={k === 'rate' ? 'decimal' : undefined} aria-describedby={err ? `${id}-error` : undefined}
					onInput={(e) => set(i, k, (e.target as HTMLInputElement).value)} />
			</td>
		);
	};
	const descErr = errorAt(`${p}-description`);
	return (
		<form onSubmit={save} noValidate id={`edit-${ix.name}`} class="govuk-!-margin-bottom-6">
			<ErrorSummary errors={summary} />
			<div class={`govuk-form-group${descErr ? ' govuk-form-group--error' : ''}`}>
				<label class="govuk-label govuk-label--s" for={`${p}-description`}>Description of {ix.name}</label>
				{descErr && <p class="govuk-error-message" id={`${p}-description-error`}><span class="govuk-visually-hidden">Error:</span> {descErr}</p>}
				<textarea class={`govuk-textarea${descErr ? ' govuk-textarea--error' : ''}`} id={`${p}-description`} rows={2} value={description}
					aria-describedby={descErr ? `${p}-description-error` : undefined}
					onInput={(e) => setDescription((e.target as HTMLTextAreaElement).value)} />
			</div>
			<p class="govuk-body" id={`${p}-hint`}>Rates are percentages (3.1 for 3.1%; a fall is negative). A year left out takes the default, {formatBp(ix.default_bp)}.</p>
			<table class="govuk-table">
				<caption class="govuk-visually-hidden">{ix.name} by academic year, being edited</caption>
				<thead class="govuk-table__head"><tr class="govuk-table__row">
					<th scope="col" class="govuk-table__header">Year</th><th scope="col" class="govuk-table__header">Rate (%)</th>
					<th scope="col" class="govuk-table__header">Where it came from</th>
					<th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Remove</span></th></tr></thead>
				<tbody class="govuk-table__body">
					{rows.map((r, i) => (
						<tr class="govuk-table__row" key={i}>
							{cell(i, 'year', `Row ${i + 1}: year`, 'govuk-input--width-5')}
							{cell(i, 'rate', `Row ${i + 1}: rate (%)`, 'govuk-input--width-5')}
							{cell(i, 'note', `Row ${i + 1}: where it came from`, 'govuk-input--width-20')}
							<td class="govuk-table__cell">
								<button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
									onClick={() => setRows(rows.filter((_, j) => j !== i))}>Remove<span class="govuk-visually-hidden"> {r.year || `row ${i + 1}`}</span></button>
							</td>
						</tr>
					))}
				</tbody>
			</table>
			<button type="button" class="govuk-button govuk-button--secondary" onClick={() => setRows([...rows, { year: '', rate: '', note: '' }])}>Add a year</button>
			<div class="govuk-button-group">
				<button type="submit" class="govuk-button" disabled={busy}>Save {ix.name}</button>
				<button type="button" class="govuk-button govuk-button--secondary" onClick={onCancel}>Cancel</button>
			</div>
		</form>
	);
}

export default function Indices() {
	const me = useMe();
	const [reload, setReload] = useState(0);
	const [editing, setEditing] = useState<string | null>(null);
	const [banner, setBanner] = useState<string | null>(null);
	const list = useLoad(() => must(api.GET('/api/v1/indices')), [reload]);
	const fd = me.role === 'finance_director';

	return (
		<Page title="Index history" caption="Scenarios">
			{banner && <SuccessBanner title="Success"><p class="govuk-notification-banner__heading">{banner}</p></SuccessBanner>}
			<p class="govuk-body">The rate of each index in each academic year: a contract indexed by it changes price by that rate at an
				anniversary falling in that year. The register, the shared services’ allocations and the forecasts’ base year and earlier
				use these values; forecast years take the scenario’s (<a class="govuk-link" href="/trust/scenarios">Scenarios</a>).</p>
			{list.loading && list.data === undefined && <Loading />}
			{list.error !== undefined && <LoadError error={list.error} />}
			{list.data && list.data.items.length === 0 && <p class="govuk-body">There are no indices yet.</p>}
			{list.data?.items.map((ix) => (
				<section key={ix.name} aria-labelledby={`h-${ix.name}`} data-index={ix.name}>
					<h2 class="govuk-heading-m" id={`h-${ix.name}`}>{ix.name}</h2>
					{editing === ix.name
						? <Editor ix={ix} onCancel={() => setEditing(null)}
							onSaved={() => { setEditing(null); setBanner(`${ix.name} was saved.`); setReload((n) => n + 1); }} />
						: <>
							{ix.description && <p class="govuk-body">{ix.description}</p>}
							<p class="govuk-body-s bursar-secondary">A year without a value: {formatBp(ix.default_bp)}. Version {ix.version}, changed {formatDateTime(ix.updated_at)}.</p>
							<History ix={ix} />
							{fd && editing === null && (
								<button type="button" class="govuk-button govuk-button--secondary" onClick={() => { setBanner(null); setEditing(ix.name); }}>
									Edit {ix.name}</button>
							)}
						</>}
				</section>
			))}
		</Page>
	);
}
