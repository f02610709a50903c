// Actuals.tsx - the ledger's figures (issue 17): the finance director imports an
// export of the trust's finance system for an academic year as actuals or
// commitments (POST /api/v1/actuals/import, the CSV or XLSX as it is, dropped on
// the page or chosen); a refused file's every bad row is listed on its row and in
// the error summary (the API's problem+json errors, "row 14, nominal"), and a file
// for a closed month is refused with the API's message. The result is the API's
// (months, entities, rows). The year's periods (GET /periods) with close and
// reopen (a reason asked for), and the imports (GET /actuals/imports). The
// auditor reads. Codes the file's rows use are mapped on /trust/ledger.
import { useState } from 'preact/hooks';

import { api, must } from '../../api/client';
import { ApiError, describeError } from '../../api/problem';
import type { paths } from '../../api/schema';
import { CSV_TYPE, XLSX_TYPE } from '../../components/download';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { SelectField, SuccessBanner, TextArea } from '../../components/FormField';
import { formatDateTime } from '../../components/format';
import { LoadError, Loading, Page } from '../../components/Page';
import { useMe } from '../../components/session';
import { useLoad } from '../../components/useLoad';
import { ImportDrop, RefusedFile, type Refused, rowProblems } from '../school/ImportPanel';
import { academicYearOf, monthName, queryParam, shiftYear } from './months';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
type ImportResult = Json<paths['/api/v1/actuals/import']['post']['responses'][200]>;
type Period = Json<paths['/api/v1/periods']['get']['responses'][200]>['items'][number];
type Kind = 'actual' | 'commitment';

async function importFile(year: string, kind: Kind, signs: 'ledger' | 'natural', file: File, type: string): Promise<ImportResult> {
	const r = await api.POST('/api/v1/actuals/import', {
		params: { query: { year, kind, signs, filename: file.name } },
		body: file as never,
		bodySerializer: (b: unknown) => b as string,
		headers: { 'Content-Type': type },
	} as never);
	if (!r.response.ok)
		throw ApiError.from(r.response, r.error);
	return r.data as unknown as ImportResult;
}

function ImportSection({ year, fd, onImported }: { year: string; fd: boolean; onImported: () => void }) {
	const [kind, setKind] = useState<Kind>('actual');
	const [signs, setSigns] = useState<'ledger' | 'natural'>('ledger');
	const [errors, setErrors] = useState<SummaryError[]>([]);
	const [refused, setRefused] = useState<Refused | null>(null);
	const [busy, setBusy] = useState(false);
	const [result, setResult] = useState<{ file: string; r: ImportResult } | null>(null);
	if (!fd)
		return null;
	const take = async (file: File) => {
		setBusy(true);
		setResult(null);
		setRefused(null);
		setErrors([]);
		const xlsx = /\.xlsx$/i.test(file.name) || file.type === XLSX_TYPE;
		let rows: string[][] = [];
		try {
			if (!xlsx) {
				const { csvRows, decodeCsv } = await import('../school/spreadsheet');
				rows = csvRows(decodeCsv(await file.arrayBuffer()));
			}
			const r = await importFile(year, kind, signs, file, xlsx ? XLSX_TYPE : CSV_TYPE);
			setResult({ file: file.name, r });
			onImported();
		} catch (e) {
			if (e instanceof ApiError && (e.status === 422 || e.status === 400) && e.fieldErrors.length > 0) {
				const problems = rowProblems(e.fieldErrors);
				setRefused({ file: file.name, rows, problems, detail: e.problem.detail });
				setErrors(problems.map((p) => ({
					text: `${p.row !== null ? `Row ${p.row}` : file.name}${p.column ? `, ${p.column}` : ''}: ${p.message}`,
					...(p.row !== null ? { href: `#import-row-${p.row}` } : {}),
				})));
			} else if (e instanceof ApiError) {
				setErrors([{ text: `${file.name} was not imported: ${e.problem.detail || e.problem.title}` }]);
			} else {
				setErrors([{ text: describeError(e) }]);
			}
		} finally {
			setBusy(false);
		}
	};
	return (
		<section aria-labelledby="import-heading" class="govuk-!-margin-bottom-9">
			<h2 class="govuk-heading-m" id="import-heading">Import a ledger export</h2>
			<ErrorSummary errors={errors} />
			{result && (
				<SuccessBanner title="Imported">
					<p class="govuk-notification-banner__heading">{result.file} is imported as {result.r.kind === 'commitment' ? 'commitments' : 'actuals'} for {result.r.year}.</p>
					<dl class="govuk-summary-list" id="import-result">
						<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Months</dt>
							<dd class="govuk-summary-list__value" data-months={result.r.months.join(',')}>{result.r.months.map(monthName).join(', ')}</dd></div>
						<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Schools and central team</dt>
							<dd class="govuk-summary-list__value" data-entities={result.r.entities.join(',')}>{result.r.entities.join(', ')}</dd></div>
						<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Rows read</dt>
							<dd class="govuk-summary-list__value" data-rows={result.r.rows}>{result.r.rows}</dd></div>
						<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Figures written</dt>
							<dd class="govuk-summary-list__value" data-written={result.r.written}>{result.r.written}</dd></div>
						<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Figures replaced</dt>
							<dd class="govuk-summary-list__value" data-replaced={result.r.replaced}>{result.r.replaced}</dd></div>
					</dl>
				</SuccessBanner>
			)}
			<p class="govuk-body">The file’s first row names its columns: <code>nominal</code>, <code>cost_centre</code>, <code>period</code> (1 to 12 from
				September, or <code>2026-11</code>, or a date) and <code>amount</code> in pounds; other columns are ignored. For every school and month
				the file holds, that month’s figures of the kind are replaced. Nothing is imported unless every row is right and every month is open.</p>
			<div class="govuk-form-group">
				<fieldset class="govuk-fieldset">
					<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">The file holds</legend>
					<div class="govuk-radios govuk-radios--small govuk-radios--inline" data-module="govuk-radios">
						{(['actual', 'commitment'] as Kind[]).map((k) => (
							<div class="govuk-radios__item" key={k}>
								<input class="govuk-radios__input" id={`kind-${k}`} name="kind" type="radio" value={k} checked={kind === k}
									onChange={() => setKind(k)} />
								<label class="govuk-label govuk-radios__label" for={`kind-${k}`}>{k === 'actual' ? 'Actuals' : 'Commitments'}</label>
							</div>
						))}
					</div>
				</fieldset>
			</div>
			<SelectField id="signs" label="Signs of the amounts" value={signs} onChange={(v) => setSigns(v as 'ledger' | 'natural')}
				options={[{ value: 'ledger', text: 'As the ledger writes them (debits positive, credits negative)' },
					{ value: 'natural', text: 'Already income received and costs incurred, positive' }]} />
			<ImportDrop disabled={busy} busy={busy} onFile={(f) => { void take(f); }}
				hint={`Drop a CSV or Excel (.xlsx) export of the ledger for ${year} here, or choose one.`} />
			{refused && <RefusedFile refused={refused} unchanged="No figures have changed" />}
		</section>
	);
}

function PeriodRow({ p, fd, onChanged }: { p: Period; fd: boolean; onChanged: (msg: string) => void }) {
	const [reopening, setReopening] = useState(false);
	const [reason, setReason] = useState('');
	const [err, setErr] = useState<string | undefined>(undefined);
	const [summary, setSummary] = useState<SummaryError[]>([]);
	const id = `reason-${p.month}`;
	const act = async (what: 'close' | 'reopen') => {
		setSummary([]);
		setErr(undefined);
		if (what === 'reopen' && reason.trim() === '') {
			setErr('Enter why the month is reopened');
			setSummary([{ text: `${monthName(p.month)}: enter why the month is reopened`, href: `#${id}` }]);
			return;
		}
		try {
			if (what === 'close')
				await must(api.POST('/api/v1/periods/{month}/close', { params: { path: { month: p.month } } } as never));
			else
				await must(api.POST('/api/v1/periods/{month}/reopen', { params: { path: { month: p.month } }, body: { reason: reason.trim() } } as never));
			setReopening(false);
			setReason('');
			onChanged(`${monthName(p.month)} is ${what === 'close' ? 'closed' : 'reopened'}.`);
		} catch (x) {
			if (x instanceof ApiError && x.fieldErrors.length > 0) {
				setErr(x.fieldErrors[0]?.message);
				setSummary(x.fieldErrors.map((f) => ({ text: `${monthName(p.month)}: ${f.message}`, href: `#${id}` })));
			} else
				setSummary([{ text: `${monthName(p.month)}: ${describeError(x)}` }]);
		}
	};
	return (
		<tr class="govuk-table__row" data-month={p.month} data-closed={String(p.closed)}>
			<th scope="row" class="govuk-table__header">{monthName(p.month)}</th>
			<td class="govuk-table__cell">{p.closed
				? <strong class="govuk-tag govuk-tag--grey">Closed</strong>
				: <strong class="govuk-tag govuk-tag--green">Open</strong>}</td>
			<td class="govuk-table__cell">{p.closed ? `${formatDateTime(p.closed_at ?? null)}${p.closed_by ? ` by ${p.closed_by}` : ''}` : ''}</td>
			<td class="govuk-table__cell">{p.reopen_reason ?? ''}</td>
			{fd && <td class="govuk-table__cell">
				<ErrorSummary errors={summary} />
				{!p.closed && <button type="button" class="govuk-button govuk-button--secondary bursar-button--small govuk-!-margin-bottom-0"
					onClick={() => { void act('close'); }}>Close<span class="govuk-visually-hidden"> {monthName(p.month)}</span></button>}
				{p.closed && !reopening && <button type="button" class="govuk-button govuk-button--secondary bursar-button--small govuk-!-margin-bottom-0"
					onClick={() => setReopening(true)}>Reopen<span class="govuk-visually-hidden"> {monthName(p.month)}</span></button>}
				{p.closed && reopening && (
					<form noValidate onSubmit={(e) => { e.preventDefault(); void act('reopen'); }}>
						<TextArea id={id} label={`Why reopen ${monthName(p.month)}?`} value={reason} error={err} onInput={setReason} rows={2} />
						<div class="govuk-button-group govuk-!-margin-bottom-0">
							<button type="submit" class="govuk-button bursar-button--small govuk-!-margin-bottom-0">Reopen {monthName(p.month)}</button>
							<button type="button" class="govuk-button govuk-button--secondary bursar-button--small govuk-!-margin-bottom-0"
								onClick={() => { setReopening(false); setErr(undefined); setSummary([]); }}>Cancel</button>
						</div>
					</form>
				)}
			</td>}
		</tr>
	);
}

function Periods({ year, fd, reload, onChanged }: { year: string; fd: boolean; reload: number; onChanged: () => void }) {
	const [done, setDone] = useState<string | null>(null);
	const list = useLoad(() => must(api.GET('/api/v1/periods', { params: { query: { year } } })), [year, reload]);
	return (
		<section aria-labelledby="periods-heading" class="govuk-!-margin-bottom-9">
			<h2 class="govuk-heading-m" id="periods-heading">Periods of {year}</h2>
			<p class="govuk-body">A closed month’s figures cannot be imported again until it is reopened. Monitoring reports to the latest closed month.</p>
			{done && <SuccessBanner title="Done"><p class="govuk-notification-banner__heading">{done}</p></SuccessBanner>}
			{list.loading && list.data === undefined && <Loading />}
			{list.error !== undefined && <LoadError error={list.error} />}
			{list.data && (
				<table class="govuk-table" id="periods">
					<caption class="govuk-visually-hidden">Periods of {year}</caption>
					<thead class="govuk-table__head"><tr class="govuk-table__row">
						<th scope="col" class="govuk-table__header">Month</th>
						<th scope="col" class="govuk-table__header">Status</th>
						<th scope="col" class="govuk-table__header">Closed</th>
						<th scope="col" class="govuk-table__header">Last reopened because</th>
						{fd && <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Actions</span></th>}
					</tr></thead>
					<tbody class="govuk-table__body">
						{list.data.items.map((p) => <PeriodRow key={`${p.month}-${p.version}`} p={p} fd={fd}
							onChanged={(m) => { setDone(m); onChanged(); }} />)}
					</tbody>
				</table>
			)}
		</section>
	);
}

function Imports({ year, reload }: { year: string; reload: number }) {
	const list = useLoad(() => must(api.GET('/api/v1/actuals/imports', { params: { query: { year } } })), [year, reload]);
	const items = list.data?.items ?? [];
	return (
		<section aria-labelledby="imports-heading">
			<h2 class="govuk-heading-m" id="imports-heading">Imports of {year}</h2>
			{list.loading && list.data === undefined && <Loading />}
			{list.error !== undefined && <LoadError error={list.error} />}
			{list.data && (items.length === 0 ? <p class="govuk-body">Nothing imported for {year} yet.</p> : (
				<table class="govuk-table" id="imports">
					<caption class="govuk-visually-hidden">Imports of {year}, newest first</caption>
					<thead class="govuk-table__head"><tr class="govuk-table__row">
						<th scope="col" class="govuk-table__header">When</th>
						<th scope="col" class="govuk-table__header">Kind</th>
						<th scope="col" class="govuk-table__header">File</th>
						<th scope="col" class="govuk-table__header">Months</th>
						<th scope="col" class="govuk-table__header govuk-table__header--numeric">Rows</th>
						<th scope="col" class="govuk-table__header">By</th>
					</tr></thead>
					<tbody class="govuk-table__body">
						{items.map((i) => (
							<tr class="govuk-table__row" key={i.id} data-import={i.id}>
								<th scope="row" class="govuk-table__header">{formatDateTime(i.created_at)}</th>
								<td class="govuk-table__cell">{i.kind === 'commitment' ? 'Commitments' : 'Actuals'}</td>
								<td class="govuk-table__cell">{i.filename === '' ? '—' : i.filename}</td>
								<td class="govuk-table__cell">{i.months.map(monthName).join(', ')}</td>
								<td class="govuk-table__cell govuk-table__cell--numeric">{i.rows}</td>
								<td class="govuk-table__cell">{i.actor}</td>
							</tr>
						))}
					</tbody>
				</table>
			))}
		</section>
	);
}

export default function Actuals() {
	const me = useMe();
	const fd = me.role === 'finance_director';
	const now = academicYearOf();
	const [year, setYear] = useState(() => queryParam('year') ?? now);
	const [reload, setReload] = useState(0);
	const years = [shiftYear(now, -2), shiftYear(now, -1), now, shiftYear(now, 1)];
	if (!years.includes(year))
		years.push(year);
	return (
		<Page title="Actuals">
			<p class="govuk-body">What the trust’s finance system recorded, imported from its ledger through the
				{' '}<a class="govuk-link" href="/trust/ledger">ledger mapping</a>, month by month, for monitoring and the
				{' '}<a class="govuk-link" href="/trust/management-accounts">management accounts</a>.</p>
			<SelectField id="year" label="Academic year" value={year} options={years.map((y) => ({ value: y, text: y }))}
				onChange={(y) => { setYear(y); history.replaceState(null, '', `?year=${y}`); }} />
			<ImportSection key={year} year={year} fd={fd} onImported={() => setReload((n) => n + 1)} />
			<Periods year={year} fd={fd} reload={reload} onChanged={() => setReload((n) => n + 1)} />
			<Imports year={year} reload={reload} />
		</Page>
	);
}
