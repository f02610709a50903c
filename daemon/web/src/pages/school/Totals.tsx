// Totals.tsx - a budget's totals and its totals by account group, exactly as
// the API computed them (nothing is added up here).
import { humanise } from '../../components/format';
import { Money } from '../../components/Money';
import type { Budget } from './budgetApi';

/* The reporting groups' names where the code alone would read badly */
const GROUPS: Record<string, string> = {
	gag: 'GAG', dfe_grants: 'DfE grants', la_income: 'Local authority income', ict: 'ICT',
	self_generated: 'Self-generated income', internal: 'Internal (trust) charges',
};

/* 7850 basis points -> "78.50%" (the digits cut, not divided) */
function percent(bp: number | null): string {
	if (bp === null)
		return '–';
	const digits = Math.abs(bp).toString().padStart(3, '0');
	return `${bp < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}%`;
}

export function Totals({ budget }: { budget: Budget }) {
	const t = budget.totals;
	const row = (k: string, v: preact.ComponentChildren, id?: string) => (
		<div class="govuk-summary-list__row">
			<dt class="govuk-summary-list__key">{k}</dt>
			<dd class="govuk-summary-list__value bursar-num" id={id}>{v}</dd>
		</div>
	);
	return (
		<div class="govuk-grid-row">
			<div class="govuk-grid-column-one-half">
				<h3 class="govuk-heading-s">Totals</h3>
				<dl class="govuk-summary-list" aria-label="Totals">
					{row('Income', <Money pence={t.income_pence} />, 'total-income')}
					{row('Expenditure', <Money pence={t.expenditure_pence} />, 'total-expenditure')}
					{row('In-year balance', <Money pence={t.in_year_balance_pence} />, 'total-balance')}
					{row('Staff costs', <><Money pence={t.staff_costs_pence} /> ({percent(t.staff_costs_bp)} of income)</>)}
					{row('GAG', <Money pence={t.gag_pence} />)}
					{row('Contingency', <Money pence={t.contingency_pence} />)}
				</dl>
			</div>
			<div class="govuk-grid-column-one-half">
				<table class="govuk-table">
					<caption class="govuk-table__caption govuk-table__caption--s">By account group</caption>
					<thead class="govuk-table__head">
						<tr class="govuk-table__row">
							<th scope="col" class="govuk-table__header">Group</th>
							<th scope="col" class="govuk-table__header govuk-table__header--numeric">Amount</th>
						</tr>
					</thead>
					<tbody class="govuk-table__body">
						{budget.groups.map((g) => (
							<tr class="govuk-table__row" key={`${g.kind}${g.group}`}>
								<th scope="row" class="govuk-table__header">{GROUPS[g.group] ?? humanise(g.group)} <span class="govuk-hint govuk-!-display-inline">({g.kind})</span></th>
								<td class="govuk-table__cell govuk-table__cell--numeric bursar-num"><Money pence={g.amount_pence} /></td>
							</tr>
						))}
					</tbody>
				</table>
			</div>
		</div>
	);
}
