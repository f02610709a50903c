// LineNotes.tsx - on the monitoring page, one line's forecast outturn with its
// note, or its comment on the month's variance (issue 17). The amount is typed
// in pounds and read exactly (components/pounds.ts). A first one is sent
// without If-Match, a change or a removal with the version the page read: when
// someone else changed it meanwhile the API answers 412 and the form says so
// ("changed by someone else: reload"), having saved nothing. The API's field
// errors are shown on their fields.
import { useEffect, useRef, useState } from 'preact/hooks';

import { ApiError, describeError } from '../../api/problem';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { TextArea, TextField } from '../../components/FormField';
import { Money } from '../../components/Money';
import { parsePounds, penceToInput } from '../../components/pounds';
import { formatDateTime } from '../../components/format';
import { deleteComment, deleteOutturn, type MonitoringLine, monthName, saveComment, saveOutturn } from './monitoringApi';

export type Editing = { kind: 'outturn' | 'comment'; line: MonitoringLine };

interface Props {
	urn: string;
	year: string;
	month: string;
	editing: Editing;
	onDone: (message: string) => void;
	onReload: () => void;
	onClose: () => void;
}

export function LineNotes({ urn, year, month, editing, onDone, onReload, onClose }: Props) {
	const { kind, line } = editing;
	const heading = useRef<HTMLHeadingElement>(null);
	const [amount, setAmount] = useState(line.outturn !== null ? penceToInput(line.outturn.amount_pence) : penceToInput(line.outturn_pence));
	const [note, setNote] = useState(kind === 'outturn' ? line.outturn?.note ?? '' : line.comment?.text ?? '');
	const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
	const [summary, setSummary] = useState<SummaryError[]>([]);
	const [stale, setStale] = useState(false);
	const [busy, setBusy] = useState(false);
	useEffect(() => { heading.current?.focus(); }, []);

	const noteField = kind === 'outturn' ? '/note' : '/text';
	const noteId = `${kind}-note`;
	const failed = (e: unknown) => {
		if (e instanceof ApiError && e.status === 412) {
			setStale(true);
			setSummary([]);
			return;
		}
		if (e instanceof ApiError && e.fieldErrors.length > 0) {
			const by: Record<string, string> = {};
			const out: SummaryError[] = [];
			for (const f of e.fieldErrors) {
				if (f.field === '/amount_pence') {
					by.amount = f.message;
					out.push({ text: `Outturn: ${f.message}`, href: '#outturn-amount' });
				} else if (f.field === noteField) {
					by.note = f.message;
					out.push({ text: `${kind === 'outturn' ? 'Note' : 'Comment'}: ${f.message}`, href: `#${noteId}` });
				} else {
					out.push({ text: f.message });
				}
			}
			setFieldErrors(by);
			setSummary(out);
			return;
		}
		setSummary([{ text: describeError(e) }]);
	};

	const save = async () => {
		setBusy(true);
		try {
			if (kind === 'outturn') {
				const p = parsePounds(amount, 'the outturn', true);
				if (!p.ok) {
					setFieldErrors({ amount: p.message });
					setSummary([{ text: p.message, href: '#outturn-amount' }]);
					return;
				}
				await saveOutturn(urn, year, line.account_code, line.outturn?.version ?? null, p.value, note);
				onDone(`The forecast outturn of ${line.account_code} is saved. The totals are the monitoring’s as it now is.`);
			} else {
				await saveComment(urn, month, line.account_code, line.comment?.version ?? null, note);
				onDone(`The comment on ${line.account_code} for ${monthName(month)} is saved.`);
			}
		} catch (e) {
			failed(e);
		} finally {
			setBusy(false);
		}
	};

	const remove = async () => {
		setBusy(true);
		try {
			if (kind === 'outturn' && line.outturn !== null) {
				await deleteOutturn(urn, year, line.account_code, line.outturn.version);
				onDone(`The entered outturn of ${line.account_code} is removed: its forecast is the actuals and the rest of the profile again.`);
			} else if (kind === 'comment' && line.comment !== null) {
				await deleteComment(urn, month, line.account_code, line.comment.version);
				onDone(`The comment on ${line.account_code} is removed.`);
			}
		} catch (e) {
			failed(e);
		} finally {
			setBusy(false);
		}
	};

	const existing = kind === 'outturn' ? line.outturn : line.comment;
	return (
		<section class="bursar-drawer" id="line-notes" aria-labelledby="line-notes-title">
			<h2 class="govuk-heading-m" id="line-notes-title" tabIndex={-1} ref={heading}>
				{kind === 'outturn' ? 'Forecast outturn' : `Comment for ${monthName(month)}`}: {line.account_code} {line.account_name}
			</h2>
			<ErrorSummary errors={summary} />
			{stale && (
				<div class="govuk-notification-banner bursar-banner--warning" role="alert" aria-labelledby="notes-stale-title">
					<div class="govuk-notification-banner__header"><h3 class="govuk-notification-banner__title" id="notes-stale-title">Not saved</h3></div>
					<div class="govuk-notification-banner__content">
						<p class="govuk-notification-banner__heading">This was changed by someone else since you opened the page.</p>
						<p class="govuk-body">Nothing you did was saved, and nothing of theirs was overwritten. Reload to see it as it is now.</p>
						<button type="button" class="govuk-button" onClick={onReload}>Reload the monitoring</button>
					</div>
				</div>
			)}
			{existing !== null && (
				<p class="govuk-body-s">Last changed by {existing.updated_by} on {formatDateTime(existing.updated_at)} (version {existing.version}).</p>
			)}
			{kind === 'outturn' && (
				<>
					<p class="govuk-body">Budget <Money pence={line.budget_pence} />; actual to date <Money pence={line.actual_to_date_pence} />;
						forecast now <Money pence={line.outturn_pence} />{line.outturn === null ? ' (the actuals to date and the rest of the profile)' : ' (entered)'}.</p>
					<TextField id="outturn-amount" label="Forecast outturn for the year" hint="In pounds, like 12,345.67." prefix="£" width="govuk-input--width-10"
						inputMode="decimal" value={amount} onInput={setAmount} error={fieldErrors.amount} />
				</>
			)}
			<TextArea id={noteId} label={kind === 'outturn' ? 'Note: why the year will end here' : 'Comment on the variance'}
				hint={kind === 'outturn' ? 'Required, up to 1,000 characters.' : 'Up to 2,000 characters.'} rows={3}
				value={note} onInput={setNote} error={fieldErrors.note} />
			<div class="govuk-button-group">
				<button type="button" class="govuk-button" disabled={busy || stale} onClick={() => { void save(); }}>
					{kind === 'outturn' ? 'Save the outturn' : 'Save the comment'}</button>
				{existing !== null && (
					<button type="button" class="govuk-button govuk-button--warning" disabled={busy || stale} onClick={() => { void remove(); }}>
						{kind === 'outturn' ? 'Remove the entered outturn' : 'Remove the comment'}</button>
				)}
				<button type="button" class="govuk-button govuk-button--secondary" onClick={onClose}>Cancel</button>
			</div>
		</section>
	);
}
