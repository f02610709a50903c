// ContractDetail.tsx - one contract: its terms, the dates and value the API
// derived, the procurement check, the approval or exception on it, and (for
// the finance director) the workflow moves the API allows from its status:
// submit for approval, approve (with the board minute when the board approves,
// a waiver or breach acknowledgement when it fails the check), back to draft,
// expire, terminate (POST .../transitions with If-Match).
import { useState } from 'preact/hooks';

import { api } from '../../api/client';
import { ApiError, describeError } from '../../api/problem';
import { mustTagged } from '../../api/tagged';
import type { Contract } from '../../api/types';
import { ErrorSummary, summaryOf, type SummaryError } from '../../components/ErrorSummary';
import { errorsByField, SelectField, SuccessBanner, TextArea, TextField } from '../../components/FormField';
import { formatDate, formatDateTime, humanise } from '../../components/format';
import { Money } from '../../components/Money';
import { LoadError, Loading, Page } from '../../components/Page';
import { bpToInput } from '../../components/pounds';
import { useMe } from '../../components/session';
import { StatusTag } from '../../components/StatusTag';
import { useLoad } from '../../components/useLoad';
import { CompliancePanel } from './CompliancePanel';

type To = 'draft' | 'awaiting_approval' | 'active' | 'expired' | 'terminated';

const MOVES: Record<string, { to: To; text: string }[]> = {
	draft: [{ to: 'awaiting_approval', text: 'Submit for approval' }],
	awaiting_approval: [{ to: 'active', text: 'Approve: the contract becomes active' }, { to: 'draft', text: 'Return it to draft' }],
	active: [{ to: 'expired', text: 'Mark it expired' }, { to: 'terminated', text: 'Terminate it' }],
};
const FIELDS = { '/to': 'move-0', '/board_minute': 'board-minute', '/exception': 'exception', '/reason': 'move-reason' };
const LABELS = { '/to': 'Move', '/board_minute': 'Board minute reference', '/exception': 'Exception', '/reason': 'Reason' };

function Row({ k, v }: { k: string; v: preact.ComponentChildren }) {
	return (
		<div class="govuk-summary-list__row">
			<dt class="govuk-summary-list__key">{k}</dt>
			<dd class="govuk-summary-list__value">{v}</dd>
		</div>
	);
}

function indexation(c: Contract): string {
	if (c.indexation === 'none')
		return 'None';
	if (c.indexation === 'fixed')
		return `Fixed, ${bpToInput(c.indexation_bp ?? 0)}% a year`;
	return `${(c.indexation_index ?? '').toUpperCase()} + ${bpToInput(c.indexation_bp ?? 0)}%`;
}

export default function ContractDetail({ id }: { id: string }) {
	const me = useMe();
	const [reload, setReload] = useState(0);
	const loaded = useLoad2(id, reload);
	const [move, setMove] = useState<To | ''>('');
	const [minute, setMinute] = useState('');
	const [exception, setException] = useState('');
	const [reason, setReason] = useState('');
	const [errors, setErrors] = useState<SummaryError[]>([]);
	const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
	const [done, setDone] = useState<string | null>(null);
	const [busy, setBusy] = useState(false);

	if (loaded.data === undefined)
		return <Page title="Contract">{loaded.error !== undefined ? <LoadError error={loaded.error} /> : <Loading />}</Page>;
	const { data: c, etag } = loaded.data;
	const moves = me.role === 'finance_director' ? MOVES[c.status] ?? [] : [];

	const submit = async (e: Event) => {
		e.preventDefault();
		if (move === '') {
			setFieldErrors({ '/to': 'Select what to do' });
			setErrors([{ text: 'Select what to do', href: '#move-0' }]);
			return;
		}
		setBusy(true);
		try {
			await mustTagged(api.POST('/api/v1/contracts/{id}/transitions', {
				params: { path: { id: String(c.id) }, header: { 'If-Match': etag } },
				body: {
					to: move,
					...(move === 'active' && minute.trim() ? { board_minute: minute.trim() } : {}),
					...(move === 'active' && exception ? { exception: exception as 'waiver' | 'breach_acknowledgement' } : {}),
					...(reason.trim() ? { reason: reason.trim() } : {}),
				},
			}));
			setDone(`The contract is now ${humanise(move).toLowerCase()}.`);
			setErrors([]);
			setFieldErrors({});
			setMove('');
			setMinute('');
			setException('');
			setReason('');
			setReload((n) => n + 1);
		} catch (err) {
			if (err instanceof ApiError && err.fieldErrors.length > 0) {
				setFieldErrors(errorsByField(err.fieldErrors));
				setErrors(summaryOf(err.fieldErrors, FIELDS, LABELS));
			} else {
				setErrors([{ text: describeError(err) }]);
				if (err instanceof ApiError && err.status === 412)
					setReload((n) => n + 1);
			}
		} finally {
			setBusy(false);
		}
	};

	return (
		<Page title={`${c.reference}: ${c.title}`} caption="Contract">
			<p class="govuk-body"><a class="govuk-link" href="/trust/contracts">Back to the register</a></p>
			<ErrorSummary errors={errors} />
			{done && <SuccessBanner title="Done"><p class="govuk-notification-banner__heading">{done}</p></SuccessBanner>}
			<p class="govuk-body"><StatusTag status={c.status} /> {c.status_reason && <span>({c.status_reason})</span>}</p>
			{me.role === 'finance_director' && (c.status === 'draft' || c.status === 'awaiting_approval' || c.status === 'active') && (
				<a class="govuk-button govuk-button--secondary" role="button" href={`/trust/contracts/${c.id}/edit`}>Edit the contract</a>
			)}
			<dl class="govuk-summary-list">
				<Row k="Supplier" v={c.supplier_name} />
				<Row k="Held by" v={c.school ?? 'The trust (trust-wide)'} />
				<Row k="Category" v={humanise(c.category)} />
				<Row k="Contract type" v={humanise(c.contract_type)} />
				<Row k="Procurement route" v={humanise(c.route)} />
				<Row k="Procurement started" v={formatDate(c.procurement_started_on)} />
				<Row k="Term" v={`${formatDate(c.start_date)} to ${c.end_date ? formatDate(c.end_date) : 'no end (auto-renews)'}`} />
				<Row k="Extension options" v={c.extension_options.length === 0 ? 'None'
					: `${c.extension_options.map((m) => `${m} months`).join(', ')} (${c.options_used} used)`} />
				<Row k="Current end" v={formatDate(c.current_end)} />
				<Row k="Final possible end" v={formatDate(c.final_end)} />
				<Row k="Notice" v={`${c.notice_period} ${c.notice_unit}${c.auto_renew ? ', auto-renews' : ''}`} />
				<Row k="Notice by" v={c.notice_by ? `${formatDate(c.notice_by)}${c.days_to_notice !== null ? ` (${c.days_to_notice} days from today)` : ''}` : '–'} />
				{c.options_remaining.length > 0 && (
					<Row k="Options to exercise" v={
						<ul class="govuk-list">
							{c.options_remaining.map((o) => <li key={o.option}>Option {o.option}: {o.months} months to {formatDate(o.extends_to)}, exercise by {formatDate(o.exercise_by)}</li>)}
						</ul>} />
				)}
				<Row k="Annual value (net of VAT)" v={<Money pence={c.annual_value_pence} />} />
				<Row k="VAT a year" v={<Money pence={c.vat_pence} />} />
				<Row k="Indexation" v={indexation(c)} />
				<Row k="Estimated whole-life value" v={<Money pence={c.estimated_value_pence} />} />
				{c.approval && <Row k="Approved" v={`${formatDateTime(c.approval.approved_at)} at ${humanise(c.approval.level ?? '')} level${c.approval.board_minute ? `, board minute ${c.approval.board_minute}` : ''}`} />}
				{c.exception && <Row k={humanise(c.exception.kind ?? 'exception')} v={`${c.exception.reason ?? ''} (${formatDateTime(c.exception.recorded_at)})`} />}
			</dl>
			<CompliancePanel c={c.compliance} />
			{moves.length > 0 && (
				<form onSubmit={submit} noValidate class="govuk-!-margin-top-6">
					<div class={`govuk-form-group${fieldErrors['/to'] ? ' govuk-form-group--error' : ''}`}>
						<fieldset class="govuk-fieldset">
							<legend class="govuk-fieldset__legend govuk-fieldset__legend--m"><h2 class="govuk-fieldset__heading">Move the contract on</h2></legend>
							{fieldErrors['/to'] && <p class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {fieldErrors['/to']}</p>}
							<div class="govuk-radios">
								{moves.map((m, i) => (
									<div class="govuk-radios__item" key={m.to}>
										<input class="govuk-radios__input" id={`move-${i}`} name="move" type="radio" value={m.to}
											checked={move === m.to} onChange={() => setMove(m.to)} />
										<label class="govuk-label govuk-radios__label" for={`move-${i}`}>{m.text}</label>
									</div>
								))}
							</div>
						</fieldset>
					</div>
					{move === 'active' && c.compliance.approver === 'board' && (
						<TextField id="board-minute" label="Board minute reference" hint="The board approves this band." width="govuk-input--width-20"
							value={minute} onInput={setMinute} error={fieldErrors['/board_minute']} />
					)}
					{move === 'active' && !c.compliance.compliant && (
						<SelectField id="exception" label="Exception" hint="The contract does not meet the rules: record a waiver, or for a contract already started a breach acknowledgement."
							value={exception} onChange={setException} error={fieldErrors['/exception']}
							options={[{ value: '', text: 'None' }, { value: 'waiver', text: 'Waiver' }, { value: 'breach_acknowledgement', text: 'Breach acknowledgement' }]} />
					)}
					{(move === 'terminated' || (move === 'active' && exception !== '') || move === 'draft') && (
						<TextArea id="move-reason" label="Reason" value={reason} onInput={setReason} error={fieldErrors['/reason']} />
					)}
					<button type="submit" class="govuk-button" disabled={busy}>Confirm</button>
				</form>
			)}
		</Page>
	);
}

function useLoad2(id: string, reload: number) {
	return useLoad(() => mustTagged(api.GET('/api/v1/contracts/{id}', { params: { path: { id } } })), [id, reload]);
}
