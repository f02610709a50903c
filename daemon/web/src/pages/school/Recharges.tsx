// Recharges.tsx - what the school is recharged for the traded services it takes,
// code by code, beside what its lines budget there and how short they fall, as
// the API worked them out (budget.recharges); each service's share with how it
// was worked out. On a draft, "Fill to the recharge" puts the API's amount on
// the code's line (the page saves it with the rest).
import { formatPence } from '../../components/Money';
import { Money } from '../../components/Money';
import type { Account, Recharge } from './budgetApi';

interface Props {
	recharges: Recharge[];
	accounts: Map<string, Account>;
	editable: boolean;
	dirty: boolean;
	onFill: (r: Recharge) => void;
}

export function Recharges({ recharges, accounts, editable, dirty, onFill }: Props) {
	if (recharges.length === 0)
		return null;
	return (
		<section aria-labelledby="recharges-heading" class="govuk-!-margin-bottom-6">
			<h3 class="govuk-heading-m" id="recharges-heading">Recharges for shared services</h3>
			<p class="govuk-body">
				The trust recharges the school for the traded services it takes. The lines on each code should carry at least its
				recharge; anything above it is the school’s own spending on the code.{dirty ? ' The figures are the budget’s as saved.' : ''}
			</p>
			<table class="govuk-table" id="recharges">
				<caption class="govuk-table__caption govuk-visually-hidden">Recharges by account code</caption>
				<thead class="govuk-table__head">
					<tr class="govuk-table__row">
						<th scope="col" class="govuk-table__header">Code</th>
						<th scope="col" class="govuk-table__header">Services</th>
						<th scope="col" class="govuk-table__header govuk-table__header--numeric">Recharge</th>
						<th scope="col" class="govuk-table__header govuk-table__header--numeric">Budgeted</th>
						<th scope="col" class="govuk-table__header govuk-table__header--numeric">Short</th>
						{editable && <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Action</span></th>}
					</tr>
				</thead>
				<tbody class="govuk-table__body">
					{recharges.map((r) => (
						<tr class={`govuk-table__row${r.short_pence > 0 ? ' bursar-row--short' : ''}`} key={r.account_code} data-code={r.account_code}>
							<th scope="row" class="govuk-table__header">
								{r.account_code}
								<span class="govuk-hint bursar-block govuk-!-margin-bottom-0">{accounts.get(r.account_code)?.name ?? ''}</span>
							</th>
							<td class="govuk-table__cell">
								<ul class="govuk-list govuk-!-margin-bottom-0">
									{r.services.map((s) => (
										<li key={s.service_id}>
											{s.name}: <Money pence={s.amount_pence} />
											<span class="govuk-hint bursar-block govuk-!-margin-bottom-0">{s.explanation}</span>
										</li>
									))}
								</ul>
							</td>
							<td class="govuk-table__cell govuk-table__cell--numeric bursar-num"><Money pence={r.recharge_pence} /></td>
							<td class="govuk-table__cell govuk-table__cell--numeric bursar-num"><Money pence={r.budgeted_pence} /></td>
							<td class="govuk-table__cell govuk-table__cell--numeric bursar-num">
								{r.short_pence > 0 ? <strong class="bursar-short"><Money pence={r.short_pence} /></strong> : <Money pence={0} />}
							</td>
							{editable && (
								<td class="govuk-table__cell">
									{r.short_pence > 0 && (
										<button type="button" class="govuk-button govuk-button--secondary bursar-button--small govuk-!-margin-bottom-0"
											onClick={() => onFill(r)}>
											Fill to the recharge<span class="govuk-visually-hidden"> on {r.account_code} ({formatPence(r.recharge_pence)})</span>
										</button>
									)}
								</td>
							)}
						</tr>
					))}
				</tbody>
			</table>
		</section>
	);
}
