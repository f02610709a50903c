// BudgetActions.tsx - the budget workflow's buttons for the person looking at it:
// a business manager submits a draft; the finance director approves a submitted
// budget with the board minute or returns it with a reason. Each is one POST to
// .../transitions with the budget's version as If-Match (the CSRF token rides
// along from the client); the API's refusals are shown in GOV.UK's error summary.
import { useState } from 'preact/hooks';

import { api, must } from '../api/client';
import { ApiError, describeError } from '../api/problem';
import type { Budget, Me } from '../api/types';
import { ErrorSummary, summaryOf, type SummaryError } from './ErrorSummary';

const FIELDS = { '/minute_ref': 'minute-ref', '/reason': 'reason' };
const LABELS = { '/minute_ref': 'Board minute', '/reason': 'Reason' };

interface Props {
	budget: Budget;
	me: Me;
	done: () => void;
}

type Action = 'submit' | 'approve' | 'return';

export function BudgetActions({ budget, me, done }: Props) {
	const [minute, setMinute] = useState('');
	const [reason, setReason] = useState('');
	const [errors, setErrors] = useState<SummaryError[]>([]);
	const [busy, setBusy] = useState(false);

	const canSubmit = budget.status === 'draft' && (me.role === 'business_manager' || me.role === 'finance_director');
	const canDecide = budget.status === 'submitted' && me.role === 'finance_director';
	if (!canSubmit && !canDecide)
		return null;

	const act = async (action: Action) => {
		if (action === 'approve' && minute.trim() === '')
			return setErrors([{ text: 'Enter the board minute that approved the budget', href: '#minute-ref' }]);
		if (action === 'return' && reason.trim() === '')
			return setErrors([{ text: 'Enter why the budget is going back to the school', href: '#reason' }]);
		setBusy(true);
		try {
			await must(api.POST('/api/v1/schools/{urn}/budgets/{year}/transitions', {
				params: { path: { urn: budget.urn, year: budget.year }, header: { 'If-Match': `"${budget.version}"` } },
				body: action === 'submit' ? { action } : action === 'approve'
					? { action, minute_ref: minute.trim() } : { action, reason: reason.trim() },
			}));
			setErrors([]);
			done();
		} catch (e) {
			if (e instanceof ApiError && (e.status === 409 || e.status === 412))
				setErrors([{ text: 'The budget changed since this page loaded: it has been reloaded, check it and try again.' }]);
			else if (e instanceof ApiError && e.fieldErrors.length > 0)
				setErrors([{ text: e.problem.detail }, ...summaryOf(e.fieldErrors, FIELDS, LABELS)]);
			else
				setErrors([{ text: describeError(e) }]);
			if (e instanceof ApiError && (e.status === 409 || e.status === 412))
				done();
		} finally {
			setBusy(false);
		}
	};

	return (
		<section aria-labelledby="actions-heading" class="govuk-!-margin-bottom-8">
			<h2 class="govuk-heading-m" id="actions-heading">What happens next</h2>
			<ErrorSummary errors={errors} />
			{canSubmit && (
				<>
					<p class="govuk-body">When the budget is ready, submit it to the finance director for approval.</p>
					<button type="button" class="govuk-button" disabled={busy} onClick={() => act('submit')}>Submit for approval</button>
				</>
			)}
			{canDecide && (
				<div class="govuk-grid-row">
					<div class="govuk-grid-column-one-half">
						<div class="govuk-form-group">
							<label class="govuk-label govuk-label--s" for="minute-ref">Board minute</label>
							<div class="govuk-hint" id="minute-ref-hint">The reference of the minute that approved it, for example FB-2026-07</div>
							<input class="govuk-input govuk-input--width-20" id="minute-ref" aria-describedby="minute-ref-hint"
								value={minute} onInput={(e) => setMinute((e.target as HTMLInputElement).value)} />
						</div>
						<button type="button" class="govuk-button" disabled={busy} onClick={() => act('approve')}>Approve</button>
					</div>
					<div class="govuk-grid-column-one-half">
						<div class="govuk-form-group">
							<label class="govuk-label govuk-label--s" for="reason">Reason for returning it</label>
							<textarea class="govuk-textarea" id="reason" rows={3} value={reason}
								onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
						</div>
						<button type="button" class="govuk-button govuk-button--warning" disabled={busy} onClick={() => act('return')}>Return to the school</button>
					</div>
				</div>
			)}
		</section>
	);
}
