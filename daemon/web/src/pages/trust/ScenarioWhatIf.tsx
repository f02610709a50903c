// ScenarioWhatIf.tsx - a scenario's overrides and management actions as the API
// holds them (read by everyone who may read scenarios), and the finance
// director's "What if…": a copy of the scenario with one change, made in one
// call (POST /api/v1/scenarios with copy_from; the API copies the rest), then
// opened. A change is a management action (a dated change of a line, in pounds
// read to pence by components/pounds), a school's finance model for the copy's
// runs, or a setting of a finance rule (the API merges the last two key by key
// over the source's). Nothing live changes: the API applies them to runs only.
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';

import { api, must } from '../../api/client';
import { ApiError, describeError } from '../../api/problem';
import { ErrorSummary, summaryOf, type SummaryError } from '../../components/ErrorSummary';
import { formatDate } from '../../components/format';
import { formatBp, hundredthsToDecimal } from '../../components/hundredths';
import { Money } from '../../components/Money';
import { parsePounds } from '../../components/pounds';
import type { Plugin } from './ScenarioOverridesForm';
import type { Scenario } from './scenarioModel';
import { isPostAction, type PostAction, type RateChange } from './ScenarioStaffEditors';

type Action = Scenario['actions'][number];

export function Overrides({ sc, names, onEdit }: { sc: Scenario; names: Record<string, string>; onEdit?: (() => void) | undefined }) {
	const fm = Object.entries(sc.overrides.finance_model ?? {});
	const ps = Object.entries(sc.overrides.plugin_settings ?? {});
	const sbp = Object.entries(sc.overrides.staff_by_post ?? {});
	return (
		<section aria-labelledby="overrides-title">
			<h2 class="govuk-heading-m" id="overrides-title">For this scenario’s runs only</h2>
			{onEdit && <button type="button" class="govuk-button govuk-button--secondary" onClick={onEdit}>Change overrides and actions</button>}
			{fm.length === 0 && ps.length === 0 && sbp.length === 0 && <p class="govuk-body">Every school’s finance model, staff planning and every finance rule’s settings are the trust’s own.</p>}
			{sbp.length > 0 && (
				<table class="govuk-table" id="overrides-staff-by-post">
					<caption class="govuk-table__caption govuk-table__caption--s">Staff planned by post</caption>
					<thead class="govuk-table__head"><tr class="govuk-table__row">
						<th scope="col" class="govuk-table__header">School</th><th scope="col" class="govuk-table__header">Staff in this scenario’s runs</th></tr></thead>
					<tbody class="govuk-table__body">
						{sbp.map(([urn, on]) => <tr class="govuk-table__row" key={urn} data-urn={urn}>
							<th scope="row" class="govuk-table__header">{names[urn] ?? (urn === 'central' ? 'Central team' : urn)}</th>
							<td class="govuk-table__cell">{on ? 'By post' : 'Budget lines'}</td></tr>)}
					</tbody>
				</table>
			)}
			{fm.length > 0 && (
				<table class="govuk-table" id="overrides-finance-model">
					<caption class="govuk-table__caption govuk-table__caption--s">Finance model by school</caption>
					<thead class="govuk-table__head"><tr class="govuk-table__row">
						<th scope="col" class="govuk-table__header">School</th><th scope="col" class="govuk-table__header">Finance model</th></tr></thead>
					<tbody class="govuk-table__body">
						{fm.map(([urn, model]) => <tr class="govuk-table__row" key={urn}>
							<th scope="row" class="govuk-table__header">{names[urn] ?? urn}</th><td class="govuk-table__cell">{model}</td></tr>)}
					</tbody>
				</table>
			)}
			{ps.length > 0 && (
				<table class="govuk-table" id="overrides-plugin-settings">
					<caption class="govuk-table__caption govuk-table__caption--s">Finance rules’ settings</caption>
					<thead class="govuk-table__head"><tr class="govuk-table__row">
						<th scope="col" class="govuk-table__header">Finance rule</th><th scope="col" class="govuk-table__header">Setting</th>
						<th scope="col" class="govuk-table__header">Value</th></tr></thead>
					<tbody class="govuk-table__body">
						{ps.flatMap(([plugin, settings]) => Object.entries(settings).map(([k, v]) => (
							<tr class="govuk-table__row" key={`${plugin}/${k}`}>
								<th scope="row" class="govuk-table__header">{plugin}</th><td class="govuk-table__cell">{k}</td><td class="govuk-table__cell">{v}</td></tr>)))}
					</tbody>
				</table>
			)}
			<h3 class="govuk-heading-s">Management actions</h3>
			{sc.actions.length === 0 ? <p class="govuk-body">None.</p> : (
				<table class="govuk-table" id="actions">
					<caption class="govuk-visually-hidden">Management actions</caption>
					<thead class="govuk-table__head"><tr class="govuk-table__row">
						<th scope="col" class="govuk-table__header">Action</th><th scope="col" class="govuk-table__header">School</th>
						<th scope="col" class="govuk-table__header">Account</th><th scope="col" class="govuk-table__header">From</th>
						<th scope="col" class="govuk-table__header">To</th>
						<th scope="col" class="govuk-table__header govuk-table__header--numeric">A year</th></tr></thead>
					<tbody class="govuk-table__body">
						{sc.actions.map((a: Action, i) => isPostAction(a as { type: string }) ? <PostActionRow key={i} a={a as unknown as PostAction} names={names} /> : (
							<tr class="govuk-table__row" key={i}>
								<th scope="row" class="govuk-table__header">{a.note}</th>
								<td class="govuk-table__cell">{names[a.entity] ?? a.entity}</td>
								<td class="govuk-table__cell">{a.type === 'line' ? a.account_code : ''}</td>
								<td class="govuk-table__cell">{formatDate(a.from)}</td>
								<td class="govuk-table__cell">{a.type === 'line' ? (a.to ? formatDate(a.to) : 'Open-ended') : ''}</td>
								<td class="govuk-table__cell govuk-table__cell--numeric bursar-num">{a.type === 'line' ? <Money pence={a.annual_pence} /> : 'From posts'}</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
			<RateChanges sc={sc} names={names} />
		</section>
	);
}

/* A post action (issue 16) in the actions table: what happens to which post. */
function PostActionRow({ a, names }: { a: PostAction; names: Record<string, string> }) {
	const what = a.type === 'post_end' ? `Post ${a.post} ends (last day the day before)`
		: a.type === 'post_fte' ? `Post ${a.post} to ${hundredthsToDecimal(a.fte_h)} FTE`
			: `New post ${String(a.post.reference ?? '')} (${String(a.post.title ?? '')}, ${String(a.post.account_code ?? '')})`;
	return (
		<tr class="govuk-table__row" data-action={a.type}>
			<th scope="row" class="govuk-table__header">{a.note}</th>
			<td class="govuk-table__cell">{names[a.entity] ?? a.entity}</td>
			<td class="govuk-table__cell">{what}</td>
			<td class="govuk-table__cell">{formatDate(a.from)}</td>
			<td class="govuk-table__cell">{a.type === 'post_end' ? '' : 'Open-ended'}</td>
			<td class="govuk-table__cell govuk-table__cell--numeric bursar-num">from posts</td>
		</tr>
	);
}

/* The scenario's employer pension rate changes (issue 16), when it has any. */
export function RateChanges({ sc, names }: { sc: Scenario; names: Record<string, string> }) {
	const changes = ((sc.assumptions as Record<string, unknown>).staff_rate_changes ?? []) as RateChange[];
	if (changes.length === 0)
		return null;
	return (
		<table class="govuk-table" id="rate-changes">
			<caption class="govuk-table__caption govuk-table__caption--s">Employer pension rate changes</caption>
			<thead class="govuk-table__head"><tr class="govuk-table__row">
				<th scope="col" class="govuk-table__header">Scheme</th><th scope="col" class="govuk-table__header">From</th>
				<th scope="col" class="govuk-table__header govuk-table__header--numeric">Employer rate</th></tr></thead>
			<tbody class="govuk-table__body">
				{changes.map((c, i) => (
					<tr class="govuk-table__row" key={i}>
						<th scope="row" class="govuk-table__header">{c.scheme === 'tps' ? 'Teachers’ Pension Scheme' : `LGPS: ${c.entity ? (names[c.entity] ?? c.entity) : 'every entity'}`}</th>
						<td class="govuk-table__cell">{c.from}</td>
						<td class="govuk-table__cell govuk-table__cell--numeric bursar-num">{formatBp(c.rate_bp)}</td>
					</tr>
				))}
			</tbody>
		</table>
	);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/* the API's pointers in a copy's body to the page's own (the new action is the last one) */
const MEMBER: Record<string, string> = { account_code: '/code', annual_pence: '/amount', from: '/from', to: '/to', note: '/note', entity: '/school' };

function local(field: string): string {
	const p = field.split('/');
	if (p[1] === 'actions')
		return MEMBER[p[3] ?? ''] ?? '/code';
	if (p[1] === 'overrides' && p[2] === 'finance_model')
		return '/model';
	if (p[1] === 'overrides' && p[2] === 'plugin_settings')
		return '/value';
	return field;
}

export function WhatIf({ sc, schools, plugins, onCancel }: { sc: Scenario; schools: { urn: string; name: string }[]; plugins: Plugin[]; onCancel: () => void }) {
	const { route } = useLocation();
	const [name, setName] = useState(`${sc.name}: what if`);
	const [kind, setKind] = useState<'model' | 'action' | 'setting'>('action');
	const [urn, setUrn] = useState(schools[0]?.urn ?? '');
	const [model, setModel] = useState(plugins[0]?.name ?? '');
	const [plugin, setPlugin] = useState(plugins[0]?.name ?? '');
	const [key, setKey] = useState('');
	const [value, setValue] = useState('');
	const [code, setCode] = useState('');
	const [from, setFrom] = useState('');
	const [to, setTo] = useState('');
	const [amount, setAmount] = useState('');
	const [note, setNote] = useState('');
	const [summary, setSummary] = useState<SummaryError[]>([]);
	const [errors, setErrors] = useState<{ field: string; message: string }[]>([]);
	const [busy, setBusy] = useState(false);
	const FIELDS: Record<string, string> = { '/name': 'wi-name', '/model': 'wi-model', '/amount': 'wi-amount', '/from': 'wi-from', '/to': 'wi-to',
		'/note': 'wi-note', '/code': 'wi-code', '/school': 'wi-school', '/plugin': 'wi-plugin', '/key': 'wi-key', '/value': 'wi-value' };
	const LABELS: Record<string, string> = { '/name': 'Name of the copy', '/model': 'Finance model', '/amount': 'Change a year', '/from': 'From',
		'/to': 'To', '/note': 'What it is', '/code': 'Account code', '/school': 'School', '/plugin': 'Finance rules', '/key': 'Setting', '/value': 'Value' };
	const show = (errs: { field: string; message: string }[]) => {
		const mine = errs.map((e) => ({ field: local(e.field), message: e.message }));
		setErrors(mine);
		setSummary(summaryOf(mine, FIELDS, LABELS));
	};
	const errorOf = (f: string) => errors.find((e) => e.field === f)?.message;

	const submit = async (e: Event) => {
		e.preventDefault();
		const mine: { field: string; message: string }[] = [];
		if (name.trim() === '')
			mine.push({ field: '/name', message: 'Enter a name for the copy' });
		let body: Record<string, unknown> = { copy_from: sc.id, name: name.trim() };
		if (kind === 'model')
			body = { ...body, overrides: { finance_model: { [urn]: model } } };
		else if (kind === 'setting') {
			if (!/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(key.trim()))
				mine.push({ field: '/key', message: 'Name the setting: a letter, then letters, digits, _ or -, like retention_bp' });
			body = { ...body, overrides: { plugin_settings: { [plugin]: { [key.trim()]: value.trim() } } } };
		} else {
			const p = parsePounds(amount, 'the change a year', true);
			if (!p.ok)
				mine.push({ field: '/amount', message: p.message });
			if (code.trim() === '')
				mine.push({ field: '/code', message: 'Enter the account code, like E02' });
			if (!DATE.test(from))
				mine.push({ field: '/from', message: 'Enter the first day like 2027-09-01' });
			if (to !== '' && !DATE.test(to))
				mine.push({ field: '/to', message: 'Enter the last day like 2028-08-31, or leave it empty' });
			if (note.trim() === '')
				mine.push({ field: '/note', message: 'Say what the action is' });
			if (p.ok)
				body = { ...body, actions: [...sc.actions, { type: 'line', entity: urn, account_code: code.trim(), from, to: to === '' ? null : to, annual_pence: p.value, note: note.trim() }] };
		}
		if (mine.length > 0) {
			show(mine);
			return;
		}
		setBusy(true);
		try {
			const made = await must(api.POST('/api/v1/scenarios', { body: body as never }));
			route(`/trust/scenarios/${made.id}?created=1`);
		} catch (err) {
			if (err instanceof ApiError && err.fieldErrors.length > 0)
				show(err.fieldErrors);
			else
				setSummary([{ text: describeError(err) }]);
		} finally {
			setBusy(false);
		}
	};
	const input = (id: string, f: string, label: string, value: string, set: (v: string) => void, hint?: string, width = 'govuk-input--width-10') => (
		<div class={`govuk-form-group${errorOf(f) ? ' govuk-form-group--error' : ''}`}>
			<label class="govuk-label" for={id}>{label}</label>
			{hint && <div class="govuk-hint" id={`${id}-hint`}>{hint}</div>}
			{errorOf(f) && <p class="govuk-error-message" id={`${id}-error`}><span class="govuk-visually-hidden">Error:</span> {errorOf(f)}</p>}
			<input class={`govuk-input ${width}${errorOf(f) ? ' govuk-input--error' : ''}`} id={id} value={value}
				aria-describedby={[hint ? `${id}-hint` : '', errorOf(f) ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined}
				onInput={(e) => set((e.target as HTMLInputElement).value)} />
		</div>
	);
	const select = (id: string, f: string, label: string, v: string, set: (x: string) => void, options: { value: string; text: string }[]) => (
		<div class={`govuk-form-group${errorOf(f) ? ' govuk-form-group--error' : ''}`}>
			<label class="govuk-label" for={id}>{label}</label>
			{errorOf(f) && <p class="govuk-error-message" id={`${id}-error`}><span class="govuk-visually-hidden">Error:</span> {errorOf(f)}</p>}
			<select class={`govuk-select${errorOf(f) ? ' govuk-select--error' : ''}`} id={id} value={v}
				aria-describedby={errorOf(f) ? `${id}-error` : undefined}
				onChange={(e) => set((e.target as HTMLSelectElement).value)}>
				{options.map((o) => <option key={o.value} value={o.value}>{o.text}</option>)}
			</select>
		</div>
	);
	return (
		<form onSubmit={submit} noValidate class="govuk-!-margin-bottom-8" id="what-if">
			<h2 class="govuk-heading-m">What if…</h2>
			<p class="govuk-body">A copy of {sc.name} with one change. This scenario and the trust’s live data stay as they are.</p>
			<ErrorSummary errors={summary} />
			{input('wi-name', '/name', 'Name of the copy', name, setName, undefined, 'govuk-input--width-30')}
			<div class="govuk-form-group">
				<fieldset class="govuk-fieldset">
					<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">The change</legend>
					<div class="govuk-radios govuk-radios--small">
						<div class="govuk-radios__item">
							<input class="govuk-radios__input" id="wi-kind-action" type="radio" name="wi-kind" checked={kind === 'action'} onChange={() => setKind('action')} />
							<label class="govuk-label govuk-radios__label" for="wi-kind-action">A management action (a saving or a cost on a line, from a date)</label>
						</div>
						<div class="govuk-radios__item">
							<input class="govuk-radios__input" id="wi-kind-model" type="radio" name="wi-kind" checked={kind === 'model'} onChange={() => setKind('model')} />
							<label class="govuk-label govuk-radios__label" for="wi-kind-model">Another finance model for a school</label>
						</div>
						<div class="govuk-radios__item">
							<input class="govuk-radios__input" id="wi-kind-setting" type="radio" name="wi-kind" checked={kind === 'setting'} onChange={() => setKind('setting')} />
							<label class="govuk-label govuk-radios__label" for="wi-kind-setting">Another setting of a finance rule (like the pool’s retention)</label>
						</div>
					</div>
				</fieldset>
			</div>
			{kind !== 'setting' && select('wi-school', '/school', 'School', urn, setUrn,
				[...schools.map((x) => ({ value: x.urn, text: x.name })), ...(kind === 'action' ? [{ value: 'central', text: 'Central team' }] : [])])}
			{kind === 'model' && select('wi-model', '/model', 'Finance model', model, setModel, plugins.map((p) => ({ value: p.name, text: p.description ? `${p.name}: ${p.description}` : p.name })))}
			{kind === 'setting' && <>
				{select('wi-plugin', '/plugin', 'Finance rules', plugin, setPlugin, plugins.map((p) => ({ value: p.name, text: p.name })))}
				{input('wi-key', '/key', 'Setting', key, setKey, `Configured now: ${Object.entries(plugins.find((p) => p.name === plugin)?.settings ?? {}).map(([k, v]) => `${k} = ${v}`).join(', ') || 'the defaults'}`, 'govuk-input--width-20')}
				{input('wi-value', '/value', 'Value in the copy’s runs', value, setValue, undefined, 'govuk-input--width-10')}
			</>}
			{kind === 'action' && <>
				{input('wi-code', '/code', 'Account code', code, setCode, 'Like E02', 'govuk-input--width-5')}
				{input('wi-from', '/from', 'From', from, setFrom, 'The first day it applies, like 2027-09-01')}
				{input('wi-to', '/to', 'To (optional)', to, setTo, 'The last day; empty: open-ended')}
				{input('wi-amount', '/amount', 'Change a year (£)', amount, setAmount, 'A saving on a cost is negative, like -40,000')}
				{input('wi-note', '/note', 'What it is', note, setNote, undefined, 'govuk-input--width-30')}
			</>}
			<div class="govuk-button-group">
				<button type="submit" class="govuk-button" disabled={busy}>Make the copy</button>
				<button type="button" class="govuk-button govuk-button--secondary" onClick={onCancel}>Cancel</button>
			</div>
		</form>
	);
}
