// Allocations.tsx - the allocation matrix for a year (finance director and
// auditors): every school × every shared service, what each pays, with the
// row totals (all, recharged, paid centrally) and the column totals exactly as
// the API gives them; the same as a spreadsheet (XLSX or CSV).
import { useLocation } from 'preact-iso';

import { api, must } from '../../api/client';
import { Downloads } from '../../components/Downloads';
import { Money } from '../../components/Money';
import { LoadError, Loading, Page } from '../../components/Page';
import { useLoad } from '../../components/useLoad';
import { useYearChoice } from './yearChoice';

export default function Allocations() {
	const { query } = useLocation();
	const { year, select, loading, error } = useYearChoice(query.year);
	const m = useLoad(async () => year === null ? undefined : must(api.GET('/api/v1/allocations', { params: { query: { year } } })), [year]);

	if (loading)
		return <Page title="Allocation matrix"><Loading /></Page>;
	if (error !== undefined)
		return <Page title="Allocation matrix"><LoadError error={error} /></Page>;
	const d = m.data;
	return (
		<Page title="Allocation matrix" caption={year ?? undefined}>
			<p class="govuk-body">What each school pays for each <a class="govuk-link" href="/trust/services">shared service</a>.</p>
			<div class="bursar-actions">
				{select}
				{year !== null && <Downloads path={`/api/v1/allocations?year=${encodeURIComponent(year)}`} name={`allocations-${year}`} what={`the allocation matrix for ${year}`} />}
			</div>
			{m.loading && <Loading />}
			{m.error !== undefined && <LoadError error={m.error} />}
			{d && (
				<>
					{!d.totals.sum_matches && (
						<div class="govuk-warning-text">
							<span class="govuk-warning-text__icon" aria-hidden="true">!</span>
							<strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>The shares do not add up to the services’ costs.</strong>
						</div>
					)}
					<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby="matrix-caption">
						<table class="govuk-table" id="matrix">
							<caption class="govuk-table__caption govuk-table__caption--s" id="matrix-caption">What each school pays in {d.year}, by service</caption>
							<thead class="govuk-table__head"><tr class="govuk-table__row">
								<th scope="col" class="govuk-table__header">School</th>
								{d.services.map((s) => <th scope="col" class="govuk-table__header govuk-table__header--numeric" key={s.id}>
									<a class="govuk-link" href={`/trust/services/${s.id}?year=${d.year}`}>{s.name}</a></th>)}
								<th scope="col" class="govuk-table__header govuk-table__header--numeric">Total</th>
								<th scope="col" class="govuk-table__header govuk-table__header--numeric">Recharged</th>
								<th scope="col" class="govuk-table__header govuk-table__header--numeric">Paid centrally</th>
							</tr></thead>
							<tbody class="govuk-table__body">
								{d.schools.map((r) => (
									<tr class="govuk-table__row" key={r.urn} data-urn={r.urn}>
										<th scope="row" class="govuk-table__header">{r.name}</th>
										{r.shares_pence.map((p, i) => <td class="govuk-table__cell govuk-table__cell--numeric bursar-num" key={d.services[i]?.id ?? i}><Money pence={p} /></td>)}
										<td class="govuk-table__cell govuk-table__cell--numeric bursar-num" data-total={r.total_pence}><Money pence={r.total_pence} /></td>
										<td class="govuk-table__cell govuk-table__cell--numeric bursar-num"><Money pence={r.traded_pence} /></td>
										<td class="govuk-table__cell govuk-table__cell--numeric bursar-num"><Money pence={r.core_pence} /></td>
									</tr>
								))}
							</tbody>
							<tfoot>
								<tr class="govuk-table__row">
									<th scope="row" class="govuk-table__header">All schools</th>
									{d.totals.shares_pence.map((p, i) => <td class="govuk-table__cell govuk-table__cell--numeric bursar-num" key={i}><strong><Money pence={p} /></strong></td>)}
									<td class="govuk-table__cell govuk-table__cell--numeric bursar-num"><strong><Money pence={d.totals.total_pence} /></strong></td>
									<td class="govuk-table__cell govuk-table__cell--numeric bursar-num"><strong><Money pence={d.totals.traded_pence} /></strong></td>
									<td class="govuk-table__cell govuk-table__cell--numeric bursar-num"><strong><Money pence={d.totals.core_pence} /></strong></td>
								</tr>
								<tr class="govuk-table__row">
									<th scope="row" class="govuk-table__header">Cost</th>
									{d.services.map((s) => <td class="govuk-table__cell govuk-table__cell--numeric bursar-num" key={s.id}><Money pence={s.cost_pence} /></td>)}
									<td class="govuk-table__cell govuk-table__cell--numeric bursar-num"><Money pence={d.totals.cost_pence} /></td>
									<td class="govuk-table__cell" colSpan={2}></td>
								</tr>
								<tr class="govuk-table__row">
									<th scope="row" class="govuk-table__header">Not allocated</th>
									{d.services.map((s) => <td class="govuk-table__cell govuk-table__cell--numeric bursar-num" key={s.id}><Money pence={s.unallocated_pence} /></td>)}
									<td class="govuk-table__cell govuk-table__cell--numeric bursar-num"><Money pence={d.totals.unallocated_pence} /></td>
									<td class="govuk-table__cell" colSpan={2}></td>
								</tr>
							</tfoot>
						</table>
					</div>
				</>
			)}
		</Page>
	);
}
