// StaffRates.tsx - the employer's on-costs by tax year (issue 16; GET
// /api/v1/staff-rates): National Insurance (rate, secondary threshold, upper
// secondary threshold), the Teachers' Pension Scheme rate, the apprenticeship
// levy and its allowance, the employment allowance; and each entity's LGPS fund
// employer rate by tax year (GET /schools/{urn}/lgps-rates). Every finance
// role reads; the finance director changes a tax year or adds one (PUT, with
// the version read as If-Match when it exists) and replaces an entity's LGPS
// rates (PUT with its version). Percentages and pounds are read exactly by
// components/pounds; the API's errors land on their fields. The on-costs as a
// CSV or XLSX, and the finance director's import of one (SheetTransfer.tsx).
import { useState } from 'preact/hooks';

import { api, must } from '../../api/client';
import { ApiError, describeError } from '../../api/problem';
import type { paths } from '../../api/schema';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { SuccessBanner, TextField } from '../../components/FormField';
import { formatBp } from '../../components/hundredths';
import { Money } from '../../components/Money';
import { LoadError, Loading, Page } from '../../components/Page';
import { bpToInput, parsePercentBp, parsePounds, penceToInput } from '../../components/pounds';
import { useMe } from '../../components/session';
import { useLoad } from '../../components/useLoad';
import { SheetTransfer } from './SheetTransfer';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
type Rates = Json<paths['/api/v1/staff-rates']['get']['responses'][200]>['items'][number];
type Lgps = Json<paths['/api/v1/schools/{urn}/lgps-rates']['get']['responses'][200]>;

type RateKey = 'ni_bp' | 'ni_threshold_pence' | 'ni_upper_pence' | 'tps_bp' | 'levy_bp' | 'levy_allowance_pence' | 'employment_allowance_pence';
const FIELDS: { key: RateKey; label: string; bp: boolean }[] = [
	{ key: 'ni_bp', label: 'Employer’s NI rate (%)', bp: true },
	{ key: 'ni_threshold_pence', label: 'NI secondary threshold (a year)', bp: false },
	{ key: 'ni_upper_pence', label: 'NI upper secondary threshold (a year)', bp: false },
	{ key: 'tps_bp', label: 'Teachers’ Pension Scheme employer rate (%)', bp: true },
	{ key: 'levy_bp', label: 'Apprenticeship levy (%)', bp: true },
	{ key: 'levy_allowance_pence', label: 'Levy allowance (a year)', bp: false },
	{ key: 'employment_allowance_pence', label: 'Employment allowance (a year)', bp: false },
];
const TAX_YEAR = /^20\d{2}-\d{2}$/;
const fid = (k: string) => `rates-${k.replace(/_/g, '-')}`;

function RatesTable({ items, fd, onEdit }: { items: Rates[]; fd: boolean; onEdit: (r: Rates) => void }) {
	if (items.length === 0)
		return <p class="govuk-body">No rates yet.</p>;
	return (
		<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby="rates-caption">
			<table class="govuk-table" id="rates">
				<caption class="govuk-table__caption govuk-table__caption--m" id="rates-caption">On-costs by tax year (from 1 April)</caption>
				<thead class="govuk-table__head"><tr class="govuk-table__row">
					<th scope="col" class="govuk-table__header">Rate</th>
					{items.map((r) => <th scope="col" class="govuk-table__header govuk-table__header--numeric" key={r.tax_year}>{r.tax_year}</th>)}
				</tr></thead>
				<tbody class="govuk-table__body">
					{FIELDS.map((f) => (
						<tr class="govuk-table__row" key={f.key} data-rate={f.key}>
							<th scope="row" class="govuk-table__header">{f.label}</th>
							{items.map((r) => <td class="govuk-table__cell govuk-table__cell--numeric bursar-num" key={r.tax_year}>
								{f.bp ? formatBp(r[f.key]) : <Money pence={r[f.key]} whole />}</td>)}
						</tr>
					))}
					{fd && (
						<tr class="govuk-table__row">
							<td class="govuk-table__cell" />
							{items.map((r) => <td class="govuk-table__cell govuk-table__cell--numeric" key={r.tax_year}>
								<button type="button" class="govuk-button govuk-button--secondary bursar-button--small" onClick={() => onEdit(r)}>
									Change<span class="govuk-visually-hidden"> {r.tax_year}</span></button></td>)}
						</tr>
					)}
				</tbody>
			</table>
		</div>
	);
}

function RatesForm({ rates, onSaved, onCancel }: { rates: Rates | null; onSaved: (y: string) => void; onCancel: () => void }) {
	const [year, setYear] = useState(rates?.tax_year ?? '');
	const [values, setValues] = useState<Record<RateKey, string>>(() => Object.fromEntries(FIELDS.map((f) => [f.key,
		rates === null ? '' : f.bp ? bpToInput(rates[f.key]) : penceToInput(rates[f.key])])) as Record<RateKey, string>);
	const [errs, setErrs] = useState<Record<string, string>>({});
	const [summary, setSummary] = useState<SummaryError[]>([]);
	const show = (e: Record<string, string>, extra: SummaryError[] = []) => {
		setErrs(e);
		setSummary([...Object.entries(e).map(([k, m]) => ({
			text: `${k === 'tax_year' ? 'Tax year' : FIELDS.find((f) => f.key === k)?.label ?? k}: ${m}`, href: `#${fid(k)}`,
		})), ...extra]);
	};
	const save = async (ev: Event) => {
		ev.preventDefault();
		const e: Record<string, string> = {};
		if (!TAX_YEAR.test(year.trim()))
			e.tax_year = 'Enter the tax year like 2027-28';
		const body = {} as Record<RateKey, number>;
		for (const f of FIELDS) {
			const p = f.bp ? parsePercentBp(values[f.key], 'the rate') : parsePounds(values[f.key], 'the amount');
			if (p.ok)
				body[f.key] = p.value;
			else
				e[f.key] = p.message;
		}
		if (Object.keys(e).length > 0) {
			show(e);
			return;
		}
		try {
			await must(api.PUT('/api/v1/staff-rates/{tax_year}', {
				params: { path: { tax_year: year.trim() }, header: rates === null ? {} as never : { 'If-Match': `"${rates.version}"` } },
				body,
			}));
			onSaved(year.trim());
		} catch (x) {
			if (x instanceof ApiError && x.status === 412)
				show({}, [{ text: `Someone else changed ${year} after you opened it, so nothing was saved. Reload the page and make your change again.` }]);
			else if (x instanceof ApiError && x.fieldErrors.length > 0) {
				const byField: Record<string, string> = {};
				const other: SummaryError[] = [];
				for (const fe of x.fieldErrors) {
					const k = fe.field.replace(/^\//, '');
					if (FIELDS.some((f) => f.key === k) && byField[k] === undefined)
						byField[k] = fe.message;
					else
						other.push({ text: fe.message });
				}
				show(byField, other);
			} else
				show({}, [{ text: describeError(x) }]);
		}
	};
	return (
		<form onSubmit={save} noValidate id="rates-form" class="bursar-post-form">
			<h2 class="govuk-heading-m">{rates === null ? 'Add a tax year' : `Change ${rates.tax_year}`}</h2>
			<ErrorSummary errors={summary} />
			{rates === null
				? <TextField id={fid('tax_year')} label="Tax year" hint="From 1 April, like 2027-28" value={year} error={errs.tax_year} onInput={setYear} width="govuk-input--width-5" />
				: null}
			{FIELDS.map((f) => (
				<TextField key={f.key} id={fid(f.key)} label={f.label} value={values[f.key]} error={errs[f.key]} inputMode="decimal"
					prefix={f.bp ? undefined : '£'} suffix={f.bp ? '%' : undefined} width="govuk-input--width-10"
					onInput={(v) => setValues((x) => ({ ...x, [f.key]: v }))} />
			))}
			<div class="govuk-button-group">
				<button type="submit" class="govuk-button">Save {rates === null ? 'the tax year' : rates.tax_year}</button>
				<button type="button" class="govuk-button govuk-button--secondary" onClick={onCancel}>Cancel</button>
			</div>
		</form>
	);
}

function LgpsEditor({ urn, name, lgps, onSaved, onCancel }: { urn: string; name: string; lgps: Lgps; onSaved: () => void; onCancel: () => void }) {
	const [rows, setRows] = useState(lgps.items.map((r) => ({ tax_year: r.tax_year, rate: bpToInput(r.rate_bp) })));
	const [errs, setErrs] = useState<Record<string, string>>({});
	const [summary, setSummary] = useState<SummaryError[]>([]);
	const show = (e: Record<string, string>, extra: SummaryError[] = []) => {
		setErrs(e);
		setSummary([...Object.entries(e).map(([k, m]) => ({ text: `Row ${Number(k.split('-')[1]) + 1}: ${m}`, href: `#${k}` })), ...extra]);
	};
	const save = async (ev: Event) => {
		ev.preventDefault();
		const e: Record<string, string> = {};
		const items: { tax_year: string; rate_bp: number }[] = [];
		rows.forEach((r, i) => {
			if (!TAX_YEAR.test(r.tax_year.trim()))
				e[`lgps-${i}-year`] = 'Enter the tax year like 2026-27';
			const p = parsePercentBp(r.rate, 'the rate');
			if (!p.ok)
				e[`lgps-${i}-rate`] = p.message;
			else
				items.push({ tax_year: r.tax_year.trim(), rate_bp: p.value });
		});
		if (Object.keys(e).length > 0) {
			show(e);
			return;
		}
		try {
			await must(api.PUT('/api/v1/schools/{urn}/lgps-rates', {
				params: { path: { urn }, header: { 'If-Match': `"${lgps.version}"` } },
				body: { items },
			}));
			onSaved();
		} catch (x) {
			if (x instanceof ApiError && x.status === 412)
				show({}, [{ text: 'Someone else changed these rates after you opened them, so nothing was saved. Reload the page.' }]);
			else if (x instanceof ApiError && x.fieldErrors.length > 0) {
				const byField: Record<string, string> = {};
				const other: SummaryError[] = [];
				for (const fe of x.fieldErrors) {
					const m = /^\/items\/(\d+)\/(tax_year|rate_bp)$/.exec(fe.field);
					if (m)
						byField[`lgps-${m[1]}-${m[2] === 'tax_year' ? 'year' : 'rate'}`] = fe.message;
					else
						other.push({ text: fe.message });
				}
				show(byField, other);
			} else
				show({}, [{ text: describeError(x) }]);
		}
	};
	const cell = (i: number, k: 'tax_year' | 'rate', label: string) => {
		const id = `lgps-${i}-${k === 'tax_year' ? 'year' : 'rate'}`;
		return (
			<td class="govuk-table__cell">
				<label class="govuk-visually-hidden" for={id}>{label}</label>
				{errs[id] && <p class="govuk-error-message" id={`${id}-error`}><span class="govuk-visually-hidden">Error:</span> {errs[id]}</p>}
				<input class={`govuk-input govuk-input--width-5${errs[id] ? ' govuk-input--error' : ''}`} id={id} type="text" spellcheck={false}
					value={rows[i]?.[k] ?? ''} aria-describedby={errs[id] ? `${id}-error` : undefined}
					onInput={(ev) => setRows(rows.map((r, j) => (j === i ? { ...r, [k]: (ev.target as HTMLInputElement).value } : r)))} />
			</td>
		);
	};
	return (
		<form onSubmit={save} noValidate id="lgps-form">
			<ErrorSummary errors={summary} />
			<table class="govuk-table">
				<caption class="govuk-table__caption govuk-table__caption--s">{name}: LGPS employer rate by tax year, being edited</caption>
				<thead class="govuk-table__head"><tr class="govuk-table__row">
					<th scope="col" class="govuk-table__header">Tax year</th><th scope="col" class="govuk-table__header">Rate (%)</th>
					<th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Remove</span></th></tr></thead>
				<tbody class="govuk-table__body">
					{rows.map((r, i) => (
						<tr class="govuk-table__row" key={i}>
							{cell(i, 'tax_year', `Row ${i + 1}: tax year`)}
							{cell(i, 'rate', `Row ${i + 1}: rate (%)`)}
							<td class="govuk-table__cell"><button type="button" class="govuk-button govuk-button--secondary bursar-button--small"
								onClick={() => setRows(rows.filter((_, j) => j !== i))}>Remove<span class="govuk-visually-hidden"> {r.tax_year || `row ${i + 1}`}</span></button></td>
						</tr>
					))}
				</tbody>
			</table>
			<button type="button" class="govuk-button govuk-button--secondary" onClick={() => setRows([...rows, { tax_year: '', rate: '' }])}>Add a tax year</button>
			<div class="govuk-button-group">
				<button type="submit" class="govuk-button">Save the LGPS rates</button>
				<button type="button" class="govuk-button govuk-button--secondary" onClick={onCancel}>Cancel</button>
			</div>
		</form>
	);
}

function LgpsRates({ fd }: { fd: boolean }) {
	const schools = useLoad(() => must(api.GET('/api/v1/schools', { params: { query: { limit: 200 } } })), []);
	const [urn, setUrn] = useState<string | null>(null);
	const [reload, setReload] = useState(0);
	const [editing, setEditing] = useState(false);
	const [done, setDone] = useState<string | null>(null);
	const items = schools.data?.items ?? [];
	const chosen = urn ?? items[0]?.urn ?? null;
	const lgps = useLoad(async () => (chosen === null ? null : must(api.GET('/api/v1/schools/{urn}/lgps-rates', { params: { path: { urn: chosen } } }))),
		[chosen, reload]);
	const name = items.find((s) => s.urn === chosen)?.name ?? chosen ?? '';
	return (
		<section aria-labelledby="lgps-heading">
			<h2 class="govuk-heading-l" id="lgps-heading">LGPS employer rates</h2>
			<p class="govuk-body">Each school’s (and the central team’s) Local Government Pension Scheme fund rate, by tax year. A tax year after the last one given repeats it.</p>
			{done && <SuccessBanner title="Done"><p class="govuk-notification-banner__heading">{done}</p></SuccessBanner>}
			{schools.error !== undefined && <LoadError error={schools.error} />}
			<div class="govuk-form-group">
				<label class="govuk-label govuk-label--s" for="lgps-school">School</label>
				<select class="govuk-select" id="lgps-school" value={chosen ?? ''}
					onChange={(e) => { setEditing(false); setDone(null); setUrn((e.target as HTMLSelectElement).value); }}>
					{items.map((s) => <option key={s.urn} value={s.urn}>{s.name}</option>)}
				</select>
			</div>
			{lgps.loading && lgps.data === undefined && <Loading />}
			{lgps.error !== undefined && <LoadError error={lgps.error} />}
			{lgps.data && chosen !== null && (editing
				? <LgpsEditor key={`${chosen}-${lgps.data.version}`} urn={chosen} name={name} lgps={lgps.data} onCancel={() => setEditing(false)}
					onSaved={() => { setEditing(false); setDone(`${name}’s LGPS rates are saved.`); setReload((n) => n + 1); }} />
				: (
					<>
						{lgps.data.items.length === 0 ? <p class="govuk-body">No LGPS rates for {name}.</p> : (
							<table class="govuk-table" id="lgps">
								<caption class="govuk-table__caption govuk-table__caption--s">{name}: LGPS employer rate by tax year</caption>
								<thead class="govuk-table__head"><tr class="govuk-table__row">
									<th scope="col" class="govuk-table__header">Tax year</th>
									<th scope="col" class="govuk-table__header govuk-table__header--numeric">Rate</th></tr></thead>
								<tbody class="govuk-table__body">
									{lgps.data.items.map((r) => (
										<tr class="govuk-table__row" key={r.tax_year}>
											<th scope="row" class="govuk-table__header">{r.tax_year}</th>
											<td class="govuk-table__cell govuk-table__cell--numeric bursar-num">{formatBp(r.rate_bp)}</td>
										</tr>
									))}
								</tbody>
							</table>
						)}
						{fd && <button type="button" class="govuk-button govuk-button--secondary" onClick={() => { setDone(null); setEditing(true); }}>
							Change {name}’s LGPS rates</button>}
					</>
				))}
		</section>
	);
}

export default function StaffRates() {
	const me = useMe();
	const fd = me.role === 'finance_director';
	const [reload, setReload] = useState(0);
	const [editing, setEditing] = useState<Rates | 'new' | null>(null);
	const [done, setDone] = useState<string | null>(null);
	const list = useLoad(() => must(api.GET('/api/v1/staff-rates')), [reload]);
	const items = [...(list.data?.items ?? [])].sort((a, b) => a.tax_year.localeCompare(b.tax_year));
	return (
		<Page title="Staff rates">
			{done && <SuccessBanner title="Done"><p class="govuk-notification-banner__heading">{done}</p></SuccessBanner>}
			<p class="govuk-body">The employer’s on-costs bursar costs posts with, by tax year (April to March). A tax year after the last one
				given repeats it. The pay itself is on <a class="govuk-link" href="/trust/pay-scales">Pay scales</a>.</p>
			{list.loading && list.data === undefined && <Loading />}
			{list.error !== undefined && <LoadError error={list.error} />}
			{list.data && editing === null && <RatesTable items={items} fd={fd} onEdit={(r) => { setDone(null); setEditing(r); }} />}
			{fd && editing === null && list.data && (
				<button type="button" class="govuk-button govuk-button--secondary" onClick={() => { setDone(null); setEditing('new'); }}>Add a tax year</button>
			)}
			{editing !== null && <RatesForm rates={editing === 'new' ? null : editing} onCancel={() => setEditing(null)}
				onSaved={(y) => { setEditing(null); setDone(`The rates for ${y} are saved.`); setReload((n) => n + 1); }} />}
			<SheetTransfer path="/api/v1/staff-rates" what="the on-cost rates" fd={fd} onImported={() => { setEditing(null); setReload((n) => n + 1); }}
				unchanged="The on-cost rates have not changed"
				layout="One row per tax year: tax_year, ni_bp, ni_threshold, ni_upper, tps_bp, levy_bp, levy_allowance and employment_allowance (rates in basis points, 2868 for 28.68%; thresholds and allowances in pounds). The LGPS rates are not in it."
				hint="Drop a CSV or Excel (.xlsx) file here, or choose one, in the download’s layout: each tax year in it is added or replaces that year’s rates. Nothing is imported unless every row is right." />
			<LgpsRates fd={fd} />
		</Page>
	);
}
