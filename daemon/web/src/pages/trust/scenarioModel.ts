// scenarioModel.ts - a scenario's assumptions as the pages show and edit them:
// which series there are and what unit each is in, the forecast years after a
// base year, and the form's text values to and from the API's body (numbers
// of hundredths read by components/pounds, never by parseFloat).
import type { Schemas } from '../../api/types';
import { hundredthsToDecimal } from '../../components/hundredths';
import { parseHundredths } from '../../components/pounds';

export type Scenario = Schemas['Scenario'];
export type ScenarioWrite = Schemas['ScenarioWrite'];
export type Assumptions = Schemas['ScenarioAssumptions'];
type Series = Record<string, number>;

export type Unit = 'bp' | 'pence';

/* The series keyed by year, in the order the page shows them. */
export const SERIES: { key: Exclude<keyof Assumptions, 'inflation_bp' | `base_${string}`>; label: string; unit: Unit }[] = [
	{ key: 'funding_per_pupil_bp', label: 'Funding per pupil', unit: 'bp' },
	{ key: 'place_rate_pence', label: 'Place rate (£ a place)', unit: 'pence' },
	{ key: 'teacher_pay_bp', label: 'Teachers’ pay award (September)', unit: 'bp' },
	{ key: 'support_pay_bp', label: 'Support staff pay award (April)', unit: 'bp' },
	{ key: 'teacher_oncost_bp', label: 'Teachers’ on-costs change (April)', unit: 'bp' },
	{ key: 'support_oncost_bp', label: 'Support staff on-costs change (April)', unit: 'bp' },
	{ key: 'retender_change_bp', label: 'Price change when a contract is re-procured', unit: 'bp' },
];

/* The base year's own changes, one figure each. */
export const BASE: { key: `base_${string}` & keyof Assumptions; label: string }[] = [
	{ key: 'base_support_pay_bp', label: 'Support staff April award in the base year' },
	{ key: 'base_teacher_oncost_bp', label: 'Teachers’ on-costs change in the base year' },
	{ key: 'base_support_oncost_bp', label: 'Support staff on-costs change in the base year' },
	{ key: 'base_teacher_oncost_unbudgeted_bp', label: 'Teachers’ on-costs change in the base year’s April that its budgets leave out' },
	{ key: 'base_support_oncost_unbudgeted_bp', label: 'Support staff on-costs change in the base year’s April that its budgets leave out' },
];

/* "2026-27" -> "2027-28" */
export function nextYear(y: string): string {
	const start = Number.parseInt(y.slice(0, 4), 10) + 1;
	return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

/* The forecast years: `horizon` after the base year, and any later one a
 * series names (a scenario may give years past its default horizon). */
export function forecastYears(base: string, horizon: number, extra: Iterable<string> = []): string[] {
	const out: string[] = [];
	let y = base;
	for (let i = 0; i < Math.min(Math.max(horizon, 1), 10); i++) {
		y = nextYear(y);
		out.push(y);
	}
	for (const e of extra)
		if (!out.includes(e) && e > base)
			out.push(e);
	return out.sort();
}

export function yearsNamed(a: Assumptions): string[] {
	const ys = new Set<string>();
	for (const s of SERIES)
		Object.keys(a[s.key] as Series).forEach((y) => ys.add(y));
	for (const idx of Object.values(a.inflation_bp as Record<string, Series>))
		Object.keys(idx).forEach((y) => ys.add(y));
	return [...ys];
}

/* A figure as the form shows it: bp as a percentage number ("2.5"), pence as pounds ("10000.00"). */
export function toText(v: number | undefined, unit: Unit): string {
	if (v === undefined)
		return '';
	const s = hundredthsToDecimal(v);
	return unit === 'bp' ? s.replace(/\.?0+$/, '').replace(/^-0$/, '0') || '0' : s;
}

/* The input id of a JSON Pointer, so an error from the API links to its field. */
export function fieldId(pointer: string): string {
	return `f${pointer.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export interface FormState {
	name: string;
	description: string;
	base_year: string;
	horizon: string;
	/* "/assumptions/<key>/<year>" or "/assumptions/inflation_bp/<index>/<year>" or
	 * "/assumptions/base_..." -> the text typed */
	cells: Record<string, string>;
	indices: string[];
}

export function formFrom(s: Scenario | undefined, nameOverride?: string): FormState {
	if (s === undefined)
		return { name: '', description: '', base_year: '', horizon: '3', cells: {}, indices: ['cpi'] };
	const cells: Record<string, string> = {};
	for (const d of SERIES)
		for (const [y, v] of Object.entries(s.assumptions[d.key] as Series))
			cells[`/assumptions/${d.key}/${y}`] = toText(v, d.unit);
	const inflation = s.assumptions.inflation_bp as Record<string, Series>;
	for (const [idx, series] of Object.entries(inflation))
		for (const [y, v] of Object.entries(series))
			cells[`/assumptions/inflation_bp/${idx}/${y}`] = toText(v, 'bp');
	for (const b of BASE)
		cells[`/assumptions/${b.key}`] = toText(s.assumptions[b.key], 'bp');
	return {
		name: nameOverride ?? s.name,
		description: s.description,
		base_year: s.base_year,
		horizon: String(s.horizon),
		cells,
		indices: Object.keys(inflation),
	};
}

export interface Built {
	body: ScenarioWrite | null;
	errors: { field: string; message: string }[];
}

/* The body to send, or the fields that are not numbers (checked here only so
 * the person hears at once; the API checks everything again). `keep` carries
 * what the form does not edit (the pupil and place projections). */
export function buildBody(f: FormState, keep: Scenario | undefined): Built {
	const errors: { field: string; message: string }[] = [];
	const num = (pointer: string, text: string | undefined, unit: Unit = 'bp'): number | undefined => {
		if (text === undefined || text.trim() === '')
			return undefined;
		const p = unit === 'pence'
			? parseHundredths(text, 'the rate', { currency: true })
			: parseHundredths(text.trim().replace(/%$/, ''), 'the percentage', { allowNegative: true });
		if (!p.ok) {
			errors.push({ field: pointer, message: unit === 'bp' ? p.message.replace('like 1,234.56', 'like 2.5') : p.message });
			return undefined;
		}
		return p.value;
	};
	const series = (prefix: string, unit: Unit = 'bp'): Series => {
		const out: Series = {};
		for (const [k, text] of Object.entries(f.cells))
			if (k.startsWith(prefix) && /^\d{4}-\d{2}$/.test(k.slice(prefix.length))) {
				const v = num(k, text, unit);
				if (v !== undefined)
					out[k.slice(prefix.length)] = v;
			}
		return out;
	};
	const a: Record<string, unknown> = {};
	for (const d of SERIES)
		a[d.key] = series(`/assumptions/${d.key}/`, d.unit);
	const inflation: Record<string, Series> = {};
	for (const idx of f.indices)
		inflation[idx] = series(`/assumptions/inflation_bp/${idx}/`);
	a.inflation_bp = inflation;
	for (const b of BASE)
		a[b.key] = num(`/assumptions/${b.key}`, f.cells[`/assumptions/${b.key}`]) ?? 0;
	/* not edited by this form: the staff rate changes go back as they are */
	if (keep?.assumptions.staff_rate_changes !== undefined)
		a.staff_rate_changes = keep.assumptions.staff_rate_changes;
	let horizon: number | undefined;
	if (f.horizon.trim() !== '') {
		if (!/^\d{1,2}$/.test(f.horizon.trim()))
			errors.push({ field: '/horizon', message: 'Enter a whole number of years from 1 to 10' });
		else
			horizon = Number.parseInt(f.horizon.trim(), 10);
	}
	if (errors.length > 0)
		return { body: null, errors };
	const body: ScenarioWrite = {
		name: f.name,
		description: f.description,
		base_year: f.base_year.trim(),
		assumptions: a as Assumptions,
		...(horizon !== undefined ? { horizon } : {}),
		/* what the form does not edit goes back as it is (a PUT replaces the scenario) */
		...(keep !== undefined ? { pupils: keep.pupils, places: keep.places, overrides: keep.overrides, actions: keep.actions } : {}),
	};
	return { body, errors };
}
