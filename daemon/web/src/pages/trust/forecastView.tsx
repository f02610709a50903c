// forecastView.tsx - what the forecast pages share: a table of one figure
// (closing reserves, in-year balance) by entity and year, and the chart
// series of the same figures, both straight from the API's pence.
import type { Schemas } from '../../api/types';
import type { LineSeries } from '../../components/LineChart';
import { Money } from '../../components/Money';

export type Forecast = Schemas['Forecast'];
export type ForecastYear = Schemas['ForecastYear'];
/* How many runs the compare page takes at most (DESIGN.md: up to six). */
export const MAX_COMPARE = 6;

export type Figure = 'closing_reserves_pence' | 'in_year_balance_pence';

export const FIGURES: { key: Figure; title: string }[] = [
	{ key: 'closing_reserves_pence', title: 'Closing reserves' },
	{ key: 'in_year_balance_pence', title: 'In-year balance' },
];

export interface EntityYears {
	urn: string;
	name: string;
	years: ForecastYear[];
}

/* Every entity of a run, the trust's consolidation last (when the reader may see it). */
export function entitiesOf(f: Forecast): EntityYears[] {
	const out: EntityYears[] = f.entities.map((e) => ({ urn: e.urn, name: e.name, years: e.years }));
	if (f.trust)
		out.push({ urn: 'trust', name: 'The trust (consolidated)', years: f.trust.years });
	return out;
}

export function yearsOf(entities: EntityYears[]): string[] {
	return [...new Set(entities.flatMap((e) => e.years.map((y) => y.year)))].sort();
}

/* Each entity's first year of an in-year deficit, as the API dates it: the
 * earliest year of its `in_year_deficit` warnings (the run summary's
 * `first_deficit_year` once the API gives one). Nothing is worked out here
 * from the figures. */
export function firstDeficitYears(f: Forecast): Record<string, string> {
	const out: Record<string, string> = {};
	for (const w of f.warnings)
		if (w.code === 'in_year_deficit' && w.year && (out[w.entity] === undefined || w.year < (out[w.entity] as string)))
			out[w.entity] = w.year;
	return out;
}

/* One line per entity; `marks` (entity -> year) marks a point of each. */
export function seriesOf(entities: EntityYears[], years: string[], figure: Figure, marks: Record<string, string> = {}): LineSeries[] {
	return entities.map((e) => {
		const m = marks[e.urn] !== undefined ? years.indexOf(marks[e.urn] as string) : -1;
		return {
			label: e.name,
			values: years.map((y) => e.years.find((x) => x.year === y)?.[figure] ?? null),
			...(m >= 0 ? { mark: m } : {}),
		};
	});
}

/* What the deficit marks say, under a chart and in its canvas's name. */
export const DEFICIT_MARKS = {
	note: 'each school’s first year of an in-year deficit',
	none: 'No school has an in-year deficit in these years.',
};

/* A table cell's mark: the same triangle as the chart's, and its words for a screen reader. */
export function DeficitMark() {
	return <span class="bursar-mark" title="First year of an in-year deficit" data-mark="first-deficit">
		<span aria-hidden="true"> ▲</span><span class="govuk-visually-hidden"> (first year of an in-year deficit)</span></span>;
}

/* Entities as rows, years as columns: the chart's figures for people who cannot see it. */
export function FigureTable({ id, caption, entities, years, figure, basis, marks = {} }: {
	id: string; caption: string; entities: EntityYears[]; years: string[]; figure: Figure; basis?: Record<string, string>;
	marks?: Record<string, string>;
}) {
	return (
		<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby={`${id}-caption`}>
			<table class="govuk-table" id={id}>
				<caption class="govuk-table__caption govuk-table__caption--s" id={`${id}-caption`}>{caption}</caption>
				<thead class="govuk-table__head"><tr class="govuk-table__row">
					<th scope="col" class="govuk-table__header">School</th>
					{years.map((y) => <th scope="col" class="govuk-table__header govuk-table__header--numeric" key={y}>
						{y}{basis?.[y] === 'budget' ? <span class="bursar-secondary"> (budget)</span> : null}</th>)}
				</tr></thead>
				<tbody class="govuk-table__body">
					{entities.map((e) => (
						<tr class="govuk-table__row" key={e.urn} data-entity={e.urn}>
							<th scope="row" class="govuk-table__header">{e.name}</th>
							{years.map((y) => {
								const v = e.years.find((x) => x.year === y)?.[figure];
								return <td class="govuk-table__cell govuk-table__cell--numeric bursar-num" key={y} data-year={y} data-pence={v ?? ''}>
									<Money pence={v} />{marks[e.urn] === y && <DeficitMark />}</td>;
							})}
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}
