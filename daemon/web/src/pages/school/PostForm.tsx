// PostForm.tsx - one post added or changed (POST, or PUT with the version read
// as If-Match): reference, title, role and the account code its role allows,
// the pay scale and point (the scale's points of the year, from the API), the
// top point, the year the point is held from, FTE and paid weeks (typed with
// their decimals, read to hundredths by components/pounds: string handling
// only), the allowances in pounds, pension scheme, NI category, dates, vacant
// and the holder's name. The API checks everything again; its errors land on
// their fields (errors[] pointers such as /fte_h) and in the error summary.
// Nothing is worked out here: the post's cost is the API's answer.
import { useEffect, useState } from 'preact/hooks';

import { ApiError, describeError } from '../../api/problem';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { Checkbox, SelectField, TextField } from '../../components/FormField';
import { hundredthsToDecimal } from '../../components/hundredths';
import { parseHundredths, parsePounds, penceToInput } from '../../components/pounds';
import {
	createPost, loadPayScale, replacePost, ROLES,
	type PayScale, type PayScaleSummary, type Post, type PostWrite,
} from './staffApi';

interface Fields {
	reference: string; title: string; role: string; account_code: string; scale: string; point: string;
	top_point: string; point_year: string; fte: string; weeks: string; tlr: string; sen: string; fringe: string;
	other: string; pension: string; ni_category: string; starts_on: string; ends_on: string; vacant: boolean;
	holder_name: string; periods_taught: string;
}

/* The API's pointer of each field, and the id of its input. */
const POINTERS: Record<string, keyof Fields> = {
	'/reference': 'reference', '/title': 'title', '/role': 'role', '/account_code': 'account_code', '/scale': 'scale',
	'/point': 'point', '/top_point': 'top_point', '/point_year': 'point_year', '/fte_h': 'fte', '/paid_weeks_h': 'weeks',
	'/tlr_pence': 'tlr', '/sen_pence': 'sen', '/fringe_pence': 'fringe', '/other_allowance_pence': 'other',
	'/pension': 'pension', '/ni_category': 'ni_category', '/starts_on': 'starts_on', '/ends_on': 'ends_on',
	'/vacant': 'vacant', '/holder_name': 'holder_name', '/periods_taught': 'periods_taught',
};
const LABELS: Record<keyof Fields, string> = {
	reference: 'Reference', title: 'Title', role: 'Role', account_code: 'Account code', scale: 'Pay scale', point: 'Point',
	top_point: 'Top point', point_year: 'Point held from', fte: 'FTE', weeks: 'Paid weeks', tlr: 'TLR', sen: 'SEN allowance',
	fringe: 'Fringe allowance', other: 'Other allowances', pension: 'Pension', ni_category: 'NI category',
	starts_on: 'Starts on', ends_on: 'Ends on', vacant: 'Vacant', holder_name: 'Holder', periods_taught: 'Periods taught',
};

const id = (k: keyof Fields) => `post-${k.replace(/_/g, '-')}`;
const money = (p: number) => (p === 0 ? '' : penceToInput(p));

function fieldsOf(p: Post | null, year: string, scales: PayScaleSummary[]): Fields {
	if (p === null) {
		const teacher = scales.find((s) => s.kind === 'teacher') ?? scales[0];
		return {
			reference: '', title: '', role: 'teacher', account_code: 'E01', scale: teacher?.name ?? '', point: '', top_point: '',
			point_year: year, fte: '1.00', weeks: '', tlr: '', sen: '', fringe: '', other: '', pension: 'tps', ni_category: 'A',
			starts_on: '', ends_on: '', vacant: true, holder_name: '', periods_taught: '',
		};
	}
	return {
		reference: p.reference, title: p.title, role: p.role, account_code: p.account_code, scale: p.scale, point: p.point,
		top_point: p.top_point ?? '', point_year: p.point_year, fte: hundredthsToDecimal(p.fte_h),
		weeks: p.paid_weeks_h === null ? '' : hundredthsToDecimal(p.paid_weeks_h), tlr: money(p.tlr_pence),
		sen: money(p.sen_pence), fringe: money(p.fringe_pence), other: money(p.other_allowance_pence), pension: p.pension,
		ni_category: p.ni_category, starts_on: p.starts_on ?? '', ends_on: p.ends_on ?? '', vacant: p.vacant,
		holder_name: p.holder_name ?? '', periods_taught: p.periods_taught === null ? '' : String(p.periods_taught),
	};
}

type Errs = Partial<Record<keyof Fields, string>>;

/* The fields as the API's body, or what is wrong with the ones that are not numbers. */
function bodyOf(f: Fields): { body: PostWrite } | { errors: Errs } {
	const errors: Errs = {};
	const num = (k: keyof Fields, v: ReturnType<typeof parseHundredths>): number => {
		if (!v.ok) {
			errors[k] = v.message;
			return 0;
		}
		return v.value;
	};
	const pounds = (k: 'tlr' | 'sen' | 'fringe' | 'other') => (f[k].trim() === '' ? 0 : num(k, parsePounds(f[k], `the ${LABELS[k]}`)));
	const fte = num('fte', parseHundredths(f.fte, 'the FTE'));
	const weeks = f.weeks.trim() === '' ? null : num('weeks', parseHundredths(f.weeks, 'the paid weeks'));
	let periods: number | null = null;
	if (f.periods_taught.trim() !== '') {
		if (/^\d{1,4}$/.test(f.periods_taught.trim()))
			periods = Number(f.periods_taught.trim());
		else
			errors.periods_taught = 'Periods taught must be a whole number, like 22';
	}
	const body = {
		reference: f.reference.trim(), title: f.title.trim(), role: f.role, account_code: f.account_code, scale: f.scale,
		point: f.point, top_point: f.top_point === '' ? null : f.top_point, point_year: f.point_year.trim(), fte_h: fte,
		paid_weeks_h: weeks, tlr_pence: pounds('tlr'), sen_pence: pounds('sen'), fringe_pence: pounds('fringe'),
		other_allowance_pence: pounds('other'), pension: f.pension, ni_category: f.ni_category,
		starts_on: f.starts_on.trim() === '' ? null : f.starts_on.trim(), ends_on: f.ends_on.trim() === '' ? null : f.ends_on.trim(),
		vacant: f.vacant, holder_name: f.vacant || f.holder_name.trim() === '' ? null : f.holder_name.trim(),
		periods_taught: periods,
	} as PostWrite;
	return Object.keys(errors).length > 0 ? { errors } : { body };
}

interface Props {
	urn: string;
	year: string;
	post: Post | null;                  /* null: a new post (a vacancy to begin with) */
	scales: PayScaleSummary[];
	onSaved: (p: Post, created: boolean) => void;
	onCancel: () => void;
	onStale: () => void;
}

export function PostForm({ urn, year, post, scales, onSaved, onCancel, onStale }: Props) {
	const [f, setF] = useState<Fields>(() => fieldsOf(post, year, scales));
	const [errs, setErrs] = useState<Errs>({});
	const [summary, setSummary] = useState<SummaryError[]>([]);
	const [busy, setBusy] = useState(false);
	const [scale, setScale] = useState<PayScale | null>(null);
	const set = <K extends keyof Fields>(k: K, v: Fields[K]) => setF((x) => ({ ...x, [k]: v }));

	/* the chosen scale's points (of the year the point is held from, else any year's) */
	useEffect(() => {
		let current = true;
		if (f.scale === '') {
			setScale(null);
			return undefined;
		}
		loadPayScale(f.scale).then((s) => { if (current) setScale(s); }, () => { if (current) setScale(null); });
		return () => { current = false; };
	}, [f.scale]);
	const points = (() => {
		if (scale === null)
			return [];
		const inYear = scale.points.filter((p) => p.year === f.point_year);
		const from = inYear.length > 0 ? inYear : scale.points;
		const seen = new Map<string, number>();
		for (const p of from)
			if (!seen.has(p.point))
				seen.set(p.point, p.ord);
		return [...seen.entries()].sort((a, b) => a[1] - b[1]).map(([p]) => p);
	})();
	useEffect(() => {
		if (points.length > 0 && !points.includes(f.point))
			set('point', points[0] as string);
	}, [scale, f.point_year]);

	const role = ROLES.find((r) => r.value === f.role) ?? ROLES[0];
	const pickRole = (v: string) => {
		const r = ROLES.find((x) => x.value === v);
		setF((x) => ({
			...x, role: v,
			account_code: r && !r.codes.includes(x.account_code) ? (r.codes[0] as string) : x.account_code,
			pension: r && (v === 'teacher' || v === 'leadership') ? 'tps' : x.pension === 'tps' ? 'lgps' : x.pension,
		}));
	};

	const show = (e: Errs, extra: SummaryError[] = []) => {
		setErrs(e);
		setSummary([...(Object.entries(e) as [keyof Fields, string][])
			.map(([k, m]) => ({ text: `${LABELS[k]}: ${m}`, href: `#${id(k)}` })), ...extra]);
	};

	const save = async (ev: Event) => {
		ev.preventDefault();
		const out = bodyOf(f);
		if ('errors' in out) {
			show(out.errors);
			return;
		}
		setBusy(true);
		try {
			const saved = post === null ? await createPost(urn, out.body) : await replacePost(urn, post.id, post.version, out.body);
			onSaved(saved, post === null);
		} catch (e) {
			if (e instanceof ApiError && e.status === 412) {
				onStale();
			} else if (e instanceof ApiError && e.fieldErrors.length > 0) {
				const byField: Errs = {};
				const other: SummaryError[] = [];
				for (const x of e.fieldErrors) {
					const k = POINTERS[x.field];
					if (k === undefined)
						other.push({ text: x.message });
					else if (byField[k] === undefined)
						byField[k] = x.message;
				}
				show(byField, other);
			} else {
				show({}, [{ text: describeError(e) }]);
			}
		} finally {
			setBusy(false);
		}
	};

	const text = (k: keyof Fields, extra: { hint?: string; width?: string; inputMode?: 'decimal' | 'numeric'; prefix?: string } = {}) => (
		<TextField id={id(k)} label={LABELS[k]} value={f[k] as string} error={errs[k]} onInput={(v) => set(k, v)}
			width={extra.width ?? 'govuk-input--width-10'} {...extra} />
	);
	const heading = post === null ? 'Add a vacancy' : `Change ${post.reference}`;
	return (
		<form onSubmit={save} noValidate id="post-form" class="bursar-post-form" aria-labelledby="post-form-heading">
			<h2 class="govuk-heading-m" id="post-form-heading">{heading}</h2>
			<ErrorSummary errors={summary} />
			{text('reference', { hint: 'Unique among the school’s posts, like T-012' })}
			{text('title', { width: 'govuk-input--width-20' })}
			<SelectField id={id('role')} label={LABELS.role} value={f.role} error={errs.role} onChange={pickRole}
				options={ROLES.map((r) => ({ value: r.value, text: r.text }))} />
			<SelectField id={id('account_code')} label={LABELS.account_code} value={f.account_code} error={errs.account_code}
				hint="The budget line the post is costed on" onChange={(v) => set('account_code', v)}
				options={(role?.codes ?? []).map((c) => ({ value: c, text: c }))} />
			<SelectField id={id('scale')} label={LABELS.scale} value={f.scale} error={errs.scale}
				onChange={(v) => setF((x) => ({ ...x, scale: v, point: '', top_point: '' }))}
				options={[{ value: '', text: 'Choose a scale' }, ...scales.map((s) => ({ value: s.name, text: s.title }))]} />
			<SelectField id={id('point')} label={LABELS.point} value={f.point} error={errs.point} onChange={(v) => set('point', v)}
				options={(points.length > 0 ? points : [f.point]).map((p) => ({ value: p, text: p || 'Choose a scale first' }))} />
			<SelectField id={id('top_point')} label={LABELS.top_point} value={f.top_point} error={errs.top_point}
				hint="The point increments stop at" onChange={(v) => set('top_point', v)}
				options={[{ value: '', text: 'The scale’s top' }, ...points.map((p) => ({ value: p, text: p }))]} />
			{text('point_year', { hint: 'The academic year at whose start the point is held, like 2026-27', width: 'govuk-input--width-5' })}
			{text('fte', { hint: 'Full-time equivalent, like 0.60 (1.00 is full time)', width: 'govuk-input--width-5', inputMode: 'decimal' })}
			{text('weeks', { hint: 'Weeks paid a year, like 39.00 for term time; leave empty for all year (52.143)', width: 'govuk-input--width-5', inputMode: 'decimal' })}
			{text('tlr', { hint: 'A year, in pounds', prefix: '£', inputMode: 'decimal' })}
			{text('sen', { hint: 'A year, in pounds', prefix: '£', inputMode: 'decimal' })}
			{text('fringe', { hint: 'A year, in pounds', prefix: '£', inputMode: 'decimal' })}
			{text('other', { hint: 'A year, in pounds', prefix: '£', inputMode: 'decimal' })}
			<SelectField id={id('pension')} label={LABELS.pension} value={f.pension} error={errs.pension} onChange={(v) => set('pension', v)}
				options={[{ value: 'tps', text: 'Teachers’ Pension Scheme' }, { value: 'lgps', text: 'Local Government Pension Scheme' },
					{ value: 'none', text: 'None' }]} />
			<SelectField id={id('ni_category')} label={LABELS.ni_category} value={f.ni_category} error={errs.ni_category}
				onChange={(v) => set('ni_category', v)}
				options={[{ value: 'A', text: 'A' }, { value: 'M', text: 'M (under 21)' }, { value: 'H', text: 'H (apprentice under 25)' }]} />
			{text('starts_on', { hint: 'Like 2027-01-01; leave empty if it is already filled or budgeted from the start of the year', width: 'govuk-input--width-10' })}
			{text('ends_on', { hint: 'The last day, like 2027-08-31; leave empty for open-ended', width: 'govuk-input--width-10' })}
			{(f.role === 'teacher' || f.role === 'leadership') && text('periods_taught', { hint: 'Periods a timetable cycle, for the contact ratio', width: 'govuk-input--width-5', inputMode: 'numeric' })}
			<div class={`govuk-form-group${errs.vacant ? ' govuk-form-group--error' : ''}`}>
				<div class="govuk-checkboxes govuk-checkboxes--small">
					<Checkbox id={id('vacant')} label="Vacant (budgeted, not filled)" checked={f.vacant}
						onChange={(v) => setF((x) => ({ ...x, vacant: v, holder_name: v ? '' : x.holder_name }))} />
				</div>
			</div>
			{!f.vacant && text('holder_name', { hint: 'Personal data: shown to those who may read the school’s posts', width: 'govuk-input--width-20' })}
			<div class="govuk-button-group">
				<button type="submit" class="govuk-button" disabled={busy}>{post === null ? 'Add the post' : 'Save the post'}</button>
				<button type="button" class="govuk-button govuk-button--secondary" onClick={onCancel}>Cancel</button>
			</div>
		</form>
	);
}
