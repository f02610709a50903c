// ForecastWarnings.tsx - a run's warnings as GOV.UK warning text, grouped: in-year
// deficits, negative reserves, reserves below 5% and above 20% of income (the
// API's codes; "negative" is a reserves_low warning whose closing reserves the
// API gives below zero), each group's entries behind a details element; every
// other note (fallbacks, contracts ending, budgets not approved) after them.
import type { Forecast } from './forecastView';

type Warning = Forecast['warnings'][number];

interface Group {
	key: string;
	title: string;
	items: Warning[];
}

export function ForecastWarnings({ run }: { run: Forecast }) {
	const names: Record<string, string> = Object.fromEntries(run.entities.map((e) => [e.urn, e.name]));
	names.trust = 'The trust';
	const closing = (w: Warning): number | undefined => {
		const years = w.entity === 'trust' ? run.trust?.years : run.entities.find((e) => e.urn === w.entity)?.years;
		return years?.find((y) => y.year === w.year)?.closing_reserves_pence;
	};
	const groups: Group[] = [
		{ key: 'in_year_deficit', title: 'In-year deficit', items: [] },
		{ key: 'reserves_negative', title: 'Negative reserves', items: [] },
		{ key: 'reserves_low', title: 'Reserves below 5% of income', items: [] },
		{ key: 'reserves_high', title: 'Reserves above 20% of income', items: [] },
	];
	const other: Warning[] = [];
	for (const w of run.warnings) {
		let key = w.code;
		if (key === 'reserves_low' && (closing(w) ?? 0) < 0)
			key = 'reserves_negative';
		const g = groups.find((x) => x.key === key);
		if (g)
			g.items.push(w);
		else
			other.push(w);
	}
	const who = (w: Warning) => (w.entity === '' ? 'The run' : names[w.entity] ?? w.entity);
	const list = (items: Warning[]) => (
		<ul class="govuk-list govuk-list--bullet">
			{items.map((w, i) => <li key={i}><strong>{who(w)}</strong>{w.year ? `, ${w.year}` : ''}: {w.message}</li>)}
		</ul>
	);
	const shown = groups.filter((g) => g.items.length > 0);
	return (
		<section aria-labelledby="warnings-title" id="warnings">
			<h2 class="govuk-heading-m" id="warnings-title">Warnings</h2>
			{shown.length === 0 && <p class="govuk-body">No deficits, and reserves between 5% and 20% of income throughout.</p>}
			{shown.map((g) => (
				<div key={g.key} data-warning={g.key}>
					<div class="govuk-warning-text">
						<span class="govuk-warning-text__icon" aria-hidden="true">!</span>
						<strong class="govuk-warning-text__text">
							<span class="govuk-visually-hidden">Warning</span>
							{g.title}: {g.items.length} {g.items.length === 1 ? 'warning' : 'warnings'}
						</strong>
					</div>
					<details class="govuk-details">
						<summary class="govuk-details__summary"><span class="govuk-details__summary-text">{g.title}: where and when</span></summary>
						<div class="govuk-details__text">{list(g.items)}</div>
					</details>
				</div>
			))}
			{other.length > 0 && (
				<details class="govuk-details">
					<summary class="govuk-details__summary"><span class="govuk-details__summary-text">Other notes ({other.length})</span></summary>
					<div class="govuk-details__text">{list(other)}</div>
				</details>
			)}
		</section>
	);
}
