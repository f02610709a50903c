// ContractForm.tsx - create or edit a contract (a draft; once approved the API
// lets only the title, evidence and options used change and says so). Amounts
// are typed in pounds and read to pence exactly (components/pounds.ts), rates
// in per cent to basis points. As it is filled in, the form asks the API for
// the procurement check of what it holds (POST /api/v1/contracts/compliance-check,
// debounced) and shows the band, threshold, route and evidence still needed.
// Saving is POST /api/v1/contracts or PUT with If-Match; the API's errors are
// shown in the error summary and by each field.
import { useLocation } from 'preact-iso';
import { useEffect, useRef, useState } from 'preact/hooks';

import { api, must } from '../../api/client';
import { ApiError, describeError, type FieldError } from '../../api/problem';
import { mustTagged } from '../../api/tagged';
import type { Contract, Schemas } from '../../api/types';
import { ErrorSummary, summaryOf, type SummaryError } from '../../components/ErrorSummary';
import { Checkbox, errorsByField, SelectField, TextArea, TextField } from '../../components/FormField';
import { humanise } from '../../components/format';
import { LoadError, Loading, Page } from '../../components/Page';
import { bpToInput, parsePercentBp, parsePounds, penceToInput } from '../../components/pounds';
import { useLoad } from '../../components/useLoad';
import { CATEGORIES } from '../Contracts';
import { CompliancePanel, type Compliance } from './CompliancePanel';

type Body = Schemas['ContractWrite'];

interface Quote { supplier: string; amount: string; chosen: boolean; reason: string }

interface Form {
	reference: string; title: string; supplier_id: string; category: string; contract_type: string; school: string;
	route: string; procurement_started_on: string; start_date: string; end_date: string; auto_renew: boolean;
	extension_options: string; options_used: string; notice_period: string; notice_unit: string;
	annual: string; vat: string; indexation: string; indexation_index: string; indexation_pct: string;
	quotes: Quote[]; fw_name: string; fw_lot: string; fw_call_off: string;
	tender_notice: string; award_notice: string; details_notice: string; standstill: string;
	conflicts: string; debarment: string; direct_reason: string;
}

const BLANK: Form = {
	reference: '', title: '', supplier_id: '', category: 'ict', contract_type: 'goods_services', school: '',
	route: 'three_quotes', procurement_started_on: '', start_date: '', end_date: '', auto_renew: false,
	extension_options: '', options_used: '0', notice_period: '0', notice_unit: 'days',
	annual: '', vat: '0', indexation: 'none', indexation_index: 'cpi', indexation_pct: '0',
	quotes: [], fw_name: '', fw_lot: '', fw_call_off: 'direct_award',
	tender_notice: '', award_notice: '', details_notice: '', standstill: '', conflicts: '', debarment: '', direct_reason: '',
};

const ROUTES = ['direct_award', 'single_quote', 'three_quotes', 'framework', 'open_tender', 'waiver'];
const TYPES = ['goods_services', 'light_touch', 'works', 'concession', 'light_touch_concession'];

/* Where each of the API's pointers is on the page. */
function fieldId(pointer: string): string | undefined {
	const simple: Record<string, string> = {
		'/reference': 'reference', '/title': 'title', '/supplier_id': 'supplier_id', '/category': 'category',
		'/contract_type': 'contract_type', '/school': 'school', '/route': 'route', '/procurement_started_on': 'procurement_started_on',
		'/start_date': 'start_date', '/end_date': 'end_date', '/extension_options': 'extension_options', '/options_used': 'options_used',
		'/notice_period': 'notice_period', '/notice_unit': 'notice_unit', '/auto_renew': 'auto_renew',
		'/annual_value_pence': 'annual', '/vat_pence': 'vat', '/indexation': 'indexation', '/indexation_index': 'indexation_index',
		'/indexation_bp': 'indexation_pct', '/evidence/framework/name': 'fw_name', '/evidence/framework/lot': 'fw_lot',
		'/evidence/framework': 'fw_name', '/evidence/notices/tender_notice_id': 'tender_notice',
		'/evidence/notices/award_notice_id': 'award_notice', '/evidence/notices/contract_details_notice_id': 'details_notice',
		'/evidence/notices/standstill_ends_on': 'standstill', '/evidence/conflicts_checked_on': 'conflicts',
		'/evidence/debarment_checked_on': 'debarment', '/evidence/direct_award_reason': 'direct_reason', '/evidence/quotes': 'add-quote',
	};
	if (simple[pointer] !== undefined)
		return simple[pointer];
	const q = /^\/evidence\/quotes\/(\d+)\/(supplier|amount_pence|chosen|reason)$/.exec(pointer);
	if (q)
		return `quote-${q[1]}-${q[2] === 'amount_pence' ? 'amount' : q[2]}`;
	if (/^\/extension_options\/\d+$/.test(pointer))
		return 'extension_options';
	return undefined;
}

function fromContract(c: Contract): Form {
	const ev = (c.evidence ?? {}) as NonNullable<Body['evidence']>;
	return {
		reference: c.reference, title: c.title, supplier_id: String(c.supplier_id), category: c.category,
		contract_type: c.contract_type, school: c.school ?? '', route: c.route, procurement_started_on: c.procurement_started_on,
		start_date: c.start_date, end_date: c.end_date ?? '', auto_renew: c.auto_renew,
		extension_options: c.extension_options.join(', '), options_used: String(c.options_used),
		notice_period: String(c.notice_period), notice_unit: c.notice_unit,
		annual: penceToInput(c.annual_value_pence), vat: penceToInput(c.vat_pence), indexation: c.indexation,
		indexation_index: c.indexation_index ?? 'cpi', indexation_pct: bpToInput(c.indexation_bp ?? 0),
		quotes: (ev.quotes ?? []).map((q) => ({ supplier: q.supplier, amount: penceToInput(q.amount_pence), chosen: q.chosen, reason: q.reason ?? '' })),
		fw_name: ev.framework?.name ?? '', fw_lot: ev.framework?.lot ?? '', fw_call_off: ev.framework?.call_off ?? 'direct_award',
		tender_notice: ev.notices?.tender_notice_id ?? '', award_notice: ev.notices?.award_notice_id ?? '',
		details_notice: ev.notices?.contract_details_notice_id ?? '', standstill: ev.notices?.standstill_ends_on ?? '',
		conflicts: ev.conflicts_checked_on ?? '', debarment: ev.debarment_checked_on ?? '', direct_reason: ev.direct_award_reason ?? '',
	};
}

/* The body the API takes, and what the page itself could not read (by pointer). */
function toBody(f: Form): { body: Body; local: Record<string, string> } {
	const local: Record<string, string> = {};
	const money = (text: string, pointer: string, what: string) => {
		const r = parsePounds(text, what);
		if (!r.ok)
			local[pointer] = r.message;
		return r.ok ? r.value : 0;
	};
	const annual = money(f.annual, '/annual_value_pence', 'the annual value');
	const vat = f.vat.trim() === '' ? 0 : money(f.vat, '/vat_pence', 'the VAT');
	let bp = 0;
	if (f.indexation !== 'none') {
		const r = parsePercentBp(f.indexation_pct, 'the rate');
		if (r.ok)
			bp = r.value;
		else
			local['/indexation_bp'] = r.message;
	}
	const options: number[] = [];
	for (const part of f.extension_options.split(/[,\s]+/).filter(Boolean)) {
		if (!/^\d{1,3}$/.test(part)) {
			local['/extension_options'] = 'Enter each option as a number of months, separated by commas, like 12, 12';
			break;
		}
		options.push(Number(part));
	}
	const int = (text: string, pointer: string, what: string) => {
		if (!/^\d{1,5}$/.test(text.trim())) {
			local[pointer] = `Enter ${what} as a whole number`;
			return 0;
		}
		return Number(text.trim());
	};
	const evidence: NonNullable<Body['evidence']> = {};
	if (f.quotes.length > 0)
		evidence.quotes = f.quotes.map((q, i) => ({
			supplier: q.supplier.trim(), amount_pence: money(q.amount, `/evidence/quotes/${i}/amount_pence`, 'the quote'),
			chosen: q.chosen, ...(q.reason.trim() ? { reason: q.reason.trim() } : {}),
		}));
	if (f.fw_name.trim() || f.fw_lot.trim())
		evidence.framework = { name: f.fw_name.trim(), lot: f.fw_lot.trim(), call_off: f.fw_call_off as 'direct_award' | 'further_competition' };
	if (f.tender_notice || f.award_notice || f.details_notice || f.standstill)
		evidence.notices = {
			tender_notice_id: f.tender_notice.trim() || null, award_notice_id: f.award_notice.trim() || null,
			contract_details_notice_id: f.details_notice.trim() || null, standstill_ends_on: f.standstill || null,
		};
	if (f.conflicts)
		evidence.conflicts_checked_on = f.conflicts;
	if (f.debarment)
		evidence.debarment_checked_on = f.debarment;
	if (f.direct_reason.trim())
		evidence.direct_award_reason = f.direct_reason.trim();
	const body: Body = {
		reference: f.reference.trim(), title: f.title.trim(), supplier_id: Number(f.supplier_id),
		category: f.category as Body['category'], contract_type: f.contract_type as Body['contract_type'],
		school: f.school || null, route: f.route as Body['route'], procurement_started_on: f.procurement_started_on,
		evidence, start_date: f.start_date, end_date: f.end_date || null, extension_options: options,
		options_used: int(f.options_used, '/options_used', 'the options used'),
		notice_period: int(f.notice_period, '/notice_period', 'the notice period'), notice_unit: f.notice_unit as 'days' | 'months',
		auto_renew: f.auto_renew, annual_value_pence: annual, vat_pence: vat,
		indexation: f.indexation as Body['indexation'], indexation_index: f.indexation === 'index' ? f.indexation_index as 'cpi' : null,
		indexation_bp: bp,
	};
	return { body, local };
}

type Check = { state: 'idle' | 'waiting' } | { state: 'done'; c: Compliance } | { state: 'incomplete'; errors: FieldError[] } | { state: 'failed'; message: string };

/* The live check: the body, debounced, with the answer to the newest request only. */
function useLiveCheck(f: Form, contractId: number | null): { check: Check; last: Compliance | null } {
	const [check, setCheck] = useState<Check>({ state: 'idle' });
	const [last, setLast] = useState<Compliance | null>(null);
	const seq = useRef(0);
	useEffect(() => {
		const { body, local } = toBody(f);
		const need: FieldError[] = Object.entries(local).map(([field, message]) => ({ field, message }));
		if (!f.supplier_id)
			need.push({ field: '/supplier_id', message: 'Choose a supplier' });
		if (!f.procurement_started_on)
			need.push({ field: '/procurement_started_on', message: 'Enter when the procurement started' });
		if (!f.start_date)
			need.push({ field: '/start_date', message: 'Enter the start date' });
		if (need.length > 0) {
			setCheck({ state: 'incomplete', errors: need });
			return;
		}
		const mine = ++seq.current;
		setCheck({ state: 'waiting' });
		const t = setTimeout(async () => {
			/* a reference and title are not part of the check: stand-ins while they are empty */
			const b = { ...body, reference: body.reference || 'NEW', title: body.title || 'New contract' };
			try {
				const c = await must(api.POST('/api/v1/contracts/compliance-check', {
					params: { query: contractId !== null ? { contract_id: contractId } : {} }, body: b,
				}));
				if (mine === seq.current) {
					setCheck({ state: 'done', c });
					setLast(c);
				}
			} catch (e) {
				if (mine !== seq.current)
					return;
				if (e instanceof ApiError && e.status === 422)
					setCheck({ state: 'incomplete', errors: e.fieldErrors });
				else
					setCheck({ state: 'failed', message: describeError(e) });
			}
		}, 350);
		return () => clearTimeout(t);
	}, [f, contractId]);
	return { check, last };
}

function LiveCheck({ check, last }: { check: Check; last: Compliance | null }) {
	return (
		<div class="bursar-live-check" aria-busy={check.state === 'waiting'}>
			{check.state === 'incomplete' && (
				<div class="govuk-inset-text" role="status" id="check-incomplete">
					<p class="govuk-body govuk-!-margin-bottom-1">The check needs:</p>
					<ul class="govuk-list govuk-list--bullet govuk-!-margin-bottom-0">
						{check.errors.map((e) => <li key={e.field + e.message}>{fieldId(e.field) ? <a class="govuk-link" href={`#${fieldId(e.field)}`}>{e.message}</a> : `${e.field.replace(/^\//, '')}: ${e.message}`}</li>)}
					</ul>
				</div>
			)}
			{check.state === 'failed' && <p class="govuk-body" role="status">The check could not be run: {check.message}</p>}
			{check.state === 'waiting' && <p class="govuk-body govuk-hint" role="status">Checking…</p>}
			{(check.state === 'done' ? check.c : last) && (
				<CompliancePanel c={(check.state === 'done' ? check.c : last) as Compliance} heading="Procurement check, as filled in" live />
			)}
		</div>
	);
}

export default function ContractForm({ id }: { id?: string }) {
	const editing = id !== undefined;
	const { route } = useLocation();
	const pickers = useLoad(async () => {
		const [schools, suppliers, contract] = await Promise.all([
			must(api.GET('/api/v1/schools', { params: { query: { limit: 1000 } } })),
			must(api.GET('/api/v1/suppliers', { params: { query: { limit: 1000 } } })),
			editing ? mustTagged(api.GET('/api/v1/contracts/{id}', { params: { path: { id: String(id) } } })) : Promise.resolve(null),
		]);
		return {
			schools: schools.items.filter((s) => s.kind === 'school').sort((a, b) => a.name.localeCompare(b.name)),
			suppliers: [...suppliers.items].sort((a, b) => a.name.localeCompare(b.name)),
			contract,
		};
	}, [id]);
	const [f, setF] = useState<Form>(BLANK);
	const [etag, setEtag] = useState('');
	useEffect(() => {
		if (pickers.data?.contract) {
			setF(fromContract(pickers.data.contract.data));
			setEtag(pickers.data.contract.etag);
		}
	}, [pickers.data]);
	const { check, last } = useLiveCheck(f, editing ? Number(id) : null);
	const [errors, setErrors] = useState<SummaryError[]>([]);
	const [fe, setFe] = useState<Record<string, string>>({});
	const [busy, setBusy] = useState(false);

	const title = editing ? 'Edit the contract' : 'Add a contract';
	if (pickers.data === undefined)
		return <Page title={title}>{pickers.error !== undefined ? <LoadError error={pickers.error} /> : <Loading />}</Page>;
	const { schools, suppliers } = pickers.data;

	const set = <K extends keyof Form>(k: K) => (v: Form[K]) => setF((old) => ({ ...old, [k]: v }));
	const setQuote = (i: number, patch: Partial<Quote>) => setF((old) => ({
		...old,
		quotes: old.quotes.map((q, j) => j === i ? { ...q, ...patch } : (patch.chosen ? { ...q, chosen: false } : q)),
	}));
	const err = (pointer: string) => fe[pointer];

	const save = async (e: Event) => {
		e.preventDefault();
		const { body, local } = toBody(f);
		if (Object.keys(local).length > 0) {
			const list = Object.entries(local).map(([field, message]) => ({ field, message }));
			setFe(local);
			setErrors(list.map((x) => ({ text: x.message, href: `#${fieldId(x.field) ?? ''}` })));
			return;
		}
		setBusy(true);
		try {
			const saved = editing
				? await mustTagged(api.PUT('/api/v1/contracts/{id}', { params: { path: { id: String(id) }, header: { 'If-Match': etag } }, body }))
				: await mustTagged(api.POST('/api/v1/contracts', { body }));
			route(`/trust/contracts/${saved.data.id}`);
		} catch (x) {
			if (x instanceof ApiError && x.fieldErrors.length > 0) {
				setFe(errorsByField(x.fieldErrors));
				const ids: Record<string, string> = {};
				for (const fe2 of x.fieldErrors) {
					const fid = fieldId(fe2.field);
					if (fid)
						ids[fe2.field] = fid;
				}
				setErrors(summaryOf(x.fieldErrors, ids));
			} else {
				setFe({});
				setErrors([{ text: x instanceof ApiError && x.status === 412
					? 'Someone else changed this contract since you opened it. Open it again to see their change.'
					: describeError(x) }]);
			}
		} finally {
			setBusy(false);
		}
	};

	const opt = (values: string[]) => values.map((v) => ({ value: v, text: humanise(v) }));
	const showQuotes = ['direct_award', 'single_quote', 'three_quotes', 'open_tender'].includes(f.route) || f.quotes.length > 0;
	return (
		<Page title={title} caption={editing ? f.reference : 'Contracts'}>
			<p class="govuk-body"><a class="govuk-link" href={editing ? `/trust/contracts/${id}` : '/trust/contracts'}>Back</a></p>
			<ErrorSummary errors={errors} />
			<div class="govuk-grid-row bursar-with-check">
				<div class="govuk-grid-column-one-half">
					<form onSubmit={save} noValidate id="contract-form">
						<TextField id="reference" label="Reference" hint="Letters, digits, dots, slashes and dashes; unique in the register." width="govuk-input--width-20"
							value={f.reference} onInput={set('reference')} error={err('/reference')} />
						<TextField id="title" label="Title" value={f.title} onInput={set('title')} error={err('/title')} />
						<SelectField id="supplier_id" label="Supplier" value={f.supplier_id} onChange={set('supplier_id')} error={err('/supplier_id')}
							options={[{ value: '', text: 'Choose a supplier' }, ...suppliers.map((s) => ({ value: String(s.id), text: `${s.name}${s.related_party ? ' (related party)' : ''}` }))]} />
						<SelectField id="category" label="Category" value={f.category} onChange={set('category')} error={err('/category')} options={opt(CATEGORIES)} />
						<SelectField id="contract_type" label="Contract type" hint="Chooses the statutory threshold." value={f.contract_type}
							onChange={set('contract_type')} error={err('/contract_type')} options={opt(TYPES)} />
						<SelectField id="school" label="Held by" value={f.school} onChange={set('school')} error={err('/school')}
							options={[{ value: '', text: 'The trust (trust-wide)' }, ...schools.map((s) => ({ value: s.urn, text: s.name }))]} />
						<h2 class="govuk-heading-m">Term and value</h2>
						<TextField id="start_date" type="date" label="Start date" width="govuk-input--width-10" value={f.start_date} onInput={set('start_date')} error={err('/start_date')} />
						<TextField id="end_date" type="date" label="End of the initial term" hint="Leave empty only for a contract that renews itself with no end."
							width="govuk-input--width-10" value={f.end_date} onInput={set('end_date')} error={err('/end_date')} />
						<div class="govuk-form-group">
							<div class="govuk-checkboxes govuk-checkboxes--small">
								<Checkbox id="auto_renew" label="It renews itself unless notice is given" checked={f.auto_renew} onChange={set('auto_renew')} />
							</div>
						</div>
						<TextField id="extension_options" label="Extension options (months)" hint="Each option's length, in order: 12, 12 for 3+1+1 years."
							width="govuk-input--width-10" value={f.extension_options} onInput={set('extension_options')} error={err('/extension_options')} />
						<TextField id="options_used" label="Options already used" width="govuk-input--width-3" inputMode="numeric"
							value={f.options_used} onInput={set('options_used')} error={err('/options_used')} />
						<TextField id="notice_period" label="Notice period" width="govuk-input--width-4" inputMode="numeric"
							value={f.notice_period} onInput={set('notice_period')} error={err('/notice_period')} />
						<SelectField id="notice_unit" label="Notice period in" value={f.notice_unit} onChange={set('notice_unit')} error={err('/notice_unit')}
							options={[{ value: 'days', text: 'Days' }, { value: 'months', text: 'Calendar months' }]} />
						<TextField id="annual" label="Annual value, net of VAT" prefix="£" width="govuk-input--width-10" inputMode="decimal"
							value={f.annual} onInput={set('annual')} error={err('/annual_value_pence')} />
						<TextField id="vat" label="VAT a year" prefix="£" width="govuk-input--width-10" inputMode="decimal"
							value={f.vat} onInput={set('vat')} error={err('/vat_pence')} />
						<SelectField id="indexation" label="Yearly price rise" value={f.indexation} onChange={set('indexation')} error={err('/indexation')}
							options={[{ value: 'none', text: 'None' }, { value: 'fixed', text: 'A fixed rate' }, { value: 'index', text: 'An index plus a margin' }]} />
						{f.indexation === 'index' && (
							<SelectField id="indexation_index" label="Index" value={f.indexation_index} onChange={set('indexation_index')} error={err('/indexation_index')}
								options={[{ value: 'cpi', text: 'CPI' }, { value: 'rpi', text: 'RPI' }, { value: 'nlw', text: 'National Living Wage' }, { value: 'energy', text: 'Energy' }]} />
						)}
						{f.indexation !== 'none' && (
							<TextField id="indexation_pct" label={f.indexation === 'fixed' ? 'Rate a year' : 'Margin over the index'} suffix="%"
								width="govuk-input--width-4" inputMode="decimal" value={f.indexation_pct} onInput={set('indexation_pct')} error={err('/indexation_bp')} />
						)}
						<h2 class="govuk-heading-m">Procurement</h2>
						<SelectField id="route" label="Procurement route" value={f.route} onChange={set('route')} error={err('/route')} options={opt(ROUTES)} />
						<TextField id="procurement_started_on" type="date" label="Procurement started on" hint="Chooses the threshold in force; not after the start date."
							width="govuk-input--width-10" value={f.procurement_started_on} onInput={set('procurement_started_on')} error={err('/procurement_started_on')} />
						{showQuotes && (
							<fieldset class="govuk-fieldset govuk-!-margin-bottom-6">
								<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{f.route === 'open_tender' ? 'Bids' : 'Quotes'}</legend>
								{err('/evidence/quotes') && <p class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {err('/evidence/quotes')}</p>}
								{f.quotes.map((q, i) => (
									<div class="bursar-quote" key={i}>
										<TextField id={`quote-${i}-supplier`} label={`Quote ${i + 1}: supplier`} value={q.supplier}
											onInput={(v) => setQuote(i, { supplier: v })} error={err(`/evidence/quotes/${i}/supplier`)} />
										<TextField id={`quote-${i}-amount`} label={`Quote ${i + 1}: amount`} prefix="£" width="govuk-input--width-10" inputMode="decimal"
											value={q.amount} onInput={(v) => setQuote(i, { amount: v })} error={err(`/evidence/quotes/${i}/amount_pence`)} />
										<div class="govuk-form-group govuk-checkboxes govuk-checkboxes--small">
											<Checkbox id={`quote-${i}-chosen`} label={`Quote ${i + 1} was chosen`} checked={q.chosen} onChange={(v) => setQuote(i, { chosen: v })} />
										</div>
										<TextField id={`quote-${i}-reason`} label={`Quote ${i + 1}: why it was chosen`} hint="Needed when it is not the lowest."
											value={q.reason} onInput={(v) => setQuote(i, { reason: v })} error={err(`/evidence/quotes/${i}/reason`)} />
										<button type="button" class="govuk-button govuk-button--warning govuk-!-margin-bottom-4"
											onClick={() => setF((old) => ({ ...old, quotes: old.quotes.filter((_, j) => j !== i) }))}>Remove quote {i + 1}</button>
									</div>
								))}
								<button type="button" id="add-quote" class="govuk-button govuk-button--secondary"
									onClick={() => setF((old) => ({ ...old, quotes: [...old.quotes, { supplier: '', amount: '', chosen: old.quotes.length === 0, reason: '' }] }))}>
									Add a quote
								</button>
							</fieldset>
						)}
						{f.route === 'direct_award' && (
							<TextArea id="direct_reason" label="Why a direct award" value={f.direct_reason} onInput={set('direct_reason')} error={err('/evidence/direct_award_reason')} />
						)}
						{(f.route === 'framework' || f.fw_name || f.fw_lot) && (
							<>
								<TextField id="fw_name" label="Framework" value={f.fw_name} onInput={set('fw_name')} error={err('/evidence/framework/name')} />
								<TextField id="fw_lot" label="Lot" width="govuk-input--width-20" value={f.fw_lot} onInput={set('fw_lot')} error={err('/evidence/framework/lot')} />
								<SelectField id="fw_call_off" label="Call-off" value={f.fw_call_off} onChange={set('fw_call_off')} error={err('/evidence/framework/call_off')}
									options={[{ value: 'direct_award', text: 'Direct award' }, { value: 'further_competition', text: 'Further competition' }]} />
							</>
						)}
						<details class="govuk-details" open={!!(f.award_notice || f.details_notice || f.tender_notice || f.standstill || f.conflicts || f.debarment)
							|| (check.state === 'done' && check.c.above_threshold)}>
							<summary class="govuk-details__summary"><span class="govuk-details__summary-text">Notices and checks (at or above the threshold)</span></summary>
							<div class="govuk-details__text">
								<TextField id="tender_notice" label="Tender notice id" hint="Find a Tender, like 012345-2026" width="govuk-input--width-10"
									value={f.tender_notice} onInput={set('tender_notice')} error={err('/evidence/notices/tender_notice_id')} />
								<TextField id="award_notice" label="Award notice id" width="govuk-input--width-10"
									value={f.award_notice} onInput={set('award_notice')} error={err('/evidence/notices/award_notice_id')} />
								<TextField id="standstill" type="date" label="Standstill ends on" width="govuk-input--width-10"
									value={f.standstill} onInput={set('standstill')} error={err('/evidence/notices/standstill_ends_on')} />
								<TextField id="details_notice" label="Contract details notice id" width="govuk-input--width-10"
									value={f.details_notice} onInput={set('details_notice')} error={err('/evidence/notices/contract_details_notice_id')} />
								<TextField id="conflicts" type="date" label="Conflicts of interest assessed on" width="govuk-input--width-10"
									value={f.conflicts} onInput={set('conflicts')} error={err('/evidence/conflicts_checked_on')} />
								<TextField id="debarment" type="date" label="Debarment list checked on" width="govuk-input--width-10"
									value={f.debarment} onInput={set('debarment')} error={err('/evidence/debarment_checked_on')} />
							</div>
						</details>
						<button type="submit" class="govuk-button" disabled={busy}>{editing ? 'Save the contract' : 'Save as a draft'}</button>
					</form>
				</div>
				<div class="govuk-grid-column-one-half">
					<LiveCheck check={check} last={last} />
				</div>
			</div>
		</Page>
	);
}
