// BudgetReview.tsx - one school's budget for a year as the finance director
// reviews it (read-only: the totals, groups, findings and lines the API
// computed), and the decision on a submitted one: approve with the board
// minute reference, or return it to the school with a reason
// (POST .../transitions with If-Match). The API's errors are shown GOV.UK-style.
import { useState } from 'preact/hooks';

import { api } from '../../api/client';
import { ApiError, describeError } from '../../api/problem';
import { mustTagged } from '../../api/tagged';
import type { Schemas } from '../../api/types';
import { ErrorSummary, summaryOf, type SummaryError } from '../../components/ErrorSummary';
import { errorsByField, SuccessBanner, TextArea, TextField } from '../../components/FormField';
import { formatDateTime, humanise } from '../../components/format';
import { Money } from '../../components/Money';
import { bpToInput } from '../../components/pounds';
import { LoadError, Loading, Page } from '../../components/Page';
import { useMe } from '../../components/session';
import { StatusTag } from '../../components/StatusTag';
import { Table } from '../../components/Table';
import { useLoad } from '../../components/useLoad';

type Line = Schemas['BudgetLine'];
type Group = Schemas['BudgetGroup'];
type Finding = Schemas['BudgetFinding'];

const FIELDS = { '/minute_ref': 'minute-ref', '/reason': 'reason', '/action': 'decision-approve' };
const LABELS = { '/minute_ref': 'Board minute reference', '/reason': 'Reason', '/action': 'Decision' };

function Row({ k, v }: { k: string; v: preact.ComponentChildren }) {
	return (
		<div class="govuk-summary-list__row">
			<dt class="govuk-summary-list__key">{k}</dt>
			<dd class="govuk-summary-list__value">{v}</dd>
		</div>
	);
}

export default function BudgetReview({ year, urn }: { year: string; urn: string }) {
	const me = useMe();
	const [reload, setReload] = useState(0);
	const [done, setDone] = useState<string | null>(null);
	const loaded = useLoad(async () => {
		const [school, budget] = await Promise.all([
			mustTagged(api.GET('/api/v1/schools/{urn}', { params: { path: { urn } } })),
			mustTagged(api.GET('/api/v1/schools/{urn}/budgets/{year}', { params: { path: { urn, year } } })),
		]);
		return { school: school.data, budget: budget.data, etag: budget.etag };
	}, [urn, year, reload]);
	const [decision, setDecision] = useState<'approve' | 'return' | ''>('');
	const [minute, setMinute] = useState('');
	const [reason, setReason] = useState('');
	const [errors, setErrors] = useState<SummaryError[]>([]);
	const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
	const [busy, setBusy] = useState(false);

	if (loaded.loading && loaded.data === undefined)
		return <Page title="Budget"><Loading /></Page>;
	if (loaded.data === undefined)
		return <Page title="Budget"><LoadError error={loaded.error} /></Page>;
	const { school, budget, etag } = loaded.data;

	const decide = async (e: Event) => {
		e.preventDefault();
		const fe: Record<string, string> = {};
		if (decision === '')
			fe['/action'] = 'Select whether to approve the budget or return it';
		else if (decision === 'approve' && minute.trim() === '')
			fe['/minute_ref'] = 'Enter the board minute reference';
		else if (decision === 'return' && reason.trim() === '')
			fe['/reason'] = 'Enter why the budget is being returned';
		if (Object.keys(fe).length > 0) {
			setFieldErrors(fe);
			setErrors(Object.entries(fe).map(([field, text]) => ({ text, href: `#${FIELDS[field as keyof typeof FIELDS]}` })));
			return;
		}
		setBusy(true);
		try {
			const body = decision === 'approve'
				? { action: 'approve' as const, minute_ref: minute.trim() }
				: { action: 'return' as const, reason: reason.trim() };
			await mustTagged(api.POST('/api/v1/schools/{urn}/budgets/{year}/transitions', {
				params: { path: { urn, year }, header: { 'If-Match': etag } },
				body,
			}));
			setErrors([]);
			setFieldErrors({});
			setDone(decision === 'approve' ? `The budget was approved (board minute ${minute.trim()}).`
				: 'The budget was returned to the school with your reason.');
			setDecision('');
			setMinute('');
			setReason('');
			setReload((n) => n + 1);
		} catch (err) {
			if (err instanceof ApiError && err.fieldErrors.length > 0) {
				setFieldErrors(errorsByField(err.fieldErrors));
				setErrors(summaryOf(err.fieldErrors, FIELDS, LABELS));
			} else if (err instanceof ApiError && err.status === 412) {
				setErrors([{ text: 'The budget changed since you opened it. Check it again before deciding.' }]);
				setReload((n) => n + 1);
			} else {
				setErrors([{ text: describeError(err) }]);
			}
		} finally {
			setBusy(false);
		}
	};

	const canDecide = me.role === 'finance_director' && budget.status === 'submitted';
	return (
		<Page title={`${school.name}: budget ${year}`} caption="Budgets">
			<p class="govuk-body"><a class="govuk-link" href={`/trust/budgets?year=${encodeURIComponent(year)}`}>Back to budgets for {year}</a></p>
			<ErrorSummary errors={errors} />
			{done && <SuccessBanner title="Done"><p class="govuk-notification-banner__heading">{done}</p></SuccessBanner>}
			<dl class="govuk-summary-list">
				<Row k="Status" v={<StatusTag status={budget.status} />} />
				<Row k="Submitted" v={formatDateTime(budget.submitted_at)} />
				{budget.approved_at && <Row k="Approved" v={`${formatDateTime(budget.approved_at)}, board minute ${budget.board_minute_ref ?? '–'}`} />}
				{budget.return_reason && <Row k="Returned because" v={budget.return_reason} />}
				{budget.reopen_reason && <Row k="Reopened because" v={budget.reopen_reason} />}
				<Row k="Income" v={<span class="bursar-num"><Money pence={budget.totals.income_pence} /></span>} />
				<Row k="Expenditure" v={<span class="bursar-num"><Money pence={budget.totals.expenditure_pence} /></span>} />
				<Row k="In-year balance" v={<span class="bursar-num"><Money pence={budget.totals.in_year_balance_pence} /></span>} />
				<Row k="Staff costs" v={<><Money pence={budget.totals.staff_costs_pence} /> {budget.totals.staff_costs_bp !== null && ` (${bpToInput(budget.totals.staff_costs_bp)}% of income)`}</>} />
			</dl>
			{budget.findings.length > 0 && (
				<div class="govuk-warning-text">
					<span class="govuk-warning-text__icon" aria-hidden="true">!</span>
					<div class="govuk-warning-text__text">
						<span class="govuk-visually-hidden">Warning</span>
						Found when it was submitted:
						<ul class="govuk-list govuk-list--bullet">
							{budget.findings.map((f: Finding) => <li key={`${f.code}${f.field}`}>{f.message}</li>)}
						</ul>
					</div>
				</div>
			)}
			{canDecide && (
				<form class="govuk-!-margin-bottom-9" onSubmit={decide} noValidate>
					<div class={`govuk-form-group${fieldErrors['/action'] ? ' govuk-form-group--error' : ''}`}>
						<fieldset class="govuk-fieldset" aria-describedby={fieldErrors['/action'] ? 'decision-error' : undefined}>
							<legend class="govuk-fieldset__legend govuk-fieldset__legend--m"><h2 class="govuk-fieldset__heading">Your decision</h2></legend>
							{fieldErrors['/action'] && <p id="decision-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {fieldErrors['/action']}</p>}
							<div class="govuk-radios" data-module="govuk-radios">
								<div class="govuk-radios__item">
									<input class="govuk-radios__input" id="decision-approve" name="decision" type="radio" value="approve"
										checked={decision === 'approve'} onChange={() => setDecision('approve')} />
									<label class="govuk-label govuk-radios__label" for="decision-approve">Approve for the board</label>
								</div>
								{decision === 'approve' && (
									<div class="govuk-radios__conditional">
										<TextField id="minute-ref" label="Board minute reference" hint="For example, FB-2026-11/4"
											width="govuk-input--width-20" value={minute} onInput={setMinute} error={fieldErrors['/minute_ref']} />
									</div>
								)}
								<div class="govuk-radios__item">
									<input class="govuk-radios__input" id="decision-return" name="decision" type="radio" value="return"
										checked={decision === 'return'} onChange={() => setDecision('return')} />
									<label class="govuk-label govuk-radios__label" for="decision-return">Return it to the school</label>
								</div>
								{decision === 'return' && (
									<div class="govuk-radios__conditional">
										<TextArea id="reason" label="Reason" hint="The business manager sees this with the budget."
											value={reason} onInput={setReason} error={fieldErrors['/reason']} />
									</div>
								)}
							</div>
						</fieldset>
					</div>
					<button type="submit" class="govuk-button" disabled={busy}>Confirm decision</button>
				</form>
			)}
			<Table<Group>
				caption="By account group"
				rows={budget.groups}
				rowKey={(g) => `${g.kind}${g.group}`}
				columns={[
					{ header: 'Group', cell: (g) => humanise(g.group) },
					{ header: 'Kind', cell: (g) => humanise(g.kind) },
					{ header: 'Amount', numeric: true, cell: (g) => <Money pence={g.amount_pence} /> },
				]}
			/>
			<Table<Line>
				caption="Lines"
				rows={budget.lines}
				rowKey={(l) => l.id ?? `computed-${budget.lines.indexOf(l)}`}
				empty="This budget has no lines."
				columns={[
					{ header: 'Account', cell: (l) => l.account_code },
					{ header: 'Description', cell: (l) => l.description },
					{ header: 'Kind', cell: (l) => humanise(l.kind) },
					{ header: 'Amount', numeric: true, cell: (l) => <Money pence={l.amount_pence} /> },
				]}
			/>
		</Page>
	);
}
