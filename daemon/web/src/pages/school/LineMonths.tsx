// LineMonths.tsx - one budget line's monthly profile and its twelve months (the
// drawer under the grid that a line's "Months" button opens; issue 17). On a
// draft the person chooses the account's default profile, a named profile
// (GET /api/v1/profiles) or the line's own twelve weights, in per cent or basis
// points; "Use this profile" puts the choice on the grid's line, and the page's
// "Save changes" sends it with every line. The months shown are the API's
// (months_pence, exact, summing to the amount) as last saved: the page splits
// nothing itself, and a line changed since says so. Whether own weights sum to
// 100% is the API's to judge: its error comes back on the line.
import { useEffect, useRef, useState } from 'preact/hooks';

import { Money } from '../../components/Money';
import type { Account } from './budgetApi';
import { type GridRow, profileText } from './BudgetGrid';
import { MONTHS, parseWeights, type Profile, type Unit, weightsText } from './profileApi';
import { WeightsFields } from './WeightsFields';

interface Props {
	index: number;                      /* the line's position in the grid, from 0 */
	row: GridRow;
	generation: number;                 /* the budget as saved: a new value starts the form again */
	accounts: Map<string, Account>;
	profiles: Profile[] | undefined;
	editable: boolean;
	onApply: (profile: string | null, profileBp: number[] | null) => void;
	onClose: () => void;
}

const OWN = '__own';

function choiceOf(r: GridRow): string {
	return r.profile !== null ? r.profile : r.profile_bp !== null ? OWN : '';
}

export function LineMonths({ index, row, generation, accounts, profiles, editable, onApply, onClose }: Props) {
	const heading = useRef<HTMLHeadingElement>(null);
	const [choice, setChoice] = useState(choiceOf(row));
	const [unit, setUnit] = useState<Unit>('pct');
	const [texts, setTexts] = useState<string[]>(weightsText(row.profile_bp, 'pct'));
	const [problems, setProblems] = useState<Map<number, string>>(new Map());
	const [applied, setApplied] = useState(false);

	/* another line, or this line as saved: the form starts from it again */
	useEffect(() => {
		setChoice(choiceOf(row));
		setTexts(weightsText(row.profile_bp, unit));
		setProblems(new Map());
		setApplied(false);
	}, [index, generation]);
	useEffect(() => { heading.current?.focus(); }, [index]);

	const account = accounts.get(row.account_code.trim()) ?? accounts.get(row.account_code.trim().toUpperCase());
	const canEdit = editable && !row.computed;
	const pick = (v: string) => {
		setChoice(v);
		setApplied(false);
		if (v === OWN && texts.every((t) => t.trim() === '')) {
			/* start from the weights the line uses now, when they are a named profile's */
			const named = profiles?.find((p) => p.name === (row.profile ?? account?.default_profile ?? 'even'));
			if (named !== undefined)
				setTexts(weightsText(named.weights_bp, unit));
		}
	};
	const apply = () => {
		if (choice !== OWN) {
			setProblems(new Map());
			onApply(choice === '' ? null : choice, null);
			setApplied(true);
			return;
		}
		const p = parseWeights(texts, unit);
		if (!p.ok) {
			setProblems(p.problems);
			setApplied(false);
			document.getElementById(`weight-${[...p.problems.keys()][0] ?? 0}`)?.focus();
			return;
		}
		setProblems(new Map());
		onApply(null, p.value);
		setApplied(true);
	};

	return (
		<section class="bursar-drawer" id="line-months" aria-labelledby="line-months-title">
			<h3 class="govuk-heading-m" id="line-months-title" tabIndex={-1} ref={heading}>
				Line {index + 1}: {row.account_code}{row.description ? ` – ${row.description}` : ''}, by month
			</h3>
			<p class="govuk-body">Profile: <strong id="line-months-profile">{profileText(row, accounts)}</strong>
				{row.profile_source === 'posts' && ' (the posts’ pay, NI and pension month by month)'}</p>
			{canEdit && (
				<div class="govuk-form-group">
					<label class="govuk-label govuk-label--s" for="months-profile">Split the line’s amount by</label>
					<div class="govuk-hint" id="months-profile-hint">A named profile, the account’s default, or twelve weights of your own that add up to 100%.</div>
					<select class="govuk-select" id="months-profile" value={choice} aria-describedby="months-profile-hint"
						onChange={(e) => pick((e.target as HTMLSelectElement).value)}>
						<option value="">The account’s default ({account?.default_profile ?? 'even'})</option>
						{(profiles ?? []).map((p) => <option key={p.name} value={p.name}>{p.name}{p.description ? ` – ${p.description}` : ''}</option>)}
						{row.profile !== null && !(profiles ?? []).some((p) => p.name === row.profile) &&
							<option value={row.profile}>{row.profile}</option>}
						<option value={OWN}>Own weights</option>
					</select>
				</div>
			)}
			{canEdit && choice === OWN && (
				<WeightsFields id="weight" legend="The line’s own weights" texts={texts} unit={unit} problems={problems}
					onTexts={(t) => { setTexts(t); setApplied(false); }}
					onUnit={(u, t) => { setUnit(u); setTexts(t); setProblems(new Map()); }} />
			)}
			<div class="govuk-button-group">
				{canEdit && <button type="button" class="govuk-button" id="months-apply" onClick={apply}>Use this profile</button>}
				<button type="button" class="govuk-button govuk-button--secondary" onClick={onClose}>Close the months</button>
			</div>
			{applied && <p class="govuk-body" role="status"><strong>The line’s profile is changed on the page. Save your changes to see its months.</strong></p>}
			{row.months === null ? (
				<p class="govuk-body" id="line-months-none">This line has changed since it was saved: save your changes to see its months as bursar splits them.</p>
			) : (
				<table class="govuk-table" id="line-months-table">
					<caption class="govuk-table__caption govuk-table__caption--s">The line’s months as saved (they add up to its amount exactly)</caption>
					<thead class="govuk-table__head"><tr class="govuk-table__row">
						<th scope="col" class="govuk-table__header">Month</th>
						<th scope="col" class="govuk-table__header govuk-table__header--numeric">Amount</th>
					</tr></thead>
					<tbody class="govuk-table__body">
						{row.months.map((p, i) => (
							<tr class="govuk-table__row" key={MONTHS[i]}>
								<th scope="row" class="govuk-table__header">{MONTHS[i]}</th>
								<td class="govuk-table__cell govuk-table__cell--numeric bursar-num" data-month={i + 1} data-pence={p}><Money pence={p} /></td>
							</tr>
						))}
					</tbody>
				</table>
			)}
		</section>
	);
}
