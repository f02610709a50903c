// forecastView.tsx - what the forecast pages share: a run's summary as the API
// gives it (GET /forecasts/{id}/summary), a table of one figure (closing
// reserves, in-year balance) by entity and year with each entity's first
// deficit year marked, and the chart series of the same figures, all straight
// from the API's pence and years.
import type { paths } from '../../api/schema';
import type { Schemas } from '../../api/types';
import type { LineSeries } from '../../components/LineChart';
import { Money } from '../../components/Money';

export type RunSummary = paths['/api/v1/forecasts/{id}/summary']['get']['responses'][200]['content']['application/json'];
export type SummaryEntity = RunSummary['entities'][number];
export type SummaryYear = SummaryEntity['years'][number];
export type RunHead = Schemas['ForecastHead'];
/* How many runs the compare page takes at most (DESIGN.md: up to six). */
export const MAX_COMPARE = 6;

export type Figure = 'closing_reserves_pence' | 'in_year_balance_pence';

export const FIGURES: { key: Figure; title: string }[] = [
	{ key: 'closing_reserves_pence', title: 'Closing reserves' },
	{ key: 'in_year_balance_pence', title: 'In-year balance' },
];

/* The trust's consolidation is named for what it is. */
export function entityName(e: { entity: string; name: string; kind?: string }): string {
	return e.entity === 'trust' || e.kind === 'trust' ? 'The trust (consolidated)' : e.name;
}

/* The API's first year of an in-year deficit, by entity. */
export function firstDeficits(entities: SummaryEntity[]): Record<string, string> {
	const out: Record<string, string> = {};
	for (const e of entities)
		if (e.first_deficit_year)
			out[e.entity] = e.first_deficit_year;
	return out;
}

/* One line per entity; `marks` (entity -> year) marks a point of each. */
export function seriesOf(entities: SummaryEntity[], years: string[], figure: Figure, marks: Record<string, string> = {}): LineSeries[] {
	return entities.map((e) => {
		const m = marks[e.entity] !== undefined ? years.indexOf(marks[e.entity] as string) : -1;
		return {
			label: entityName(e),
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
export function FigureTable({ id, caption, entities, years, figure, marks = {} }: {
	id: string; caption: string; entities: SummaryEntity[]; years: string[]; figure: Figure; marks?: Record<string, string>;
}) {
	const basis = Object.fromEntries(entities.flatMap((e) => e.years.map((y) => [y.year, y.basis])));
	return (
		<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby={`${id}-caption`}>
			<table class="govuk-table" id={id}>
				<caption class="govuk-table__caption govuk-table__caption--s" id={`${id}-caption`}>{caption}</caption>
				<thead class="govuk-table__head"><tr class="govuk-table__row">
					<th scope="col" class="govuk-table__header">School</th>
					{years.map((y) => <th scope="col" class="govuk-table__header govuk-table__header--numeric" key={y}>
						{y}{basis[y] === 'budget' ? <span class="bursar-secondary"> (budget)</span> : null}</th>)}
				</tr></thead>
				<tbody class="govuk-table__body">
					{entities.map((e) => (
						<tr class="govuk-table__row" key={e.entity} data-entity={e.entity}>
							<th scope="row" class="govuk-table__header">{entityName(e)}</th>
							{years.map((y) => {
								const v = e.years.find((x) => x.year === y)?.[figure];
								return <td class="govuk-table__cell govuk-table__cell--numeric bursar-num" key={y} data-year={y} data-pence={v ?? ''}>
									<Money pence={v} />{marks[e.entity] === y && <DeficitMark />}</td>;
							})}
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}
