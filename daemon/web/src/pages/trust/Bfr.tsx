// Bfr.tsx - the budget forecast return (issue 17; GET /api/v1/bfr/{year}?run=…
// [&month=…]): choose the budget year B, a published forecast run of base year
// B-1 with a horizon of at least 3, and (optionally) the month of B-1 the outturn
// is at; the BFR's lines by EFALineNo with its eight periods as columns, for the
// trust and for the school chosen; the run's pay awards; the 20% reserves test
// with its explanation (the finance director writes it: PUT
// /bfr/{year}/notes/{scope}, If-Match the note's version); the API's warnings;
// CSV/XLSX downloads. Every figure is the API's.
import { useState } from 'preact/hooks';

import { api, must } from '../../api/client';
import { ApiError, describeError } from '../../api/problem';
import type { paths } from '../../api/schema';
import { Downloads } from '../../components/Downloads';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { SuccessBanner, TextArea } from '../../components/FormField';
import { formatBp } from '../../components/hundredths';
import { Money } from '../../components/Money';
import { LoadError, Loading, Page } from '../../components/Page';
import { useMe } from '../../components/session';
import { useLoad } from '../../components/useLoad';
import { academicYearOf, monthName, queryParam, shiftYear, yearMonths } from './months';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
type Bfr = Json<paths['/api/v1/bfr/{year}']['get']['responses'][200]>;
type Line = Bfr['trust']['lines'][number];
type Reserves = Bfr['reserves'];
type Period = Bfr['periods'][number];

const num = 'govuk-table__cell govuk-table__cell--numeric bursar-num';
const numHead = 'govuk-table__header govuk-table__header--numeric';
const PART: Record<string, string> = { sep_mar: 'Sep–Mar', apr_aug: 'Apr–Aug', full: 'Full year' };
const BASIS: Record<string, string> = { actual: 'actual', forecast: 'forecast', budget: 'budget' };

function LinesTable({ id, title, lines, periods }: { id: string; title: string; lines: Line[]; periods: Period[] }) {
	return (
		<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby={`${id}-caption`}>
			<table class="govuk-table bursar-bfr" id={id}>
				<caption class="govuk-table__caption govuk-table__caption--m" id={`${id}-caption`}>{title}</caption>
				<thead class="govuk-table__head"><tr class="govuk-table__row">
					<th scope="col" class="govuk-table__header">Line</th>
					<th scope="col" class="govuk-table__header">Description</th>
					{periods.map((p) => <th scope="col" class={numHead} key={p.key} data-period={p.key}>
						{p.year}<br />{PART[p.part] ?? p.part}<br /><span class="govuk-body-s">{BASIS[p.basis] ?? p.basis}</span></th>)}
				</tr></thead>
				<tbody class="govuk-table__body">
					{lines.map((l) => {
						const values = (l.values_pence ?? l.values ?? {}) as Record<string, number>;
						const total = l.kind !== 'line';
						return (
							<tr class={`govuk-table__row${total ? ' bursar-total' : ''}`} key={l.line_no} data-line={l.line_no}>
								<th scope="row" class="govuk-table__header">{l.published ? l.line_no : <span title="bursar’s own detail line">{l.line_no}*</span>}</th>
								<td class={`govuk-table__cell${total ? ' govuk-!-font-weight-bold' : ''}`}>{l.label}</td>
								{periods.map((p) => <td class={num} key={p.key} data-period={p.key} data-value={values[p.key]}>
									{l.kind === 'pupils' ? (values[p.key] ?? '–') : <Money pence={values[p.key]} whole />}</td>)}
							</tr>
						);
					})}
				</tbody>
			</table>
		</div>
	);
}

function ReservesNote({ year, scope, name, r, fd, onSaved }: { year: string; scope: string; name: string; r: Reserves; fd: boolean; onSaved: () => void }) {
	const [editing, setEditing] = useState(false);
	const [text, setText] = useState(r.explanation ?? '');
	const [err, setErr] = useState<string | undefined>(undefined);
	const [summary, setSummary] = useState<SummaryError[]>([]);
	const [done, setDone] = useState(false);
	const fid = `explanation-${scope}`;
	const save = async (ev: Event) => {
		ev.preventDefault();
		setErr(undefined);
		setSummary([]);
		try {
			await must(api.PUT('/api/v1/bfr/{year}/notes/{scope}', {
				params: { path: { year, scope }, header: r.note_version > 0 ? { 'If-Match': `"${r.note_version}"` } : {} as never },
				body: { reserves_explanation: text },
			} as never));
			setEditing(false);
			setDone(true);
			onSaved();
		} catch (x) {
			if (x instanceof ApiError && x.status === 412)
				setSummary([{ text: 'Someone else changed the explanation after you opened it, so nothing was saved. Reload the page.' }]);
			else if (x instanceof ApiError && x.fieldErrors.length > 0) {
				setErr(x.fieldErrors[0]?.message);
				setSummary(x.fieldErrors.map((f) => ({ text: `Explanation: ${f.message}`, href: `#${fid}` })));
			} else
				setSummary([{ text: describeError(x) }]);
		}
	};
	return (
		<section aria-labelledby={`reserves-${scope}-heading`} id={`reserves-${scope}`}>
			<h3 class="govuk-heading-s" id={`reserves-${scope}-heading`}>{name}: reserves against 20% of income</h3>
			<p class="govuk-body" data-over={String(r.over_20pct)}>
				{r.over_20pct
					? <><strong class="govuk-tag govuk-tag--orange">Over 20%</strong> Closing reserves of {year} (<Money pence={r.B_apr_aug} whole />) are
						over 20% of its income (<Money pence={r.income_pence} whole />): the return must explain why they are held and how they will be used.</>
					: <><strong class="govuk-tag govuk-tag--green">Within 20%</strong> Closing reserves of {year} (<Money pence={r.B_apr_aug} whole />) are
						not over 20% of its income (<Money pence={r.income_pence} whole />).</>}
			</p>
			{done && <SuccessBanner title="Saved"><p class="govuk-notification-banner__heading">The explanation is saved.</p></SuccessBanner>}
			<ErrorSummary errors={summary} />
			{!editing && (r.explanation
				? <div class="govuk-inset-text" id={`explanation-text-${scope}`}>{r.explanation}</div>
				: <p class="govuk-body govuk-hint" id={`explanation-text-${scope}`}>No explanation written.</p>)}
			{fd && !editing && <button type="button" class="govuk-button govuk-button--secondary bursar-no-print"
				onClick={() => { setDone(false); setText(r.explanation ?? ''); setEditing(true); }}>
				{r.explanation ? 'Change' : 'Write'} the explanation<span class="govuk-visually-hidden"> for {name}</span></button>}
			{fd && editing && (
				<form noValidate onSubmit={save} class="bursar-no-print">
					<TextArea id={fid} label={`Why ${name} holds its reserves and how they will be used`} value={text} error={err} onInput={setText} rows={5} />
					<div class="govuk-button-group">
						<button type="submit" class="govuk-button">Save the explanation</button>
						<button type="button" class="govuk-button govuk-button--secondary" onClick={() => setEditing(false)}>Cancel</button>
					</div>
				</form>
			)}
		</section>
	);
}

function PayAwards({ b }: { b: Bfr }) {
	const years = [...new Set([...Object.keys(b.pay_awards.teacher_pay_bp), ...Object.keys(b.pay_awards.support_pay_bp)])].sort();
	if (years.length === 0)
		return <p class="govuk-body">The run’s scenario has no pay awards.</p>;
	return (
		<table class="govuk-table" id="pay-awards">
			<caption class="govuk-table__caption govuk-table__caption--m">Pay awards assumed (the run’s scenario)</caption>
			<thead class="govuk-table__head"><tr class="govuk-table__row">
				<th scope="col" class="govuk-table__header">Year</th>
				<th scope="col" class={numHead}>Teachers</th>
				<th scope="col" class={numHead}>Support staff</th>
			</tr></thead>
			<tbody class="govuk-table__body">
				{years.map((y) => (
					<tr class="govuk-table__row" key={y} data-year={y}>
						<th scope="row" class="govuk-table__header">{y}</th>
						<td class={num}>{b.pay_awards.teacher_pay_bp[y] === undefined ? '–' : formatBp(b.pay_awards.teacher_pay_bp[y])}</td>
						<td class={num}>{b.pay_awards.support_pay_bp[y] === undefined ? '–' : formatBp(b.pay_awards.support_pay_bp[y])}</td>
					</tr>
				))}
			</tbody>
		</table>
	);
}

export default function BfrPage() {
	const me = useMe();
	const fd = me.role === 'finance_director';
	const [year, setYear] = useState(() => queryParam('year') ?? shiftYear(academicYearOf(), 1));
	const [run, setRun] = useState<string>(() => queryParam('run') ?? '');
	const [month, setMonth] = useState<string>(() => queryParam('month') ?? '');
	const [urn, setUrn] = useState<string>('');
	const [reload, setReload] = useState(0);
	const prev = shiftYear(year, -1);
	const runs = useLoad(async () => {
		const r = await must(api.GET('/api/v1/forecasts', { params: { query: { status: 'published', limit: 1000 } } }));
		return r.items.filter((x) => x.base_year === prev && x.horizon >= 3).sort((a, b) => b.id - a.id);
	}, [prev]);
	const chosenRun = run !== '' ? run : runs.data?.[0] ? String(runs.data[0].id) : '';
	const bfr = useLoad(async () => (chosenRun === '' ? null : must(api.GET('/api/v1/bfr/{year}', {
		params: { path: { year }, query: { run: Number(chosenRun), ...(month !== '' ? { month } : {}) } },
	}))), [year, chosenRun, month, reload]);
	const set = (y: string, r: string, m: string) => {
		setYear(y);
		setRun(r);
		setMonth(m);
		history.replaceState(null, '', `?year=${y}${r ? `&run=${r}` : ''}${m ? `&month=${m}` : ''}`);
	};
	const now = academicYearOf();
	const years = [now, shiftYear(now, 1), shiftYear(now, 2)];
	if (!years.includes(year))
		years.push(year);
	const b = bfr.data ?? null;
	const entity = b ? (b.entities.find((e) => e.urn === urn) ?? b.entities[0] ?? null) : null;
	const query = `run=${chosenRun}${month ? `&month=${month}` : ''}`;
	return (
		<Page title="Budget forecast return" caption={b ? `${b.year}, from ${b.run.label}` : undefined}>
			<p class="govuk-body bursar-no-print">The return to the DfE for budget year B: the actuals of B-2, the forecast outturn of B-1, the budget
				of B and the forecast of the two years after it, by EFALineNo. Lines marked * are bursar’s own detail under a published total.</p>
			<form class="bursar-no-print" onSubmit={(e) => e.preventDefault()}>
				<div class="govuk-grid-row">
					<div class="govuk-grid-column-one-quarter">
						<div class="govuk-form-group">
							<label class="govuk-label govuk-label--s" for="bfr-year">Budget year</label>
							<select class="govuk-select" id="bfr-year" value={year} onChange={(e) => set((e.target as HTMLSelectElement).value, '', '')}>
								{years.map((y) => <option key={y} value={y}>{y}</option>)}
							</select>
						</div>
					</div>
					<div class="govuk-grid-column-one-half">
						<div class="govuk-form-group">
							<label class="govuk-label govuk-label--s" for="bfr-run">Published forecast run</label>
							<div class="govuk-hint" id="bfr-run-hint">Of base year {prev}, at least three years</div>
							<select class="govuk-select" id="bfr-run" aria-describedby="bfr-run-hint" value={chosenRun}
								onChange={(e) => set(year, (e.target as HTMLSelectElement).value, month)}>
								{(runs.data ?? []).map((r) => <option key={r.id} value={String(r.id)}>{r.label} (run {r.id})</option>)}
							</select>
						</div>
					</div>
					<div class="govuk-grid-column-one-quarter">
						<div class="govuk-form-group">
							<label class="govuk-label govuk-label--s" for="bfr-month">Outturn of {prev} at</label>
							<select class="govuk-select" id="bfr-month" value={month} onChange={(e) => set(year, chosenRun, (e.target as HTMLSelectElement).value)}>
								<option value="">The latest closed month</option>
								{yearMonths(prev).map((m) => <option key={m} value={m}>{monthName(m)}</option>)}
							</select>
						</div>
					</div>
				</div>
			</form>
			{runs.error !== undefined && <LoadError error={runs.error} />}
			{runs.data && runs.data.length === 0 && <p class="govuk-body" id="bfr-no-run">No published forecast run has base year {prev} and three years:
				publish one on <a class="govuk-link" href="/trust/forecasts">Forecasts</a>.</p>}
			{bfr.error !== undefined && <LoadError error={bfr.error} />}
			{bfr.loading && bfr.data === undefined && chosenRun !== '' && <Loading />}
			{b && (
				<>
					<p class="govuk-body">Outturn of {prev} at {b.month ? monthName(b.month) : 'no closed month'}; run {b.run.id},
						scenario {b.run.scenario.name} (version {b.run.scenario.version}).</p>
					<div class="govuk-button-group bursar-no-print">
						<button type="button" class="govuk-button" onClick={() => window.print()}>Print</button>
					</div>
					<Downloads path={`/api/v1/bfr/${year}?${query}`} name={`bfr-${year}`} what={`the BFR of ${year}`} />
					{b.warnings.length > 0 && (
						<div class="govuk-warning-text" id="bfr-warnings">
							<span class="govuk-warning-text__icon" aria-hidden="true">!</span>
							<div class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>
								<ul class="govuk-list">
									{b.warnings.map((w, i) => <li key={i} data-code={w.code}>{w.entity ? `${w.entity}: ` : ''}{w.message}</li>)}
								</ul>
							</div>
						</div>
					)}
					<LinesTable id="bfr-trust" title="The trust" lines={b.trust.lines} periods={b.periods} />
					<ReservesNote key={`trust-${b.reserves.note_version}`} year={year} scope="trust" name="The trust" r={b.reserves} fd={fd}
						onSaved={() => setReload((n) => n + 1)} />
					<PayAwards b={b} />
					<section aria-labelledby="bfr-entity-heading" class="bursar-print-section">
						<h2 class="govuk-heading-m" id="bfr-entity-heading">Each school</h2>
						<div class="govuk-form-group bursar-no-print">
							<label class="govuk-label govuk-label--s" for="bfr-entity">School or central team</label>
							<select class="govuk-select" id="bfr-entity" value={entity?.urn ?? ''} onChange={(e) => setUrn((e.target as HTMLSelectElement).value)}>
								{b.entities.map((e) => <option key={e.urn} value={e.urn}>{e.name}</option>)}
							</select>
						</div>
						{entity && (
							<>
								<p class="govuk-body">{entity.name}’s {year} is {entity.year_b_basis === 'budget' ? 'its budget' : 'the run’s forecast (it has no budget for the year)'}.</p>
								<LinesTable id="bfr-entity-lines" title={entity.name} lines={entity.lines} periods={b.periods} />
								<ReservesNote key={`${entity.urn}-${entity.reserves.note_version}`} year={year} scope={entity.urn} name={entity.name}
									r={entity.reserves} fd={fd} onSaved={() => setReload((n) => n + 1)} />
							</>
						)}
					</section>
				</>
			)}
		</Page>
	);
}
