// RunActions.tsx - what the finance director does to a run: edit its label and
// notes (PUT, If-Match its version), publish or withdraw it (the transitions
// route, If-Match) and delete a draft (DELETE), each asked to confirm first.
// A stale If-Match (412) says someone else changed the run; the API's field
// errors go to their fields. `done` is told what happened (the page reloads).
import { useState } from 'preact/hooks';

import { api, must } from '../../api/client';
import { ApiError, describeError } from '../../api/problem';
import { ErrorSummary, summaryOf, type SummaryError } from '../../components/ErrorSummary';
import type { RunHead } from './forecastView';

type Mode = 'view' | 'edit' | 'publish' | 'withdraw' | 'delete';

const FIELDS: Record<string, string> = { '/label': 'edit-label', '/notes': 'edit-notes' };
const LABELS: Record<string, string> = { '/label': 'Label', '/notes': 'Notes' };

export function RunActions({ run, done, deleted }: { run: RunHead; done: (what: string) => void; deleted: () => void }) {
	const [mode, setMode] = useState<Mode>('view');
	const [label, setLabel] = useState(run.label);
	const [notes, setNotes] = useState(run.notes);
	const [errors, setErrors] = useState<{ field: string; message: string }[]>([]);
	const [summary, setSummary] = useState<SummaryError[]>([]);
	const [busy, setBusy] = useState(false);
	const ifMatch = { 'If-Match': `"${run.version}"` };
	const path = { id: run.id };

	const failed = (e: unknown) => {
		if (e instanceof ApiError && e.fieldErrors.length > 0) {
			setErrors(e.fieldErrors);
			setSummary(summaryOf(e.fieldErrors, FIELDS, LABELS));
		} else {
			setErrors([]);
			setSummary([{ text: e instanceof ApiError && e.status === 412
				? 'Someone else changed this run after you opened it, so nothing was changed. Reload the page to see it as it is now.'
				: describeError(e) }]);
		}
	};
	const act = async (call: () => Promise<unknown>, what: string) => {
		setBusy(true);
		try {
			await call();
			setMode('view');
			setErrors([]);
			setSummary([]);
			what === '' ? deleted() : done(what);
		} catch (e) {
			failed(e);
		} finally {
			setBusy(false);
		}
	};
	const open = (m: Mode) => () => {
		setErrors([]);
		setSummary([]);
		setLabel(run.label);
		setNotes(run.notes);
		setMode(m);
	};
	const save = (e: Event) => {
		e.preventDefault();
		const local: { field: string; message: string }[] = [];
		if (label.trim() === '')
			local.push({ field: '/label', message: 'Enter a label' });
		if (local.length > 0) {
			setErrors(local);
			setSummary(summaryOf(local, FIELDS, LABELS));
			return;
		}
		void act(() => must(api.PUT('/api/v1/forecasts/{id}', { params: { path, header: ifMatch }, body: { label: label.trim(), notes } })),
			'The label and notes were saved.');
	};
	const transition = (action: 'publish' | 'withdraw') => act(
		() => must(api.POST('/api/v1/forecasts/{id}/transitions', { params: { path, header: ifMatch }, body: { action } })),
		action === 'publish' ? 'The run was published: business managers now see their schools’ part of it.' : 'The run was withdrawn: it is a draft again.');
	const remove = () => act(
		() => must(api.DELETE('/api/v1/forecasts/{id}', { params: { path, header: ifMatch } }).then((r) => ({ ...r, data: r.data ?? {} }))), '');
	const errorOf = (f: string) => errors.find((x) => x.field === f)?.message;

	if (mode === 'edit')
		return (
			<form onSubmit={save} noValidate class="govuk-!-margin-bottom-6">
				<h2 class="govuk-heading-m">Edit the label and notes</h2>
				<ErrorSummary errors={summary} />
				<div class={`govuk-form-group${errorOf('/label') ? ' govuk-form-group--error' : ''}`}>
					<label class="govuk-label" for="edit-label">Label</label>
					{errorOf('/label') && <p class="govuk-error-message" id="edit-label-error"><span class="govuk-visually-hidden">Error:</span> {errorOf('/label')}</p>}
					<input class={`govuk-input govuk-input--width-30${errorOf('/label') ? ' govuk-input--error' : ''}`} id="edit-label" value={label} maxLength={100}
						aria-describedby={errorOf('/label') ? 'edit-label-error' : undefined}
						onInput={(e) => setLabel((e.target as HTMLInputElement).value)} />
				</div>
				<div class={`govuk-form-group${errorOf('/notes') ? ' govuk-form-group--error' : ''}`}>
					<label class="govuk-label" for="edit-notes">Notes</label>
					{errorOf('/notes') && <p class="govuk-error-message" id="edit-notes-error"><span class="govuk-visually-hidden">Error:</span> {errorOf('/notes')}</p>}
					<textarea class={`govuk-textarea${errorOf('/notes') ? ' govuk-textarea--error' : ''}`} id="edit-notes" rows={4} value={notes}
						aria-describedby={errorOf('/notes') ? 'edit-notes-error' : undefined}
						onInput={(e) => setNotes((e.target as HTMLTextAreaElement).value)} />
				</div>
				<div class="govuk-button-group">
					<button type="submit" class="govuk-button" disabled={busy}>Save label and notes</button>
					<button type="button" class="govuk-button govuk-button--secondary" onClick={() => setMode('view')}>Cancel</button>
				</div>
			</form>
		);
	if (mode !== 'view') {
		const ask = {
			publish: { q: `Publish “${run.label}”? Business managers will see their own schools’ part of it.`, yes: 'Yes, publish it', go: () => transition('publish'), warn: false },
			withdraw: { q: `Withdraw “${run.label}”? It becomes a draft again, seen by the finance director and auditors only.`, yes: 'Yes, withdraw it', go: () => transition('withdraw'), warn: true },
			delete: { q: `Delete the draft “${run.label}”? This cannot be undone.`, yes: 'Yes, delete it', go: remove, warn: true },
		}[mode];
		return (
			<div class="govuk-inset-text" id="run-confirm">
				<ErrorSummary errors={summary} />
				<p class="govuk-body">{ask.q}</p>
				<div class="govuk-button-group">
					<button type="button" class={`govuk-button${ask.warn ? ' govuk-button--warning' : ''}`} disabled={busy} onClick={() => void ask.go()}>{ask.yes}</button>
					<button type="button" class="govuk-button govuk-button--secondary" onClick={() => setMode('view')}>No, go back</button>
				</div>
			</div>
		);
	}
	return (
		<div class="govuk-button-group">
			{run.status === 'draft'
				? <button type="button" class="govuk-button" onClick={open('publish')}>Publish</button>
				: <button type="button" class="govuk-button govuk-button--secondary" onClick={open('withdraw')}>Withdraw</button>}
			<button type="button" class="govuk-button govuk-button--secondary" onClick={open('edit')}>Edit label and notes</button>
			{run.status === 'draft' && <button type="button" class="govuk-button govuk-button--warning" onClick={open('delete')}>Delete draft</button>}
		</div>
	);
}
