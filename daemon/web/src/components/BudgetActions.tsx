// BudgetActions.tsx - the budget workflow's next step on a school's budget page:
// a business manager (or the finance director) submits a draft, one POST to
// .../transitions with the budget's version as If-Match (the CSRF token rides
// along from the client), its refusals in GOV.UK's error summary. The decision
// on a submitted budget is the finance director's review page
// (pages/trust/BudgetReview.tsx), linked from here.
import { useState } from 'preact/hooks';

import { api, must } from '../api/client';
import { ApiError, describeError } from '../api/problem';
import type { Budget, Me } from '../api/types';
import { ErrorSummary, type SummaryError } from './ErrorSummary';

interface Props {
	budget: Budget;
	me: Me;
	done: () => void;
}

export function BudgetActions({ budget, me, done }: Props) {
	const [errors, setErrors] = useState<SummaryError[]>([]);
	const [busy, setBusy] = useState(false);

	const canSubmit = budget.status === 'draft' && (me.role === 'business_manager' || me.role === 'finance_director');
	const canDecide = budget.status === 'submitted' && me.role === 'finance_director';
	if (canDecide)
		return (
			<p class="govuk-body">
				<a class="govuk-link" href={`/trust/budgets/${budget.year}/${budget.urn}`}>Review this budget and approve or return it</a>
			</p>
		);
	if (!canSubmit)
		return null;

	const submit = async () => {
		setBusy(true);
		try {
			await must(api.POST('/api/v1/schools/{urn}/budgets/{year}/transitions', {
				params: { path: { urn: budget.urn, year: budget.year }, header: { 'If-Match': `"${budget.version}"` } },
				body: { action: 'submit' },
			}));
			setErrors([]);
			done();
		} catch (e) {
			const stale = e instanceof ApiError && (e.status === 409 || e.status === 412);
			if (stale)
				setErrors([{ text: 'The budget changed since this page loaded: it has been reloaded, check it and try again.' }]);
			else if (e instanceof ApiError && e.fieldErrors.length > 0)
				setErrors([{ text: e.problem.detail }, ...e.fieldErrors.map((f) => ({ text: `${f.field}: ${f.message}` }))]);
			else
				setErrors([{ text: describeError(e) }]);
			if (stale)
				done();
		} finally {
			setBusy(false);
		}
	};

	return (
		<section aria-labelledby="actions-heading" class="govuk-!-margin-bottom-8">
			<h2 class="govuk-heading-m" id="actions-heading">What happens next</h2>
			<ErrorSummary errors={errors} />
			<p class="govuk-body">When the budget is ready, submit it to the finance director for approval.</p>
			<button type="button" class="govuk-button" disabled={busy} onClick={submit}>Submit for approval</button>
		</section>
	);
}
