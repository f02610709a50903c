// PayScales.tsx - the trust's pay scales (issue 16; GET /api/v1/pay-scales):
// each scale's name, title, kind (teachers' by academic year, awards in
// September; support staff's by pay year, awards in April), pay area and the
// years it has values for; one scale (/trust/pay-scales/:name) as a table of
// its points by year, full-time annual pay as the API holds it. Every finance
// role reads; the export is a CSV or an XLSX of every scale, and the finance
// director imports one (all or nothing: each scale and year in the file
// replaces that year's points), a refused file's problems shown on its rows
// (SheetTransfer.tsx).
import { useRoute } from 'preact-iso';
import { useState } from 'preact/hooks';

import { humanise } from '../../components/format';
import { Money } from '../../components/Money';
import { LoadError, Loading, Page } from '../../components/Page';
import { useMe } from '../../components/session';
import { useLoad } from '../../components/useLoad';
import { loadPayScale, loadPayScales, type PayScale, type PayScaleSummary } from '../school/staffApi';
import { SheetTransfer } from './SheetTransfer';

function ScaleList({ scales }: { scales: PayScaleSummary[] }) {
	if (scales.length === 0)
		return <p class="govuk-body">There are no pay scales yet: import a file of them.</p>;
	return (
		<table class="govuk-table" id="scales">
			<caption class="govuk-table__caption govuk-table__caption--m">Pay scales</caption>
			<thead class="govuk-table__head"><tr class="govuk-table__row">
				<th scope="col" class="govuk-table__header">Scale</th>
				<th scope="col" class="govuk-table__header">Kind</th>
				<th scope="col" class="govuk-table__header">Pay area</th>
				<th scope="col" class="govuk-table__header">Years</th>
			</tr></thead>
			<tbody class="govuk-table__body">
				{scales.map((s) => (
					<tr class="govuk-table__row" key={s.name} data-scale={s.name}>
						<th scope="row" class="govuk-table__header">
							<a class="govuk-link" href={`/trust/pay-scales/${encodeURIComponent(s.name)}`}>{s.title}</a>
							<span class="bursar-block bursar-secondary"><code>{s.name}</code></span></th>
						<td class="govuk-table__cell">{s.kind === 'teacher' ? 'Teachers (academic year)' : 'Support staff (pay year from April)'}</td>
						<td class="govuk-table__cell">{s.area ? humanise(s.area) : '–'}</td>
						<td class="govuk-table__cell">{s.years.join(', ') || '–'}</td>
					</tr>
				))}
			</tbody>
		</table>
	);
}

/* Points as rows, years as columns. */
function ScalePoints({ scale }: { scale: PayScale }) {
	const years = [...new Set(scale.points.map((p) => p.year))].sort();
	const ords = new Map<string, number>();
	for (const p of scale.points)
		ords.set(p.point, Math.min(ords.get(p.point) ?? p.ord, p.ord));
	const points = [...ords.entries()].sort((a, b) => a[1] - b[1]).map(([p]) => p);
	const value = (point: string, year: string) => scale.points.find((p) => p.point === point && p.year === year)?.annual_pence;
	if (points.length === 0)
		return <p class="govuk-body">This scale has no points yet.</p>;
	return (
		<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby="points-caption">
			<table class="govuk-table" id="points">
				<caption class="govuk-table__caption govuk-table__caption--m" id="points-caption">
					Full-time annual pay by point and {scale.kind === 'teacher' ? 'academic year' : 'pay year (from 1 April)'}</caption>
				<thead class="govuk-table__head"><tr class="govuk-table__row">
					<th scope="col" class="govuk-table__header">Point</th>
					{years.map((y) => <th scope="col" class="govuk-table__header govuk-table__header--numeric" key={y}>{y}</th>)}
				</tr></thead>
				<tbody class="govuk-table__body">
					{points.map((pt) => (
						<tr class="govuk-table__row" key={pt} data-point={pt}>
							<th scope="row" class="govuk-table__header">{pt}</th>
							{years.map((y) => {
								const v = value(pt, y);
								return <td class="govuk-table__cell govuk-table__cell--numeric bursar-num" key={y} data-year={y} data-pence={v ?? ''}>
									{v === undefined ? <span class="bursar-secondary">none</span> : <Money pence={v} />}</td>;
							})}
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}

function OneScale({ name }: { name: string }) {
	const s = useLoad(() => loadPayScale(name), [name]);
	if (s.loading && s.data === undefined)
		return <Page title="Pay scale" caption="Pay scales"><Loading /></Page>;
	if (s.data === undefined)
		return <Page title="Pay scale" caption="Pay scales"><LoadError error={s.error} /></Page>;
	const sc = s.data;
	return (
		<Page title={sc.title} caption="Pay scales">
			<dl class="govuk-summary-list">
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Name</dt><dd class="govuk-summary-list__value"><code>{sc.name}</code></dd></div>
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Kind</dt><dd class="govuk-summary-list__value">
					{sc.kind === 'teacher' ? 'Teachers: values by academic year, awards in September' : 'Support staff: values by pay year, in force from 1 April, awards in April'}</dd></div>
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Pay area</dt><dd class="govuk-summary-list__value">{sc.area ? humanise(sc.area) : '–'}</dd></div>
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Version</dt><dd class="govuk-summary-list__value">{sc.version}</dd></div>
			</dl>
			<ScalePoints scale={sc} />
			<p class="govuk-body"><a class="govuk-link" href="/trust/pay-scales">All pay scales</a></p>
		</Page>
	);
}

export default function PayScales() {
	const { params } = useRoute();
	if (params.name)
		return <OneScale name={params.name} />;
	return <AllScales />;
}

function AllScales() {
	const me = useMe();
	const [reload, setReload] = useState(0);
	const list = useLoad(() => loadPayScales(), [reload]);
	return (
		<Page title="Pay scales">
			<p class="govuk-body">The pay scales the trust’s posts are costed on: each point’s full-time annual pay by year.
				The on-cost rates are on <a class="govuk-link" href="/trust/staff-rates">Staff rates</a>.</p>
			{list.loading && list.data === undefined && <Loading />}
			{list.error !== undefined && <LoadError error={list.error} />}
			{list.data && <ScaleList scales={list.data} />}
			<SheetTransfer path="/api/v1/pay-scales" what="the pay scales" fd={me.role === 'finance_director'}
				onImported={() => setReload((n) => n + 1)} unchanged="The pay scales have not changed"
				layout="One row per scale, year and point: scale, kind, area, year, point, ord and annual (pounds)."
				hint="Drop a CSV or Excel (.xlsx) file here, or choose one, in the download’s layout: each scale and year in it replaces that year’s points; a new scale needs its kind. Nothing is imported unless every row is right." />
		</Page>
	);
}
