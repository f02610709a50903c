// School.tsx - a business manager's school (DESIGN.md "The web app", my
// school): the budget of a year as an editable grid with the totals the API
// computed, import and export of spreadsheets, submit with its findings, the
// return reason, and the shared services the school receives and what it pays.
//
// Save model: edits stay in the grid ("unsaved changes") until "Save changes"
// sends every line at once (PUT with the version read as If-Match). A budget
// someone else changed meanwhile answers 412: the page says so and keeps the
// edits on screen until the person reloads; nothing is overwritten. Totals and
// group totals are the API's answer to each save or import.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';

import { api, must } from '../../api/client';
import { ApiError, describeError, type FieldError } from '../../api/problem';
import type { School as SchoolT, SchoolYear } from '../../api/types';
import { CSV_TYPE, downloadFile, XLSX_TYPE } from '../../components/download';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { formatDateTime, humanise } from '../../components/format';
import { formatPence, Money } from '../../components/Money';
import { LoadError, Loading, Page } from '../../components/Page';
import { useMe } from '../../components/session';
import { StatusTag } from '../../components/StatusTag';
import { useLoad } from '../../components/useLoad';
import {
	importSheet, loadAccounts, loadBudget, saveLines, transition,
	type Account, type Budget, type Finding, type Recharge,
} from './budgetApi';
import { BudgetGrid, type Filled, type GridHandle, type GridRow, linesOf, rowOf, rowsOf } from './BudgetGrid';
import { LineMonths } from './LineMonths';
import { loadProfiles } from './profileApi';
import { DeleteDraft } from './DeleteDraft';
import { Recharges } from './Recharges';
import { StartBudget } from './StartBudget';
import { Statement } from './Statement';
import { ImportDrop, RefusedFile, type Refused, rowProblems } from './ImportPanel';
import { Services } from './Services';
import { Measures } from './StaffMeasures';
import { Totals } from './Totals';

type ExportKind = 'csv' | 'xlsx';
const EXPORT_NAMES: Record<ExportKind, string> = { csv: 'CSV', xlsx: 'Excel (.xlsx)' };

interface Base {
	school: SchoolT;
	years: SchoolYear[];
	accounts: Map<string, Account>;
}

async function loadBase(urn: string): Promise<Base> {
	const path = { urn };
	const [school, years, accounts] = await Promise.all([
		must(api.GET('/api/v1/schools/{urn}', { params: { path } })),
		must(api.GET('/api/v1/schools/{urn}/years', { params: { path } })),
		loadAccounts(),
	]);
	return {
		school,
		years: [...years.items].sort((a, b) => b.year.localeCompare(a.year)),
		accounts: new Map(accounts.map((a) => [a.code, a])),
	};
}

/* "/lines/3/amount_pence" -> 3 */
function lineOf(field: string): number | null {
	const m = /^\/lines\/(\d+)(?:\/|$)/.exec(field);
	return m ? Number(m[1]) : null;
}

const FIELD_NAMES: Record<string, string> = {
	account_code: 'code', amount_pence: 'amount', description: 'description', driver: 'driver', profile: 'profile', profile_bp: 'profile weights',
	excluded_from_central: 'excluded from central', id: 'line',
};

/* The API's errors on lines: by line index for the grid, and for the summary.
 * An error that names its line's id (a refused submit) is put on the line with
 * that id wherever the grid has it; otherwise the pointer's index is the line. */
function lineErrors(errors: FieldError[], indexOfLine: (id: number) => number | null,
	sentAt: (j: number) => number = (j) => j): { byLine: Map<number, string[]>; summary: SummaryError[] } {
	const byLine = new Map<number, string[]>();
	const summary: SummaryError[] = [];
	for (const e of errors) {
		const byId = typeof e.line_id === 'number' ? indexOfLine(e.line_id) : null;
		const sent = lineOf(e.field);
		const i = byId ?? (sent === null ? null : sentAt(sent));
		if (i === null) {
			summary.push({ text: e.message });
			continue;
		}
		const field = e.field.split('/')[3];
		const msg = `${field ? `${humanise(FIELD_NAMES[field] ?? field)}: ` : ''}${e.message}`;
		byLine.set(i, [...(byLine.get(i) ?? []), msg]);
		const where = typeof e.row === 'number' ? `Line ${i + 1} (spreadsheet row ${e.row})` : `Line ${i + 1}`;
		summary.push({ text: `${where}: ${msg}`, href: `#grid-line-${i + 1}` });
	}
	return { byLine, summary };
}

function NotYourSchool({ urn }: { urn: string }) {
	const me = useMe();
	return (
		<Page title="This is not your school">
			<p class="govuk-body">
				You are signed in as {me.name}, who can see the budgets of {me.schools.length === 1 ? 'one school' : 'these schools'} only,
				and school {urn} is not {me.schools.length === 1 ? 'it' : 'one of them'}.
			</p>
			{me.schools.length > 0 && (
				<ul class="govuk-list">
					{me.schools.map((s) => <li key={s.urn}><a class="govuk-link" href={`/schools/${s.urn}`}>{s.name}</a></li>)}
				</ul>
			)}
			<p class="govuk-body">If you need to see this school, ask the trust’s finance director.</p>
		</Page>
	);
}

/* /schools/:urn (the latest year) and /schools/:urn/budgets/:year (that year):
 * one page for a school's budget, whoever reads it (a business manager edits a
 * draft; the finance director edits a draft too and follows a submitted one to
 * the review page; an auditor reads). */
export default function School({ urn, year }: { urn: string; year?: string }) {
	const base = useLoad(() => loadBase(urn), [urn]);

	if (base.loading)
		return <Page title="Your school"><Loading /></Page>;
	if (base.data === undefined) {
		if (base.error instanceof ApiError && base.error.status === 403)
			return <NotYourSchool urn={urn} />;
		return <Page title="Your school"><LoadError error={base.error} /></Page>;
	}
	return <SchoolBudget urn={urn} base={base.data} pathYear={year} />;
}

function SchoolBudget({ urn, base, pathYear }: { urn: string; base: Base; pathYear: string | undefined }) {
	const { query, route } = useLocation();
	const me = useMe();
	const { school, years, accounts } = base;
	const asked = pathYear ?? query.year;
	const year = asked !== undefined && (pathYear !== undefined || years.some((y) => y.year === asked)) ? asked : years[0]?.year ?? null;

	const [budget, setBudget] = useState<Budget | null | undefined>(undefined);
	const [loadError, setLoadError] = useState<unknown>(undefined);
	const [generation, setGeneration] = useState(0);
	const [dirty, setDirty] = useState(false);
	const [busy, setBusy] = useState<string | null>(null);
	const [errors, setErrors] = useState<SummaryError[]>([]);
	const [stale, setStale] = useState(false);
	const [done, setDone] = useState<string | null>(null);
	const [refused, setRefused] = useState<Refused | null>(null);
	const [findings, setFindings] = useState<Finding[] | null>(null);
	const [pendingExport, setPendingExport] = useState<ExportKind | null>(null);
	const grid = useRef<GridHandle | null>(null);
	const [months, setMonths] = useState<{ index: number; row: GridRow } | null>(null);
	const profiles = useLoad(() => loadProfiles(), []);
	/* the budget as saved: the open line's months are the API's answer */
	useEffect(() => {
		setMonths((m) => {
			if (m === null || !budget)
				return budget === null ? null : m;
			const i = m.row.id !== undefined ? budget.lines.findIndex((l) => l.id === m.row.id) : m.index;
			const l = budget.lines[i];
			return l === undefined ? null : { index: i, row: rowOf(l) };
		});
	}, [budget]);

	const reload = async () => {
		if (year === null)
			return;
		setBudget(undefined);
		setLoadError(undefined);
		setStale(false);
		setDirty(false);
		setPendingExport(null);
		setErrors([]);
		try {
			setBudget(await loadBudget(urn, year));
			setGeneration((g) => g + 1);
		} catch (e) {
			setLoadError(e);
		}
	};
	useEffect(() => {
		setDone(null);
		setRefused(null);
		setFindings(null);
		void reload();
	}, [urn, year]);
	useEffect(() => {
		if (!dirty)
			return undefined;
		const warn = (e: BeforeUnloadEvent) => { e.preventDefault(); };
		window.addEventListener('beforeunload', warn);
		return () => window.removeEventListener('beforeunload', warn);
	}, [dirty]);

	/* A write's answer: the budget as it now is, or what went wrong. */
	const written = (b: Budget, message: string) => {
		setBudget(b);
		setGeneration((g) => g + 1);
		setDirty(false);
		setErrors([]);
		setRefused(null);
		setDone(message);
	};
	const failed = (e: unknown, fallback: (errs: FieldError[]) => SummaryError[]) => {
		setDone(null);
		if (e instanceof ApiError && e.status === 412) {
			setStale(true);
			setErrors([]);
		} else if (e instanceof ApiError && e.fieldErrors.length > 0) {
			setErrors(fallback(e.fieldErrors));
		} else {
			setErrors([{ text: describeError(e) }]);
		}
	};

	/* Save every line; true when the API took them. */
	const save = async (): Promise<boolean> => {
		if (year === null || budget === undefined || grid.current === null)
			return false;
		const out = linesOf(grid.current.rows());
		if ('problems' in out) {
			grid.current.setProblems(out.problems);
			setErrors([...out.problems].map(([i, m]) => ({ text: `Line ${i + 1}: ${m.join(' ')}`, href: `#grid-line-${i + 1}` })));
			setDone(null);
			return false;
		}
		setBusy('save');
		try {
			written(await saveLines(urn, year, budget?.version ?? null, out.lines), 'Your changes are saved. The totals are the budget’s as saved.');
			return true;
		} catch (e) {
			failed(e, (errs) => {
				const { byLine, summary } = lineErrors(errs, (id) => grid.current?.indexOfLine(id) ?? null, (k) => out.at[k] ?? k);
				grid.current?.setProblems(byLine);
				return summary;
			});
			return false;
		} finally {
			setBusy(null);
		}
	};

	const importFile = async (file: File) => {
		if (year === null || budget === undefined)
			return;
		setBusy('import');
		setDone(null);
		const xlsx = /\.xlsx$/i.test(file.name) || file.type === XLSX_TYPE;
		let rows: string[][] = [];
		try {
			if (!xlsx) {
				/* the file's rows, to show beside the API's errors (the API reads the file itself) */
				const { csvRows, decodeCsv } = await import('./spreadsheet');
				rows = csvRows(decodeCsv(await file.arrayBuffer()));
			}
			const { budget: b, encoding } = await importSheet(urn, year, budget?.version ?? null, file, xlsx ? XLSX_TYPE : CSV_TYPE);
			const read = encoding !== null && /1252/.test(encoding) ? ' It was read as Windows-1252 (Excel’s “CSV (Comma delimited)”).' : '';
			if (budget !== null && b.version === budget.version)
				written(b, `${file.name} is the budget as it is: nothing changed.${read}`);
			else
				written(b, `${file.name} is imported: the budget now has ${b.lines.length} lines.${read} The totals are the budget’s as imported.`);
		} catch (e) {
			if (e instanceof ApiError && (e.status === 422 || e.status === 400) ) {
				const problems = rowProblems(e.fieldErrors);
				setRefused({ file: file.name, rows, problems, detail: e.problem.detail });
				setErrors(problems.length > 0
					? problems.map((p) => ({
						text: `${p.row !== null ? `Row ${p.row}` : file.name}${p.column ? `, ${p.column}` : ''}: ${p.message}`,
						...(p.row !== null ? { href: `#import-row-${p.row}` } : {}),
					}))
					: [{ text: `${file.name}: ${e.problem.detail}` }]);
			} else if (e instanceof ApiError) {
				failed(e, (errs) => errs.map((x) => ({ text: x.message })));
			} else {
				setErrors([{ text: `${file.name} could not be read as a spreadsheet. Save it as “CSV UTF-8” or Excel (.xlsx) and try again.` }]);
			}
		} finally {
			setBusy(null);
		}
	};

	/* An export is the budget as saved: with edits on the page not yet saved,
	 * the page asks first (save, then export; or export the saved version). */
	const exportAs = async (kind: ExportKind, how: 'ask' | 'saved' | 'save-first' = 'ask') => {
		if (year === null || !budget)
			return;
		if (how === 'ask' && dirty) {
			setPendingExport(kind);
			return;
		}
		setPendingExport(null);
		if (how === 'save-first' && !(await save()))
			return;
		setBusy(`export-${kind}`);
		try {
			await downloadFile(`/api/v1/schools/${encodeURIComponent(urn)}/budgets/${encodeURIComponent(year)}`,
				kind === 'csv' ? CSV_TYPE : XLSX_TYPE, `budget-${urn}-${year}.${kind}`);
		} catch (e) {
			setErrors([{ text: describeError(e) }]);
		} finally {
			setBusy(null);
		}
	};

	const submit = async () => {
		if (year === null || !budget)
			return;
		setBusy('submit');
		try {
			const b = await transition(urn, year, budget.version, 'submit');
			written(b, 'Your budget is submitted to the finance director for approval.');
			setFindings(b.findings);
		} catch (e) {
			const p = e instanceof ApiError ? (e.problem as { findings?: Finding[] }) : {};
			setFindings(p.findings ?? null);
			failed(e, (errs) => {
				const { byLine, summary } = lineErrors(errs, (id) => grid.current?.indexOfLine(id) ?? null);
				grid.current?.setProblems(byLine);
				return summary;
			});
		} finally {
			setBusy(null);
		}
	};

	const fill = (r: Recharge) => {
		const how: Filled | undefined = grid.current?.fillRecharge(r);
		if (how === undefined)
			return;
		setDone(how === 'set'
			? `The line on ${r.account_code} is now its recharge, ${formatPence(r.recharge_pence)}. Save your changes to keep it.`
			: how === 'added'
				? `A line of ${formatPence(r.recharge_pence)} on ${r.account_code} carries the recharge. Save your changes to keep it.`
				: `A line of ${formatPence(r.short_pence)} on ${r.account_code} carries the rest of the recharge. Save your changes to keep it.`);
	};

	const pickYear = (y: string) => {
		if (dirty && !window.confirm('You have unsaved changes. Leave them?'))
			return;
		route(`/schools/${urn}/budgets/${encodeURIComponent(y)}`);
	};

	const writer = me.role === 'business_manager' || me.role === 'finance_director';
	const editable = budget?.status === 'draft' && writer;
	const yearOptions = year !== null && !years.some((y) => y.year === year) ? [year, ...years.map((y) => y.year)] : years.map((y) => y.year);
	return (
		<Page title={school.name} caption={`URN ${school.urn} · ${humanise(school.phase ?? '') || 'School'} · ${school.local_authority || ''}`}>
			<ErrorSummary errors={errors} />
			{stale && (
				<div class="govuk-notification-banner bursar-banner--warning" role="alert" aria-labelledby="stale-title">
					<div class="govuk-notification-banner__header">
						<h2 class="govuk-notification-banner__title" id="stale-title">Not saved</h2>
					</div>
					<div class="govuk-notification-banner__content">
						<p class="govuk-notification-banner__heading">Someone else changed this budget since you opened it.</p>
						<p class="govuk-body">Nothing you did was saved, and nothing of theirs was overwritten. Reload to see the budget as it
							is now{dirty ? ' (your unsaved changes on this page will be lost: export them first if you need them)' : ''}.</p>
						<button type="button" class="govuk-button" onClick={() => { void reload(); }}>Reload the budget</button>
					</div>
				</div>
			)}
			{done !== null && (
				<div class="govuk-notification-banner govuk-notification-banner--success" role="status" aria-labelledby="done-title">
					<div class="govuk-notification-banner__header">
						<h2 class="govuk-notification-banner__title" id="done-title">Done</h2>
					</div>
					<div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">{done}</p></div>
				</div>
			)}
			{years.length === 0 ? <p class="govuk-body">The trust holds no years for this school yet.</p> : (
				<div class="govuk-form-group">
					<label class="govuk-label govuk-label--s" for="year">Year</label>
					<select class="govuk-select" id="year" value={year ?? ''} onChange={(e) => pickYear((e.target as HTMLSelectElement).value)}>
						{yearOptions.map((y) => <option key={y} value={y}>{y}</option>)}
					</select>
				</div>
			)}
			{year !== null && <p class="govuk-body"><a class="govuk-link" href={`/schools/${urn}/staff?year=${encodeURIComponent(year)}`}>The school’s staff by post, {year}</a> · <a class="govuk-link" href={`/schools/${urn}/monitoring`}>Monitoring: the budget against the actuals</a></p>}
			{loadError !== undefined && <LoadError error={loadError} />}
			{budget === undefined && loadError === undefined && year !== null && <Loading what="Loading the budget" />}
			{budget === null && year !== null && (
				<>
					<h2 class="govuk-heading-m">No budget for {year} yet</h2>
					{writer
						? <StartBudget urn={urn} year={year} years={yearOptions} onStarted={(b, m) => written(b, m)} />
						: <p class="govuk-body">The school has not started it.</p>}
				</>
			)}
			{budget && year !== null && (
				<>
					<h2 class="govuk-heading-m">Budget {year} <StatusTag status={budget.status} /></h2>
					<p class="govuk-body-s">Version {budget.version}, last changed {formatDateTime(budget.updated_at)}</p>
					{budget.status === 'draft' && budget.return_reason && (
						<div class="govuk-notification-banner" role="region" aria-labelledby="returned-title">
							<div class="govuk-notification-banner__header">
								<h3 class="govuk-notification-banner__title" id="returned-title">Returned by the finance director</h3>
							</div>
							<div class="govuk-notification-banner__content">
								<p class="govuk-notification-banner__heading">Why it was returned: {budget.return_reason}</p>
								<p class="govuk-body">Change what is needed, save, and submit it again.</p>
							</div>
						</div>
					)}
					{budget.status === 'draft' && budget.reopen_reason && !budget.return_reason && (
						<div class="govuk-inset-text">Reopened after approval: {budget.reopen_reason}</div>
					)}
					{budget.status === 'submitted' && (
						<div class="govuk-inset-text">Submitted {formatDateTime(budget.submitted_at)} and waiting for the finance director’s approval. It cannot be changed unless it is returned.</div>
					)}
					{budget.status === 'submitted' && me.role === 'finance_director' && (
						<p class="govuk-body">
							<a class="govuk-link" href={`/trust/budgets/${budget.year}/${budget.urn}`}>Review this budget and approve or return it</a>
						</p>
					)}
					{budget.status === 'approved' && (
						<div class="govuk-inset-text">Approved {formatDateTime(budget.approved_at)}{budget.board_minute_ref ? ` (board minute ${budget.board_minute_ref})` : ''}. An approved budget is read-only.</div>
					)}
					<Totals budget={budget} />
					<Findings findings={findings ?? (budget.findings.length > 0 ? budget.findings : null)} lines={budget.lines} />
					<h3 class="govuk-heading-m" id="lines-heading">Lines</h3>
					{editable && (
						<p class="govuk-body">
							Type amounts in pounds (1,234.56; a minus sign for a credit). The lines marked “computed” (the trust’s
							internal codes, INT…) are worked out by the trust’s finance rules from the rest of the budget: they are
							read-only, say how they were worked out, and change when you save.
						</p>
					)}
					{budget.lines.some((l) => l.source === 'posts') && (
						<p class="govuk-body" id="staff-lines-note">
							The staff lines marked “from posts” are worked out from the school’s posts (pay, National Insurance and pension) and
							cannot be typed here: <a class="govuk-link" href={`/schools/${urn}/staff?year=${encodeURIComponent(year)}`}>change the posts on the Staff page</a>.
						</p>
					)}
					<BudgetGrid staffHref={`/schools/${urn}/staff?year=${encodeURIComponent(year)}`} rows={rowsOf(budget.lines, budget.recharges, findings ?? (budget.findings.length > 0 ? budget.findings : null) ?? [])} generation={generation} accounts={accounts} readOnly={!editable}
						profiles={profiles.data} handle={grid} onChange={() => {
							setDirty(true);
							setDone(null);
							/* the months drawer's line as the grid has it now (its Profile cell may have changed) */
							setMonths((m) => { const r = m === null ? undefined : grid.current?.rows()[m.index]; return m !== null && r !== undefined ? { index: m.index, row: { ...r } } : m; });
						}}
						onMonths={(i) => { const r = grid.current?.rows()[i]; if (r !== undefined) setMonths({ index: i, row: { ...r } }); }} />
					{months !== null && (
						<LineMonths index={months.index} row={months.row} generation={generation} accounts={accounts} profiles={profiles.data}
							editable={editable} onClose={() => setMonths(null)}
							onApply={(profile, bp) => {
								grid.current?.setProfile(months.index, profile, bp);
								setMonths({ index: months.index, row: { ...months.row, profile, profile_bp: bp, profile_source: null, months: null } });
							}} />
					)}
					{editable && (
						<div class="govuk-button-group govuk-!-margin-top-4">
							<button type="button" class="govuk-button govuk-button--secondary" onClick={() => grid.current?.add()}>Add a line</button>
							<button type="button" class="govuk-button" disabled={busy !== null || stale} onClick={() => { void save(); }}>
								Save changes
							</button>
							{dirty && <p class="govuk-body govuk-!-margin-bottom-0" role="status"><strong>You have unsaved changes.</strong></p>}
						</div>
					)}
					<Recharges recharges={budget.recharges} accounts={accounts} editable={editable} dirty={dirty} onFill={fill} />
					<h3 class="govuk-heading-m">Spreadsheets</h3>
					<div class="govuk-button-group">
						<button type="button" class="govuk-button govuk-button--secondary" disabled={busy !== null} onClick={() => { void exportAs('csv'); }}>
							Export CSV
						</button>
						<button type="button" class="govuk-button govuk-button--secondary" disabled={busy !== null} onClick={() => { void exportAs('xlsx'); }}>
							Export Excel (.xlsx)
						</button>
					</div>
					{pendingExport !== null && (
						<div class="govuk-warning-text" role="alert">
							<span class="govuk-warning-text__icon" aria-hidden="true">!</span>
							<div class="govuk-warning-text__text">
								<span class="govuk-visually-hidden">Warning</span>
								You have unsaved changes. An export is the budget as it is saved, so it would not have them.
								<div class="govuk-button-group govuk-!-margin-top-2 govuk-!-margin-bottom-0">
									<button type="button" class="govuk-button" disabled={busy !== null || stale}
										onClick={() => { void exportAs(pendingExport, 'save-first'); }}>
										Save my changes, then export {EXPORT_NAMES[pendingExport]}
									</button>
									<button type="button" class="govuk-button govuk-button--secondary" disabled={busy !== null}
										onClick={() => { void exportAs(pendingExport, 'saved'); }}>
										Export the saved version without my changes
									</button>
									<button type="button" class="govuk-button govuk-button--secondary" onClick={() => setPendingExport(null)}>Cancel</button>
								</div>
							</div>
						</div>
					)}
					{editable && <ImportDrop disabled={busy !== null || stale} busy={busy === 'import'} onFile={(f) => { void importFile(f); }} />}
					{refused && <RefusedFile refused={refused} />}
					{editable && (
						<>
							<h3 class="govuk-heading-m govuk-!-margin-top-6">Submit</h3>
							<p class="govuk-body">Submitting sends the budget to the finance director, who approves it for the board or returns it to you with a reason.</p>
							{dirty && <p class="govuk-body">Save your changes before you submit.</p>}
							<button type="button" class="govuk-button" disabled={busy !== null || dirty || stale} onClick={() => { void submit(); }}>
								Submit for approval
							</button>
						</>
					)}
				</>
			)}
			{budget && editable && (
				<DeleteDraft budget={budget} disabled={busy !== null || stale}
					onDeleted={() => { void reload().then(() => setDone(`The draft budget for ${year} is deleted.`)); }}
					onStale={() => setStale(true)} />
			)}
			{budget && <Measures metrics={budget.staffing_metrics} id="budget-measures" />}
			{year !== null && <Statement urn={urn} year={year} />}
			{year !== null && <Services urn={urn} year={year} />}
		</Page>
	);
}

function Findings({ findings, lines }: { findings: Finding[] | null; lines: { id: number | null }[] }) {
	if (findings === null || findings.length === 0)
		return null;
	const at = (f: Finding): number | null => {
		const i = f.line_id !== null ? lines.findIndex((l) => l.id === f.line_id) : -1;
		return i >= 0 ? i : lineOf(f.field);
	};
	return (
		<div class="govuk-warning-text" id="findings">
			<span class="govuk-warning-text__icon" aria-hidden="true">!</span>
			<div class="govuk-warning-text__text">
				<span class="govuk-visually-hidden">Warning</span>
				The checks found:
				<ul class="govuk-list govuk-list--bullet">
					{findings.map((f) => {
						const i = at(f);
						return (
							<li key={`${f.code}${f.field}`}>
								<strong>{f.severity === 'error' ? 'Error' : 'Warning'}:</strong> {f.message}
								{i !== null && <> (<a class="govuk-link" href={`#grid-line-${i + 1}`}>line {i + 1}{f.row !== null ? `, spreadsheet row ${f.row}` : ''}</a>)</>}
							</li>
						);
					})}
				</ul>
			</div>
		</div>
	);
}
