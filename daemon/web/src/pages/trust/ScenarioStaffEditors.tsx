// ScenarioStaffEditors.tsx - the staffing parts of a scenario the finance
// director edits in its overrides form (issue 16): management actions on posts
// (a post ends from a date, changes FTE from a date, or a new post starts, with
// its reference, title, role, code, scale, point, FTE and pension) and dated
// changes of the employer pension rates (TPS, or an entity's LGPS, from a
// month). Rows as typed; the form turns them into the API's members and back
// (postActionsOf/rateChangesOf) and puts the API's errors on their inputs by
// id (ov-post-<i>-<member>, ov-rate-<i>-<member>). FTE and rates are read
// exactly by components/pounds. The live posts never change: the API applies
// the actions to the scenario's runs only.
import { hundredthsToDecimal } from '../../components/hundredths';
import { bpToInput, parseHundredths, parsePercentBp } from '../../components/pounds';
import { ROLES } from '../school/staffApi';

export interface PostActionRow {
	type: 'post_end' | 'post_fte' | 'post_start';
	entity: string; post: string; from: string; note: string; fte: string;
	/* post_start: the new post */
	title: string; role: string; code: string; scale: string; point: string; pension: string;
}
export interface RateChangeRow { scheme: 'tps' | 'lgps'; entity: string; from: string; rate: string }

/* The API's shapes (ISSUE16_CONTRACT section 5), as the form sends them. */
export type PostAction =
	| { type: 'post_end'; entity: string; post: string; from: string; note: string }
	| { type: 'post_fte'; entity: string; post: string; from: string; fte_h: number; note: string }
	| { type: 'post_start'; entity: string; from: string; note: string; post: Record<string, unknown> };
export interface RateChange { scheme: 'tps' | 'lgps'; entity?: string; from: string; rate_bp: number }

type FieldErr = { field: string; message: string };
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-\d{2}$/;

export const POST_MEMBERS: Record<string, keyof PostActionRow> = {
	type: 'type', entity: 'entity', post: 'post', from: 'from', note: 'note', fte_h: 'fte',
	title: 'title', role: 'role', account_code: 'code', scale: 'scale', point: 'point', pension: 'pension', reference: 'post',
};
export const RATE_MEMBERS: Record<string, keyof RateChangeRow> = { scheme: 'scheme', entity: 'entity', from: 'from', rate_bp: 'rate' };

export function isPostAction(a: { type: string }): boolean {
	return a.type === 'post_end' || a.type === 'post_fte' || a.type === 'post_start';
}

export function postRowOf(a: PostAction): PostActionRow {
	const blank = { fte: '', title: '', role: 'teacher', code: 'E01', scale: '', point: '', pension: 'tps', post: '' };
	if (a.type === 'post_start') {
		const p = a.post as Record<string, string | number | null>;
		return { ...blank, type: a.type, entity: a.entity, from: a.from, note: a.note, post: String(p.reference ?? ''),
			title: String(p.title ?? ''), role: String(p.role ?? 'teacher'), code: String(p.account_code ?? ''), scale: String(p.scale ?? ''),
			point: String(p.point ?? ''), pension: String(p.pension ?? 'tps'), fte: typeof p.fte_h === 'number' ? hundredthsToDecimal(p.fte_h) : '' };
	}
	return { ...blank, type: a.type, entity: a.entity, post: a.post, from: a.from, note: a.note,
		fte: a.type === 'post_fte' ? hundredthsToDecimal(a.fte_h) : '' };
}

export function rateRowOf(r: RateChange): RateChangeRow {
	return { scheme: r.scheme, entity: r.entity ?? '', from: r.from, rate: bpToInput(r.rate_bp) };
}

/* "2027-01-15" -> "2026-27": the academic year a date falls in (September to August). */
function academicYear(date: string): string {
	const y = Number(date.slice(0, 4));
	const start = Number(date.slice(5, 7)) >= 9 ? y : y - 1;
	return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

/* The rows as the API's actions, with at(i) the pointer base of row i; the
 * problems of rows that are not right as the page's own pointers. */
export function postActionsOf(rows: PostActionRow[], base: number, local: FieldErr[]): PostAction[] {
	const out: PostAction[] = [];
	rows.forEach((r, i) => {
		const at = (m: string) => `/actions/${base + i}/${m}`;
		const from = r.from.trim();
		if (!DATE.test(from))
			local.push({ field: at('from'), message: 'Enter the first day like 2027-09-01' });
		if (r.note.trim() === '')
			local.push({ field: at('note'), message: 'Say what the action is' });
		if (r.post.trim() === '')
			local.push({ field: at('post'), message: r.type === 'post_start' ? 'Give the new post a reference, like T-NEW1' : 'Enter the post’s reference, like T-012' });
		const fte = parseHundredths(r.fte, 'the FTE');
		if ((r.type === 'post_fte' || r.type === 'post_start') && !fte.ok)
			local.push({ field: at('fte_h'), message: fte.message });
		if (r.type === 'post_start' && r.title.trim() === '')
			local.push({ field: at('title'), message: 'Enter the new post’s title' });
		if (r.type === 'post_start' && r.scale.trim() === '')
			local.push({ field: at('scale'), message: 'Enter the pay scale, like teachers_main_inner_london' });
		if (r.type === 'post_start' && r.point.trim() === '')
			local.push({ field: at('point'), message: 'Enter the point, like M1' });
		const common = { entity: r.entity, from, note: r.note.trim() };
		if (r.type === 'post_end')
			out.push({ type: 'post_end', ...common, post: r.post.trim() });
		else if (r.type === 'post_fte')
			out.push({ type: 'post_fte', ...common, post: r.post.trim(), fte_h: fte.ok ? fte.value : 0 });
		else
			out.push({ type: 'post_start', ...common, post: {
				reference: r.post.trim(), title: r.title.trim(), role: r.role, account_code: r.code.trim(), scale: r.scale.trim(),
				point: r.point.trim(), point_year: DATE.test(from) ? academicYear(from) : '', fte_h: fte.ok ? fte.value : 0,
				pension: r.pension, vacant: true, starts_on: from,
			} });
	});
	return out;
}

export function rateChangesOf(rows: RateChangeRow[], local: FieldErr[]): RateChange[] {
	return rows.map((r, i) => {
		const at = (m: string) => `/assumptions/staff_rate_changes/${i}/${m}`;
		if (!MONTH.test(r.from.trim()))
			local.push({ field: at('from'), message: 'Enter the month like 2027-04' });
		const p = parsePercentBp(r.rate, 'the rate');
		if (!p.ok)
			local.push({ field: at('rate_bp'), message: p.message.replace('like 1,234.56', 'like 30.68') });
		return { scheme: r.scheme, ...(r.scheme === 'lgps' ? { entity: r.entity } : {}), from: r.from.trim(), rate_bp: p.ok ? p.value : 0 };
	});
}

type Opt = { value: string; text: string };
interface CellProps { id: string; label: string; err?: string | undefined }

function In({ id, label, err, value, set, width, hint }: CellProps & { value: string; set: (v: string) => void; width: string; hint?: string }) {
	return (
		<div class={`govuk-form-group${err ? ' govuk-form-group--error' : ''}`}>
			<label class="govuk-label" for={id}>{label}</label>
			{hint && <div class="govuk-hint" id={`${id}-hint`}>{hint}</div>}
			{err && <p class="govuk-error-message" id={`${id}-error`}><span class="govuk-visually-hidden">Error:</span> {err}</p>}
			<input class={`govuk-input ${width}${err ? ' govuk-input--error' : ''}`} id={id} type="text" value={value} spellcheck={false}
				aria-describedby={[hint ? `${id}-hint` : '', err ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined}
				onInput={(e) => set((e.target as HTMLInputElement).value)} />
		</div>
	);
}

function Sel({ id, label, err, value, set, options }: CellProps & { value: string; set: (v: string) => void; options: Opt[] }) {
	return (
		<div class={`govuk-form-group${err ? ' govuk-form-group--error' : ''}`}>
			<label class="govuk-label" for={id}>{label}</label>
			{err && <p class="govuk-error-message" id={`${id}-error`}><span class="govuk-visually-hidden">Error:</span> {err}</p>}
			<select class={`govuk-select${err ? ' govuk-select--error' : ''}`} id={id} value={value}
				aria-describedby={err ? `${id}-error` : undefined} onChange={(e) => set((e.target as HTMLSelectElement).value)}>
				{options.map((o) => <option key={o.value} value={o.value}>{o.text}</option>)}
			</select>
		</div>
	);
}

const TYPES: Opt[] = [
	{ value: 'post_end', text: 'A post ends' }, { value: 'post_fte', text: 'A post’s FTE changes' }, { value: 'post_start', text: 'A new post starts' },
];

export function PostActionsEditor({ rows, setRows, entities, errorAt }: {
	rows: PostActionRow[]; setRows: (r: PostActionRow[]) => void; entities: Opt[]; errorAt: (id: string) => string | undefined;
}) {
	const set = (i: number, k: keyof PostActionRow, v: string) => setRows(rows.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
	return (
		<>
			<h3 class="govuk-heading-s" id="ov-post-title">Actions on posts</h3>
			<p class="govuk-body" id="ov-post-hint">A post of a school planning by post ends (the day before the date), changes FTE, or a new one starts
				(costed as a vacancy from that date). Only this scenario’s runs see them; the school’s posts do not change.</p>
			{rows.length === 0 && <p class="govuk-body">None.</p>}
			<ol class="govuk-list" id="ov-post-actions">
				{rows.map((r, i) => {
					const id = (k: string) => `ov-post-${i}-${k}`;
					const p = (k: keyof PostActionRow, label: string, width = 'govuk-input--width-10', hint?: string) =>
						<In id={id(k)} label={`${label}`} err={errorAt(id(k))} value={r[k]} set={(v) => set(i, k, v)} width={width} hint={hint} />;
					const role = ROLES.find((x) => x.value === r.role) ?? ROLES[0];
					return (
						<li key={i} class="bursar-action-row">
							<fieldset class="govuk-fieldset" aria-describedby="ov-post-hint">
								<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Post action {i + 1}</legend>
								<div class="bursar-fields">
									<Sel id={id('type')} label="What happens" err={errorAt(id('type'))} value={r.type} options={TYPES}
										set={(v) => set(i, 'type', v)} />
									<Sel id={id('entity')} label="School" err={errorAt(id('entity'))} value={r.entity} options={entities}
										set={(v) => set(i, 'entity', v)} />
									{p('post', r.type === 'post_start' ? 'New post’s reference' : 'Post reference', 'govuk-input--width-10')}
									{p('from', 'From', 'govuk-input--width-10', 'like 2027-09-01')}
									{r.type !== 'post_end' && p('fte', 'FTE', 'govuk-input--width-4', 'like 0.60')}
								</div>
								{r.type === 'post_start' && (
									<div class="bursar-fields">
										{p('title', 'Title', 'govuk-input--width-20')}
										<Sel id={id('role')} label="Role" err={errorAt(id('role'))} value={r.role}
											options={ROLES.map((x) => ({ value: x.value, text: x.text }))} set={(v) => set(i, 'role', v)} />
										<Sel id={id('code')} label="Account code" err={errorAt(id('code'))} value={r.code}
											options={(role?.codes ?? []).map((c) => ({ value: c, text: c }))} set={(v) => set(i, 'code', v)} />
										{p('scale', 'Pay scale', 'govuk-input--width-20')}
										{p('point', 'Point', 'govuk-input--width-4')}
										<Sel id={id('pension')} label="Pension" err={errorAt(id('pension'))} value={r.pension}
											options={[{ value: 'tps', text: 'TPS' }, { value: 'lgps', text: 'LGPS' }, { value: 'none', text: 'None' }]}
											set={(v) => set(i, 'pension', v)} />
									</div>
								)}
								{p('note', 'What it is', 'govuk-input--width-30')}
								<button type="button" class="govuk-button govuk-button--secondary"
									onClick={() => setRows(rows.filter((_, j) => j !== i))}>Remove<span class="govuk-visually-hidden"> post action {i + 1}</span></button>
							</fieldset>
						</li>
					);
				})}
			</ol>
			<button type="button" class="govuk-button govuk-button--secondary"
				onClick={() => setRows([...rows, { type: 'post_end', entity: entities[0]?.value ?? 'central', post: '', from: '', note: '', fte: '',
					title: '', role: 'teacher', code: 'E01', scale: '', point: '', pension: 'tps' }])}>Add a post action</button>
		</>
	);
}

export function RateChangesEditor({ rows, setRows, entities, errorAt }: {
	rows: RateChangeRow[]; setRows: (r: RateChangeRow[]) => void; entities: Opt[]; errorAt: (id: string) => string | undefined;
}) {
	const set = (i: number, k: keyof RateChangeRow, v: string) => setRows(rows.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
	return (
		<>
			<h3 class="govuk-heading-s" id="ov-rate-title">Employer pension rate changes</h3>
			<p class="govuk-body" id="ov-rate-hint">From the first day of a month, the Teachers’ Pension Scheme’s employer rate, or a school’s LGPS
				fund rate, in this scenario’s runs (a later change wins). Rates are percentages, like 30.68.</p>
			{rows.length === 0 ? <p class="govuk-body">None: the trust’s staff rates.</p> : (
				<ol class="govuk-list" id="ov-rate-changes">
					{rows.map((r, i) => {
						const id = (k: string) => `ov-rate-${i}-${k}`;
						return (
							<li key={i} class="bursar-action-row">
								<fieldset class="govuk-fieldset" aria-describedby="ov-rate-hint">
									<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Rate change {i + 1}</legend>
									<div class="bursar-fields">
										<Sel id={id('scheme')} label="Scheme" err={errorAt(id('scheme'))} value={r.scheme}
											options={[{ value: 'tps', text: 'Teachers’ Pension Scheme' }, { value: 'lgps', text: 'LGPS (a school’s fund)' }]}
											set={(v) => set(i, 'scheme', v)} />
										{r.scheme === 'lgps' && <Sel id={id('entity')} label="School" err={errorAt(id('entity'))} value={r.entity}
											options={entities} set={(v) => set(i, 'entity', v)} />}
										<In id={id('from')} label="From (month)" err={errorAt(id('from'))} value={r.from} set={(v) => set(i, 'from', v)}
											width="govuk-input--width-5" hint="like 2027-04" />
										<In id={id('rate')} label="Employer rate (%)" err={errorAt(id('rate'))} value={r.rate} set={(v) => set(i, 'rate', v)}
											width="govuk-input--width-5" />
									</div>
									<button type="button" class="govuk-button govuk-button--secondary"
										onClick={() => setRows(rows.filter((_, j) => j !== i))}>Remove<span class="govuk-visually-hidden"> rate change {i + 1}</span></button>
								</fieldset>
							</li>
						);
					})}
				</ol>
			)}
			<button type="button" class="govuk-button govuk-button--secondary"
				onClick={() => setRows([...rows, { scheme: 'tps', entity: entities[0]?.value ?? '', from: '', rate: '' }])}>Add a rate change</button>
		</>
	);
}
