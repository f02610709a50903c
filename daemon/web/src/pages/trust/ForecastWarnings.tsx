// ForecastWarnings.tsx - a run's warnings: first how many of each kind the
// finance director acts on (in-year deficit, negative reserves, reserves below
// 5% and above 20% of income: the API's codes, as GOV.UK warning text), then
// every warning grouped by school and year (a details element per school,
// central team, the trust and the run as a whole, each a table of its years).
// The codes, years and messages are the API's; nothing is worked out here.
import { humanise } from '../../components/format';
import type { RunSummary } from './forecastView';

type Warning = RunSummary['warnings'][number];

/* The kinds a finance director acts on, in the order she reads them. */
const KINDS: { code: string; title: string }[] = [
	{ code: 'in_year_deficit', title: 'In-year deficit' },
	{ code: 'negative_reserves', title: 'Negative reserves' },
	{ code: 'reserves_low', title: 'Reserves below 5% of income' },
	{ code: 'reserves_high', title: 'Reserves above 20% of income' },
];
const OTHER: Record<string, string> = {
	services_short: 'Budget short of its recharges',
	unbudgeted_base_change: 'April change the base budget leaves out',
	contract_ends: 'Contract ends',
	pupils_falling: 'Pupils falling',
	budget_not_approved: 'Budget not approved',
};

export function kindOf(code: string): string {
	return KINDS.find((k) => k.code === code)?.title ?? OTHER[code] ?? humanise(code);
}

interface Group {
	entity: string;
	name: string;
	items: Warning[];
}

/* By entity in the run's order (schools, the central team, the trust), then the run itself. */
function byEntity(entities: { urn: string; name: string }[], warnings: Warning[]): Group[] {
	const groups: Group[] = entities.map((e) => ({ entity: e.urn, name: e.name, items: [] }));
	groups.push({ entity: '', name: 'The run as a whole', items: [] });
	for (const w of warnings) {
		let g = groups.find((x) => x.entity === w.entity);
		if (g === undefined) {
			g = { entity: w.entity, name: w.entity, items: [] };
			groups.splice(groups.length - 1, 0, g);
		}
		g.items.push(w);
	}
	for (const g of groups)
		g.items.sort((a, b) => (a.year ?? '').localeCompare(b.year ?? ''));
	return groups.filter((g) => g.items.length > 0);
}

export function ForecastWarnings({ entities, warnings }: { entities: { urn: string; name: string }[]; warnings: Warning[] }) {
	const counts = KINDS.map((k) => ({ ...k, n: warnings.filter((w) => w.code === k.code).length })).filter((k) => k.n > 0);
	const groups = byEntity(entities, warnings);
	return (
		<section aria-labelledby="warnings-title" id="warnings">
			<h2 class="govuk-heading-m" id="warnings-title">Warnings</h2>
			{counts.length === 0 && <p class="govuk-body">No deficits, and reserves between 5% and 20% of income throughout.</p>}
			{counts.map((k) => (
				<div class="govuk-warning-text" key={k.code} data-warning={k.code}>
					<span class="govuk-warning-text__icon" aria-hidden="true">!</span>
					<strong class="govuk-warning-text__text">
						<span class="govuk-visually-hidden">Warning</span>
						{k.title}: {k.n} {k.n === 1 ? 'warning' : 'warnings'}
					</strong>
				</div>
			))}
			{groups.length > 0 && <h3 class="govuk-heading-s">By school and year</h3>}
			{groups.map((g) => {
				const first = g.items.find((w) => w.code === 'in_year_deficit')?.year;
				return (
					<details class="govuk-details" key={g.entity} data-warnings-of={g.entity}>
						<summary class="govuk-details__summary"><span class="govuk-details__summary-text">
							{g.name}: {g.items.length} {g.items.length === 1 ? 'warning' : 'warnings'}
							{first ? `, first in-year deficit ${first}` : ''}</span></summary>
						<div class="govuk-details__text">
							<table class="govuk-table">
								<caption class="govuk-visually-hidden">Warnings for {g.name}, by year</caption>
								<thead class="govuk-table__head"><tr class="govuk-table__row">
									<th scope="col" class="govuk-table__header">Year</th>
									<th scope="col" class="govuk-table__header">Kind</th>
									<th scope="col" class="govuk-table__header">Warning</th>
								</tr></thead>
								<tbody class="govuk-table__body">
									{g.items.map((w, i) => (
										<tr class="govuk-table__row" key={i} data-year={w.year ?? ''} data-code={w.code}>
											<th scope="row" class="govuk-table__header">{w.year ?? 'All years'}</th>
											<td class="govuk-table__cell">{kindOf(w.code)}</td>
											<td class="govuk-table__cell">{w.message}</td>
										</tr>
									))}
								</tbody>
							</table>
						</div>
					</details>
				);
			})}
		</section>
	);
}
