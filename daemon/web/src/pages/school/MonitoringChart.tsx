// MonitoringChart.tsx - the school's actual against its profile by month,
// cumulative, for income and expenditure (issue 17), drawn with the forecasts'
// chart (components/LineChart.tsx, Chart.js in its own chunk). Each point is the
// API's own figure: the monitoring at that month (GET .../monitoring?month=)
// gives the profile to date and the actual to date, totalled by the API, so the
// page adds nothing up. The actuals run to the month shown; the profile runs
// the whole year. A table under the chart has the same figures.
import { LineChart, type LineSeries } from '../../components/LineChart';
import { Money } from '../../components/Money';
import { Loading } from '../../components/Page';
import { useLoad } from '../../components/useLoad';
import { loadMonitoring, type Monitoring, monthName } from './monitoringApi';

interface Point {
	month: string;
	profile_income: number;
	profile_expenditure: number;
	actual_income: number | null;
	actual_expenditure: number | null;
}

/* The year's months "YYYY-MM" from September (text only). */
function yearMonths(year: string): string[] {
	const y = Number(year.slice(0, 4));
	return Array.from({ length: 12 }, (_, i) => (i < 4 ? `${y}-${String(9 + i).padStart(2, '0')}` : `${y + 1}-${String(i - 3).padStart(2, '0')}`));
}

async function loadPoints(urn: string, m: Monitoring): Promise<Point[]> {
	const months = yearMonths(m.year);
	const upTo = months.indexOf(m.month);
	const all = await Promise.all(months.map((mm) => (mm === m.month ? Promise.resolve(m) : loadMonitoring(urn, mm))));
	return all.map((x, i) => ({
		month: months[i] as string,
		profile_income: x.totals.profile_to_date.income_pence,
		profile_expenditure: x.totals.profile_to_date.expenditure_pence,
		actual_income: i <= upTo ? x.totals.actual_to_date.income_pence : null,
		actual_expenditure: i <= upTo ? x.totals.actual_to_date.expenditure_pence : null,
	}));
}

export function MonitoringChart({ urn, m }: { urn: string; m: Monitoring }) {
	/* profile and actuals to date: an outturn or a comment does not move them; another month or budget does */
	const pts = useLoad(() => loadPoints(urn, m), [urn, m.month, m.budget?.version]);
	return (
		<section aria-labelledby="chart-heading">
			<h2 class="govuk-heading-m" id="chart-heading">Actual against profile, by month</h2>
			{pts.data === undefined
				? (pts.loading ? <Loading what="Loading the months" /> : <p class="govuk-body">The months could not be loaded.</p>)
				: <ChartAndTable points={pts.data} />}
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
