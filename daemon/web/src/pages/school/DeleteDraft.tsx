// DeleteDraft.tsx - delete a draft budget made by mistake, after a confirmation
// (DELETE with the version read as If-Match). The API decides what may go (a
// draft never submitted, or one with no typed lines) and says why not (409).
import { useRef, useState } from 'preact/hooks';

import { ApiError, describeError } from '../../api/problem';
import { type Budget, deleteBudget } from './budgetApi';

interface Props {
	budget: Budget;
	disabled: boolean;
	onDeleted: () => void;
	onStale: () => void;
}

export function DeleteDraft({ budget, disabled, onDeleted, onStale }: Props) {
	const [asking, setAsking] = useState(false);
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState<string | null>(null);
	const confirmRef = useRef<HTMLDivElement>(null);

	const ask = () => {
		setError(null);
		setAsking(true);
		setTimeout(() => confirmRef.current?.focus(), 0);
	};
	const remove = async () => {
		setBusy(true);
		try {
			await deleteBudget(budget.urn, budget.year, budget.version);
			setAsking(false);
			onDeleted();
		} catch (e) {
			if (e instanceof ApiError && e.status === 412) {
				setAsking(false);
				onStale();
			} else {
				setError(describeError(e));
			}
		} finally {
			setBusy(false);
		}
	};

	return (
		<section aria-labelledby="delete-heading" class="govuk-!-margin-top-6">
			<h3 class="govuk-heading-m" id="delete-heading">Delete this draft</h3>
			{error !== null && (
				<div class="govuk-error-summary" role="alert" tabIndex={-1}>
					<h2 class="govuk-error-summary__title">The draft was not deleted</h2>
					<div class="govuk-error-summary__body"><p class="govuk-body">{error}</p></div>
				</div>
			)}
			{!asking ? (
				<>
					<p class="govuk-body">A draft made by mistake, and never submitted, can be deleted with its lines.</p>
					<button type="button" class="govuk-button govuk-button--warning" disabled={disabled} onClick={ask}>Delete the {budget.year} draft</button>
				</>
			) : (
				<div class="govuk-warning-text bursar-confirm" ref={confirmRef} tabIndex={-1} role="alertdialog" aria-labelledby="delete-question">
					<span class="govuk-warning-text__icon" aria-hidden="true">!</span>
					<div class="govuk-warning-text__text">
						<span class="govuk-visually-hidden">Warning</span>
						<span id="delete-question">Delete the draft budget for {budget.year} and its {budget.lines.length} lines? This cannot be undone.</span>
						<div class="govuk-button-group govuk-!-margin-top-2 govuk-!-margin-bottom-0">
							<button type="button" class="govuk-button govuk-button--warning" disabled={busy} onClick={() => { void remove(); }}>Yes, delete it</button>
							<button type="button" class="govuk-button govuk-button--secondary" disabled={busy} onClick={() => setAsking(false)}>No, keep it</button>
						</div>
					</div>
				</div>
			)}
		</section>
	);
}
