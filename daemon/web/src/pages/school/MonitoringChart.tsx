// MonitoringChart.tsx - the school's actual against its profile by month,
// cumulative, for income and expenditure (issue 17), drawn with the forecasts'
// chart (components/LineChart.tsx, Chart.js in its own chunk). Each point is the
// API's own figure: the monitoring's `months` (GET .../monitoring gives, in the
// one answer, the totals of the profile and of the actuals to the end of each
// month of the year), so the page adds nothing up and asks nothing more. The
// actuals run to the month shown (the API's null after it); the profile runs
// the whole year. A table under the chart has the same figures.
import { useMemo } from 'preact/hooks';

import { LineChart, type LineSeries } from '../../components/LineChart';
import { Money } from '../../components/Money';
import { type Monitoring, monthName } from './monitoringApi';

interface Point {
	month: string;
	profile_income: number;
	profile_expenditure: number;
	actual_income: number | null;
	actual_expenditure: number | null;
}

function pointsOf(m: Monitoring): Point[] {
	return m.months.map((x) => ({
		month: x.month,
		profile_income: x.profile_to_date.income_pence,
		profile_expenditure: x.profile_to_date.expenditure_pence,
		actual_income: x.actual_to_date?.income_pence ?? null,
		actual_expenditure: x.actual_to_date?.expenditure_pence ?? null,
	}));
}

export function MonitoringChart({ m }: { m: Monitoring }) {
	const points = useMemo(() => pointsOf(m), [m.months]);
	return (
		<section aria-labelledby="chart-heading">
			<h2 class="govuk-heading-m" id="chart-heading">Actual against profile, by month</h2>
			<ChartAndTable points={points} />
		</section>
	);
}

function ChartAndTable({ points }: { points: Point[] }) {
	const labels = points.map((p) => monthName(p.month));
	const series: LineSeries[] = [
		{ label: 'Expenditure: actual to date', values: points.map((p) => p.actual_expenditure) },
		{ label: 'Expenditure: profile to date', values: points.map((p) => p.profile_expenditure), dashed: true },
		{ label: 'Income: actual to date', values: points.map((p) => p.actual_income) },
		{ label: 'Income: profile to date', values: points.map((p) => p.profile_income), dashed: true },
	];
	return (
		<>
			<LineChart id="monitoring-chart" title="Cumulative income and expenditure: actual and profile" years={labels} series={series} />
			<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby="chart-table-caption">
				<table class="govuk-table" id="monitoring-chart-table">
					<caption class="govuk-table__caption govuk-table__caption--s" id="chart-table-caption">The chart’s figures: to the end of each month</caption>
					<thead class="govuk-table__head"><tr class="govuk-table__row">
						<th scope="col" class="govuk-table__header">Month</th>
						<th scope="col" class="govuk-table__header govuk-table__header--numeric">Income: profile</th>
						<th scope="col" class="govuk-table__header govuk-table__header--numeric">Income: actual</th>
						<th scope="col" class="govuk-table__header govuk-table__header--numeric">Expenditure: profile</th>
						<th scope="col" class="govuk-table__header govuk-table__header--numeric">Expenditure: actual</th>
					</tr></thead>
					<tbody class="govuk-table__body">
						{points.map((p) => (
							<tr class="govuk-table__row" key={p.month} data-month={p.month}>
								<th scope="row" class="govuk-table__header">{monthName(p.month)}</th>
								<td class="govuk-table__cell govuk-table__cell--numeric bursar-num" data-col="profile_income" data-pence={p.profile_income}><Money pence={p.profile_income} /></td>
								<td class="govuk-table__cell govuk-table__cell--numeric bursar-num" data-col="actual_income" data-pence={p.actual_income ?? ''}><Money pence={p.actual_income} /></td>
								<td class="govuk-table__cell govuk-table__cell--numeric bursar-num" data-col="profile_expenditure" data-pence={p.profile_expenditure}><Money pence={p.profile_expenditure} /></td>
								<td class="govuk-table__cell govuk-table__cell--numeric bursar-num" data-col="actual_expenditure" data-pence={p.actual_expenditure ?? ''}><Money pence={p.actual_expenditure} /></td>
							</tr>
						))}
					</tbody>
				</table>
			</div>
		</>
	);
}
