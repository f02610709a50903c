// LineChart.tsx - a line chart of money by year (Chart.js, loaded on first use:
// its chunk is fetched only by the pages that draw one). The values are the
// API's integer pence, plotted as they are; only the labels are pounds: the
// axis ticks and tooltips are formatted from the integers by Money's
// formatPence (a tick Chart.js places between two values is rounded to a whole
// penny for its label only). Nothing is computed from the figures.
//
// The canvas is an image with a name (role="img", aria-label); the page shows
// the same figures in a table beside it, the accessible alternative. A series
// may mark one point (`mark`: its position in `years`, e.g. a school's first
// in-year deficit as the API dates it): drawn as a larger triangle, named in
// the canvas's label, and said as text under the chart (`marks`).
import { useEffect, useRef, useState } from 'preact/hooks';

import { formatPence } from './Money';

export interface LineSeries {
	label: string;
	/* pence by position in `years`; null where the series has no figure */
	values: (number | null)[];
	dashed?: boolean;
	/* the position in `years` of the point to mark, if any */
	mark?: number;
}

interface Props {
	id: string;
	title: string;
	years: string[];
	series: LineSeries[];
	/* what a marked point means, said under the chart: `note` ("each school's
	 * first in-year deficit") when a series has one, `none` when none has */
	marks?: { note: string; none: string };
}

/* Colour-blind-safe (Okabe-Ito, darkened where needed for contrast on white),
 * then repeated with dashes. */
const COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#8a6d00', '#56595c', '#6a3d9a', '#b15928', '#1f78b4', '#33691e'];

function money(v: number | string): string {
	const n = typeof v === 'number' ? v : Number(v);
	return Number.isFinite(n) ? formatPence(Math.round(n), true) : String(v);
}

export function LineChart({ id, title, years, series, marks: markText }: Props) {
	const canvas = useRef<HTMLCanvasElement>(null);
	const [failed, setFailed] = useState(false);

	useEffect(() => {
		let chart: { destroy(): void } | undefined;
		let live = true;
		import('./chartjs').then(({ Chart }) => {
			if (!live || canvas.current === null)
				return;
			chart = new Chart(canvas.current, {
				type: 'line',
				data: {
					labels: years,
					datasets: series.map((s, i) => ({
						label: s.label,
						data: s.values,
						borderColor: COLOURS[i % COLOURS.length],
						backgroundColor: COLOURS[i % COLOURS.length],
						borderDash: s.dashed || i >= COLOURS.length ? [6, 4] : [],
						spanGaps: false,
						tension: 0,
						pointStyle: s.values.map((_, j) => (j === s.mark ? 'triangle' : 'circle')),
						pointRadius: s.values.map((_, j) => (j === s.mark ? 9 : 3)),
						pointHoverRadius: s.values.map((_, j) => (j === s.mark ? 11 : 5)),
					})),
				},
				options: {
					responsive: true,
					maintainAspectRatio: false,
					animation: false,
					interaction: { mode: 'index', intersect: false },
					scales: {
						y: { ticks: { callback: (v) => money(v) } },
					},
					plugins: {
						legend: { position: 'bottom' },
						tooltip: { callbacks: { label: (c) => `${c.dataset.label ?? ''}: ${money(c.parsed.y ?? 0)}` } },
					},
				},
			});
		}, () => { if (live) setFailed(true); });
		return () => {
			live = false;
			chart?.destroy();
		};
	}, [years, series]);

	const marked = series.filter((s) => s.mark !== undefined && years[s.mark] !== undefined);
	const marks = markText === undefined ? '' : marked.length === 0
		? markText.none
		: `A triangle marks ${markText.note}: ${marked.map((s) => `${s.label} in ${years[s.mark as number]}`).join('; ')}.`;
	return (
		<figure class="bursar-chart" aria-labelledby={`${id}-title`}>
			<figcaption class="govuk-heading-s" id={`${id}-title`}>{title}</figcaption>
			{failed
				? <p class="govuk-body">The chart could not be drawn; the table below has the same figures.</p>
				: <div class="bursar-chart__canvas"><canvas id={id} ref={canvas} role="img"
					aria-label={`${title}: a line chart of ${series.map((s) => s.label).join(', ')} by year${marks ? `. ${marks}` : ''}; the table below gives the figures`} /></div>}
			{markText !== undefined && <p class="govuk-body-s bursar-chart__marks" id={`${id}-marks`}>{marks}</p>}
		</figure>
	);
}
