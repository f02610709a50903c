// BudgetGrid.tsx - the budget's lines as an editable grid (Tabulator, loaded
// with this page only): the account code with its name beside it, the
// description, the amount in pounds as the person types it, the forecast driver
// and "excluded from central", and the line's monthly profile (issue 17: its
// source; a named profile or the account's default chosen in the cell, from a
// select of the API's profiles; own weights and the twelve months in the drawer
// the "Months" button opens, LineMonths.tsx). Edits stay in the grid until the page saves them
// (one PUT of every line); the grid works nothing out: totals are the API's.
//
// Keyboard: Tab reaches each editable cell, which opens its editor; Tab and
// Shift+Tab move between cells while editing, Enter keeps an edit, Escape drops
// it. Each line's "Remove" is a button. Problems the API reports on a line are
// shown in the line's "Problem" cell (id grid-line-<n>, focusable), which the
// page's error summary links to.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { CellComponent, RowComponent, Tabulator as TabulatorT } from 'tabulator-tables';

import { parsePounds } from '../../components/pounds';
import { hundredthsToDecimal } from '../../components/hundredths';
import { formatPence, penceToDecimal } from '../../components/Money';
import type { Account, BudgetLine, Finding, LineInput, Recharge } from './budgetApi';
import type { Profile } from './profileApi';

export interface GridRow {
	id?: number;
	account_code: string;
	description: string;
	amount: string;
	driver: string;
	excluded_from_central: boolean;
	problems: string[];
	note: string | null;                /* what the API says about the line (its recharge), shown beside it */
	computed: boolean;                  /* posted by the finance rules: read-only, never sent back */
	explanation: string | null;         /* how the finance rules worked a computed line out */
	staff?: string | null;              /* a line generated from the school's posts: its pay, NI and pension */
	profile: string | null;             /* a named profile, or null (own weights, or the account's default) */
	profile_bp: number[] | null;        /* the line's own weights (bp), or null */
	profile_source: string | null;      /* the API's: line, own, account, posts; null on a line not saved as it is */
	months: number[] | null;            /* the API's twelve months (pence); null once the amount or profile changes */
}

/* What filling a code to its recharge did. */
export type Filled = 'set' | 'added' | 'added-rest';

export interface GridHandle {
	rows: () => GridRow[];
	add: () => void;
	setProblems: (byLine: Map<number, string[]>) => void;
	indexOfLine: (lineId: number) => number | null;
	fillRecharge: (r: Recharge) => Filled;
	/* a line's profile changed (from the months drawer): its months are the API's again after a save */
	setProfile: (index: number, profile: string | null, profileBp: number[] | null) => void;
}

/* What the Profile column says of a line: its source as the API gave it, or
 * as edited on the page (not saved yet). */
export function profileText(r: GridRow, accounts: Map<string, Account>): string {
	if (r.profile_source === 'posts')
		return 'From posts';
	if (r.profile !== null)
		return r.profile;
	if (r.profile_bp !== null)
		return 'Own weights';
	const a = accounts.get(r.account_code.trim()) ?? accounts.get(r.account_code.trim().toUpperCase());
	return `Account’s (${a?.default_profile ?? 'even'})`;
}

export function rowOf(l: BudgetLine): GridRow {
	const digits = Math.abs(l.amount_pence).toString().padStart(3, '0');
	return {
		id: l.id ?? undefined,
		account_code: l.account_code,
		description: l.description,
		amount: `${l.amount_pence < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`,
		driver: l.driver ?? '',
		excluded_from_central: l.excluded_from_central,
		problems: [],
		note: null,
		computed: l.computed,
		explanation: l.explanation,
		staff: l.source === 'posts' && l.staff
			? `From the school’s posts: pay ${formatPence(l.staff.pay_pence)}, NI ${formatPence(l.staff.ni_pence)}, pension ${formatPence(l.staff.pension_pence)}`
				+ ` (${l.staff.posts} ${l.staff.posts === 1 ? 'post' : 'posts'}, ${hundredthsToDecimal(l.staff.fte_h)} FTE).`
			: l.source === 'posts' ? 'From the school’s posts.' : null,
		profile: l.profile ?? null,
		profile_bp: l.profile_bp ?? null,
		profile_source: l.profile_source,
		months: l.months_pence,
	};
}

/* The budget's lines as grid rows: each finding on its line (by line id), and
 * each recharge beside the first line on its code. Text only: the figures are
 * the API's, formatted. */
export function rowsOf(lines: BudgetLine[], recharges: Recharge[], findings: Finding[]): GridRow[] {
	const rows = lines.map(rowOf);
	const byId = new Map(lines.map((l, i) => [l.id, i]));
	for (const f of findings) {
		const i = f.line_id !== null ? byId.get(f.line_id) : undefined;
		if (i !== undefined)
			rows[i]?.problems.push(`${f.severity === 'error' ? 'Error' : 'Warning'}: ${f.message}`);
	}
	for (const r of recharges) {
		const i = rows.findIndex((row) => row.account_code.toUpperCase() === r.account_code.toUpperCase());
		if (i < 0)
			continue;
		(rows[i] as GridRow).note = `Recharged ${formatPence(r.recharge_pence)}`
			+ (r.short_pence > 0 ? `: ${formatPence(r.short_pence)} short (see Recharges)` : '');
	}
	return rows;
}

/* The grid's typed rows as the API's lines (computed rows are the finance
 * rules', never sent), with at[j] the grid index of line j; or the problems of
 * the amounts that are not amounts (by grid index) when some are not. */
export function linesOf(rows: GridRow[]): { lines: LineInput[]; at: number[] } | { problems: Map<number, string[]> } {
	const problems = new Map<number, string[]>();
	const lines: LineInput[] = [];
	const at: number[] = [];
	rows.forEach((r, i) => {
		if (r.computed)
			return;
		const p = parsePounds(r.amount, 'the amount', true);
		if (!p.ok)
			problems.set(i, [`Amount: ${p.message}`]);
		const line: LineInput = {
			account_code: r.account_code.trim(),
			description: r.description,
			amount_pence: p.ok ? p.value : 0,
			driver: r.driver.trim() === '' ? null : r.driver.trim(),
			excluded_from_central: r.excluded_from_central,
			profile: r.profile,
			profile_bp: r.profile_bp,
		};
		if (r.id !== undefined)
			line.id = r.id;
		lines.push(line);
		at.push(i);
	});
	return problems.size > 0 ? { problems } : { lines, at };
}

interface Props {
	staffHref?: string;                 /* the school's staff page, linked from lines generated from posts */
	rows: GridRow[];
	generation: number;                 /* a new value: the rows were replaced */
	accounts: Map<string, Account>;
	readOnly: boolean;
	handle: { current: GridHandle | null };
	onChange: () => void;
	onMonths?: (index: number) => void;   /* open line index's months (the drawer) */
	profiles?: Profile[];               /* the named profiles (GET /profiles), for the Profile cell's select */
}

/* The Profile cell's choice: a named profile, the account's default (""), or own weights. */
const OWN = '__own';

function profileChoice(r: GridRow): string {
	return r.profile !== null ? r.profile : r.profile_bp !== null ? OWN : '';
}

/* Tabulator puts wrappers without a role (the scrolling holder, focusable)
 * between its role=grid element and the rows: ARIA wants a grid to own rows
 * and row groups only, so the wrappers are made presentational, and the holder
 * leaves the tab order (every row is rendered, and each cell is reachable). */
function ariaOwned(grid: HTMLElement): void {
	const walk = (el: Element) => {
		for (const c of Array.from(el.children)) {
			const role = c.getAttribute('role');
			if (role === 'row' || role === 'rowgroup')
				continue;
			if (role === null || role === 'none') {
				c.setAttribute('role', 'none');
				c.removeAttribute('tabindex');
				walk(c);
			}
		}
	};
	walk(grid);
}

const KINDS: Record<string, string> = { income: 'income', expenditure: 'expenditure' };

function text(s: string): HTMLElement {
	const span = document.createElement('span');
	span.textContent = s;
	return span;
}

export function BudgetGrid({ rows, generation, accounts, readOnly, handle, onChange, staffHref, onMonths, profiles }: Props) {
	const el = useRef<HTMLDivElement>(null);
	const table = useRef<TabulatorT | null>(null);
	const latest = useRef({ accounts, onChange, onMonths, profiles });
	latest.current = { accounts, onChange, onMonths, profiles };
	/* the rows' table as last built: until the table of these rows is, the grid is busy
	 * (aria-busy, in the same render as the new rows): what is on screen is going away */
	const key = `${generation}/${readOnly ? 'read' : 'edit'}`;
	const [built, setBuilt] = useState<string | null>(null);

	useEffect(() => {
		let dead = false;
		let t: TabulatorT | null = null;
		/* the cell being edited, out of the tab order until the focus is elsewhere
		 * (its editor is removed on blur, so its own focusout never reaches it) */
		let editing: HTMLElement | null = null;
		const refocus = () => {
			if (editing !== null && !editing.contains(document.activeElement)) {
				editing.tabIndex = 0;
				editing = null;
			}
		};
		document.addEventListener('focusin', refocus);
		(async () => {
			const { Tabulator, EditModule, FormatModule, KeybindingsModule, InteractionModule } = await import('tabulator-tables');
			if (dead || el.current === null)
				return;
			Tabulator.registerModule([EditModule, FormatModule, KeybindingsModule, InteractionModule]);
			const editable = !readOnly;
			const accountOf = (cell: CellComponent) => {
				const code = String(cell.getValue() ?? '').trim();
				return latest.current.accounts.get(code) ?? latest.current.accounts.get(code.toUpperCase());
			};
			const input = (label: string, list?: string) => ({
				elementAttributes: { 'aria-label': label, ...(list ? { list, autocomplete: 'off' } : {}) },
			});
			/* a computed line's cells take no editor */
			const typed = (cell: CellComponent) => !(cell.getRow().getData() as GridRow).computed;
			/* The Profile cell's editor: a select of the account's default, the named profiles
			 * and, on a line that has them, its own weights (kept; changed in the Months drawer).
			 * A choice is kept when the select changes by the mouse, on Enter or when the focus
			 * leaves it; Escape drops it; arrow keys only move the choice. */
			const profileEditor = (cell: CellComponent, onRendered: (f: () => void) => void,
				success: (v: unknown) => void, cancel: (v: unknown) => void) => {
				const r = cell.getRow().getData() as GridRow;
				const a = latest.current.accounts.get(r.account_code.trim()) ?? latest.current.accounts.get(r.account_code.trim().toUpperCase());
				const sel = document.createElement('select');
				sel.className = 'govuk-select bursar-grid-select';
				sel.setAttribute('aria-label', `Profile of line ${cell.getRow().getPosition() as number}`);
				const add = (value: string, label: string) => {
					const o = document.createElement('option');
					o.value = value;
					o.textContent = label;
					sel.appendChild(o);
				};
				add('', `Account’s (${a?.default_profile ?? 'even'})`);
				const names = (latest.current.profiles ?? []).map((p) => p.name);
				for (const n of names)
					add(n, n);
				if (r.profile !== null && !names.includes(r.profile))
					add(r.profile, r.profile);
				if (r.profile_bp !== null)
					add(OWN, 'Own weights');
				const was = profileChoice(r);
				sel.value = was;
				let over = false;
				let keyed = false;
				const keep = () => {
					if (over)
						return;
					over = true;
					if (sel.value === was)
						cancel(cell.getValue());
					else
						success(sel.value);
				};
				sel.addEventListener('keydown', (e) => {
					keyed = e.key.startsWith('Arrow') || e.key === 'Home' || e.key === 'End' || e.key === 'PageUp' || e.key === 'PageDown';
					if (e.key === 'Enter') {
						e.preventDefault();
						keep();
					} else if (e.key === 'Escape') {
						over = true;
						cancel(cell.getValue());
					}
				});
				sel.addEventListener('change', () => { if (!keyed) keep(); keyed = false; });
				sel.addEventListener('blur', keep);
				onRendered(() => sel.focus());
				return sel;
			};
			t = new Tabulator(el.current, {
				data: rows.map((r) => ({ ...r })),
				layout: 'fitColumns',
				renderVertical: rows.length > 1000 ? 'virtual' : 'basic',
				...(rows.length > 1000 ? { height: '70vh' } : {}),
				placeholder: 'No lines yet.',
				/* Tab and Shift+Tab are the browser's: from cell to cell in the page's
				 * order (each editable cell opens its editor on focus), past the
				 * computed lines' cells, which are not in the tab order, to the
				 * buttons; Tabulator's own Tab stops at a row with nothing to edit. */
				keybindings: { navNext: false, navPrev: false },
				rowFormatter: (row: RowComponent) => {
					const data = row.getData() as GridRow;
					const el = row.getElement();
					el.classList.toggle('bursar-row--computed', data.computed);
					if (!data.computed)
						return;
					for (const c of row.getCells()) {
						const ce = c.getElement();
						ce.removeAttribute('tabindex');
						ce.classList.remove('tabulator-editable');
					}
					/* the amount: focusable, described by the explanation (read out on focus, shown on hover) */
					const amount = row.getCell('amount')?.getElement();
					if (amount !== undefined) {
						/* Tabulator blurs a cell it may not edit as it gains the focus: its own
						 * focus listener is kept from running, so the amount keeps the focus */
						if (amount.dataset.bursarComputed === undefined) {
							amount.dataset.bursarComputed = '';
							amount.addEventListener('focus', (e) => {
								if ((row.getData() as GridRow).computed)
									e.stopImmediatePropagation();
							}, { capture: true });
						}
						amount.tabIndex = 0;
						amount.title = data.explanation ?? '';
						amount.setAttribute('aria-describedby', `grid-explain-${row.getPosition() as number}`);
						amount.setAttribute('aria-readonly', 'true');
					}
				},
				columns: [
					{ title: 'Line', formatter: 'rownum', width: 60, hozAlign: 'right', headerSort: false },
					{
						title: 'Code', field: 'account_code', width: 110, headerSort: false,
						formatter: (cell: CellComponent) => {
							const span = text(String(cell.getValue() ?? ''));
							if ((cell.getRow().getData() as GridRow).computed) {
								const tag = text((cell.getRow().getData() as GridRow).staff ? 'from posts' : 'computed');
								tag.className = 'govuk-tag govuk-tag--grey bursar-tag--small';
								span.append(' ', tag);
							}
							return span;
						},
						...(editable ? { editor: 'input' as const, editable: typed, editorParams: input('Account code', 'bursar-account-codes') } : {}),
					},
					{
						/* the account's name, and its kind when hovered (the totals are split by kind) */
						title: 'Account', field: 'account_code', headerSort: false, minWidth: 160,
						formatter: (cell: CellComponent) => {
							const a = accountOf(cell);
							const span = text(a?.name ?? 'Unknown code');
							if (a !== undefined)
								span.title = `${a.name} (${KINDS[a.kind] ?? a.kind})`;
							return span;
						},
					},
					{
						title: 'Description', field: 'description', headerSort: false, minWidth: 180,
						...(editable ? { editor: 'input' as const, editable: typed, editorParams: input('Description') } : {}),
					},
					{
						title: 'Amount (£)', field: 'amount', width: 150, hozAlign: 'right', headerHozAlign: 'right', headerSort: false,
						formatter: (cell: CellComponent) => {
							const p = parsePounds(String(cell.getValue() ?? ''), 'the amount', true);
							if (p.ok)
								return text(formatPence(p.value));
							cell.getElement().classList.add('bursar-cell--error');
							return text(String(cell.getValue() ?? ''));
						},
						...(editable ? { editor: 'input' as const, editable: typed, editorParams: input('Amount in pounds') } : {}),
					},
					{
						title: 'Driver', field: 'driver', width: 130, headerSort: false,
						formatter: (cell: CellComponent) => text(String(cell.getValue() ?? '') || 'account’s'),
						...(editable ? { editor: 'input' as const, editable: typed, editorParams: input('Forecast driver', 'bursar-drivers') } : {}),
					},
					{
						title: 'Excluded from central', field: 'excluded_from_central', width: 110, hozAlign: 'center', headerSort: false,
						formatter: (cell: CellComponent) => text(cell.getValue() ? 'Yes' : 'No'),
						...(editable ? { editor: 'tickCross' as const, editable: typed } : {}),
					},
					{
						/* the line's profile: a named one or the account's default chosen here, own
						 * weights in the months drawer ("Months" button) */
						title: 'Profile', field: 'profile_source', width: 170, headerSort: false,
						formatter: (cell: CellComponent) => text(profileText(cell.getRow().getData() as GridRow, latest.current.accounts)),
						...(editable ? { editor: profileEditor, editable: typed } : {}),
					},
					{
						title: 'Months', field: '_months', width: 110, headerSort: false,
						formatter: (cell: CellComponent) => {
							const b = document.createElement('button');
							b.type = 'button';
							b.className = 'govuk-button govuk-button--secondary bursar-button--small bursar-months-button';
							b.textContent = 'Months';
							const pos = cell.getRow().getPosition() as number;
							const hidden = text(` of line ${pos}`);
							hidden.className = 'govuk-visually-hidden';
							b.appendChild(hidden);
							b.dataset.line = String(pos);
							b.addEventListener('click', () => {
								latest.current.onMonths?.((cell.getRow().getPosition() as number) - 1);
							});
							return b;
						},
					},
					{
						title: 'Notes', field: 'problems', headerSort: false, minWidth: 180, variableHeight: true,
						formatter: (cell: CellComponent) => {
							const e = cell.getElement();
							const list = (cell.getValue() as string[] | undefined) ?? [];
							const row = cell.getRow();
							const note = (row.getData() as GridRow).note;
							e.id = `grid-line-${row.getPosition() as number}`;
							e.tabIndex = -1;
							e.classList.add('bursar-grid-notes');
							row.getElement().classList.toggle('bursar-row--error', list.length > 0);
							const box = document.createElement('span');
							if (list.length > 0) {
								const span = text(list.join(' '));
								span.className = 'govuk-error-message bursar-grid-problem';
								box.appendChild(span);
							}
							const data = row.getData() as GridRow;
							if (data.computed && data.staff) {
								/* generated from the posts: read-only here, changed on the staff page */
								const span = text(`${data.staff} ${data.explanation ?? ''} `);
								span.className = 'bursar-grid-note';
								span.id = `grid-explain-${row.getPosition() as number}`;
								if (staffHref !== undefined) {
									const a = document.createElement('a');
									a.className = 'govuk-link';
									a.href = staffHref;
									a.textContent = 'Change the posts';
									const hidden = text(` (${data.account_code})`);
									hidden.className = 'govuk-visually-hidden';
									a.appendChild(hidden);
									span.appendChild(a);
								}
								box.appendChild(span);
							} else if (data.computed) {
								const span = text(`Computed by the trust’s finance rules: ${data.explanation ?? ''}`);
								span.className = 'bursar-grid-note';
								span.id = `grid-explain-${row.getPosition() as number}`;
								box.appendChild(span);
							}
							if (note !== null) {
								const span = text(note);
								span.className = 'bursar-grid-note';
								box.appendChild(span);
							}
							return box;
						},
					},
					...(editable ? [{
						title: '', field: '_remove', width: 100, headerSort: false,
						formatter: (cell: CellComponent) => {
							if ((cell.getRow().getData() as GridRow).computed)
								return text('');
							const b = document.createElement('button');
							b.type = 'button';
							b.className = 'govuk-button govuk-button--secondary bursar-button--small';
							b.textContent = 'Remove';
							const hidden = document.createElement('span');
							hidden.className = 'govuk-visually-hidden';
							hidden.textContent = ` line ${cell.getRow().getPosition() as number}`;
							b.appendChild(hidden);
							b.addEventListener('click', () => {
								void cell.getRow().delete();
							});
							return b;
						},
					}] : []),
				],
			});
			t.on('tableBuilt', () => {
				if (el.current !== null)
					ariaOwned(el.current);
				if (!dead)
					setBuilt(key);
			});
			t.on('dataProcessed', () => { if (el.current !== null) ariaOwned(el.current); });
			/* While a cell edits, the cell itself leaves the tab order: Shift+Tab
			 * from its editor would otherwise land on the cell, which reopens it. */
			t.on('cellEditing', (cell: CellComponent) => {
				if (editing !== null)
					editing.tabIndex = 0;
				editing = cell.getElement();
				editing.tabIndex = -1;
			});
			t.on('cellEdited', (cell: CellComponent) => {
				/* the amount or the account splits differently: the API's months again after a save */
				const f = cell.getField();
				if ((f === 'amount' || f === 'account_code') && (cell.getRow().getData() as GridRow).months !== null)
					void cell.getRow().update({ months: null });
				if (f === 'profile_source') {
					/* the Profile cell's choice on the line (own weights are the drawer's) */
					const v = String(cell.getValue() ?? '');
					void cell.getRow().update(v === OWN ? { profile_source: null }
						: { profile: v === '' ? null : v, profile_bp: null, profile_source: null, months: null });
				}
				latest.current.onChange();
			});
			t.on('rowDeleted', () => latest.current.onChange());
			t.on('rowAdded', () => latest.current.onChange());
			table.current = t;
			handle.current = {
				rows: () => (t as TabulatorT).getRows().map((r: RowComponent) => r.getData() as GridRow),
				add: () => {
					const first = (t as TabulatorT).getRows().find((r: RowComponent) => (r.getData() as GridRow).computed);
					void (t as TabulatorT).addRow({ account_code: '', description: '', amount: '0.00', driver: '',
						excluded_from_central: false, problems: [], note: null, computed: false, explanation: null,
					profile: null, profile_bp: null, profile_source: null, months: null },
					first !== undefined, first).then((row: RowComponent) => {
						row.getCell('account_code')?.edit();
					});
				},
				indexOfLine: (lineId) => {
					const i = (t as TabulatorT).getRows().findIndex((r: RowComponent) => (r.getData() as GridRow).id === lineId);
					return i < 0 ? null : i;
				},
				/* The code's lines carry its recharge: one line is set to the
				 * recharge, none gets a line of it, several get a line of what they
				 * lack (the API's amounts copied, nothing worked out here). */
				fillRecharge: (r) => {
					const tt = t as TabulatorT;
					const on = tt.getRows().filter((row: RowComponent) => !(row.getData() as GridRow).computed
						&& (row.getData() as GridRow).account_code.trim().toUpperCase() === r.account_code.toUpperCase());
					const names = r.services.map((x) => x.name).join(', ');
					const add = (pence: number, description: string) => {
						const first = tt.getRows().find((row: RowComponent) => (row.getData() as GridRow).computed);
						const below = on[on.length - 1];
						void tt.addRow({ account_code: r.account_code, description, amount: penceToDecimal(pence), driver: '',
							excluded_from_central: false, problems: [], note: null, computed: false, explanation: null,
							profile: null, profile_bp: null, profile_source: null, months: null },
						below === undefined && first !== undefined, below ?? first);
						latest.current.onChange();
					};
					if (on.length === 1) {
						void (on[0] as RowComponent).update({ amount: penceToDecimal(r.recharge_pence) });
						latest.current.onChange();
						return 'set';
					}
					if (on.length === 0) {
						add(r.recharge_pence, `Recharge: ${names}`.slice(0, 200));
						return 'added';
					}
					add(r.short_pence, `Rest of the recharge: ${names}`.slice(0, 200));
					return 'added-rest';
				},
				setProfile: (index, profile, profileBp) => {
					const row = (t as TabulatorT).getRows()[index];
					if (row === undefined || (row.getData() as GridRow).computed)
						return;
					void row.update({ profile, profile_bp: profileBp, profile_source: null, months: null });
					latest.current.onChange();
				},
				setProblems: (byLine) => {
					(t as TabulatorT).getRows().forEach((r: RowComponent, i: number) => {
						const problems = byLine.get(i) ?? [];
						const had = (r.getData() as GridRow).problems;
						if (problems.length > 0 || had.length > 0)
							void r.update({ problems });
					});
				},
			};
		})();
		return () => {
			dead = true;
			document.removeEventListener('focusin', refocus);
			handle.current = null;
			t?.destroy();
			table.current = null;
		};
	}, [generation, readOnly]);

	return (
		<>
			<datalist id="bursar-account-codes">
				{[...accounts.values()].filter((a) => a.active).map((a) => <option key={a.code} value={a.code}>{a.name}</option>)}
			</datalist>
			<datalist id="bursar-drivers">
				{['fixed', 'funding', 'pupils', 'pupils_current', 'places', 'teacher_pay', 'support_pay', 'services', 'inflation:cpi']
					.map((d) => <option key={d} value={d} />)}
			</datalist>
			<div ref={el} class="bursar-grid" aria-label="Budget lines" aria-busy={built === key ? undefined : 'true'} />
		</>
	);
}
