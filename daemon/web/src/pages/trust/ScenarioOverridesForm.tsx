// ScenarioOverridesForm.tsx - the finance director edits what a scenario's runs
// use instead of the trust's live data: a finance model per school, settings
// of the finance rules (plugins), and management actions (dated changes of a
// line: rows added and removed, the amount typed in pounds and read to pence
// by components/pounds, never through a float), the post actions and the
// employer pension rate changes (issue 16, ScenarioStaffEditors.tsx). Saved with one PUT of the
// whole scenario as read (GET-modify-PUT) with its version as If-Match; a stale
// one (412) saves nothing and says so. The API checks everything again (a
// plugin's own init judges its settings); its errors[] land on their rows.
import { useState } from 'preact/hooks';

import { ApiError, describeError } from '../../api/problem';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { parsePounds, penceToInput } from '../../components/pounds';
import type { Scenario, ScenarioWrite } from './scenarioModel';
import {
	isPostAction, POST_MEMBERS, PostActionsEditor, postActionsOf, postRowOf, RATE_MEMBERS, RateChangesEditor, rateChangesOf, rateRowOf,
	type PostAction, type PostActionRow, type RateChange, type RateChangeRow,
} from './ScenarioStaffEditors';

export interface Plugin {
	name: string;
	description: string;
	settings: Record<string, string>;
}

interface SettingRow {
	plugin: string;
	key: string;
	value: string;
}

interface ActionRow {
	entity: string;
	code: string;
	from: string;
	to: string;
	amount: string;
	note: string;
}

type FieldErr = { field: string; message: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ACTION_MEMBERS: Record<string, keyof ActionRow> = {
	entity: 'entity', account_code: 'code', from: 'from', to: 'to', annual_pence: 'amount', note: 'note',
};
const ACTION_LABELS: Record<keyof ActionRow, string> = {
	entity: 'School', code: 'Account code', from: 'From', to: 'To', amount: 'Change a year (£)', note: 'What it is',
};

/* Where an error's pointer goes: the id of its input and the words before its message.
 * Actions are sent line actions first (nLine of them), then the post actions. */
function placeOf(field: string, settings: SettingRow[], nLine = Number.MAX_SAFE_INTEGER): { id?: string; label: string } {
	const p = field.split('/');
	if (p[1] === 'actions' && p[2] !== undefined && /^\d+$/.test(p[2]) && Number(p[2]) >= nLine) {
		const i = Number(p[2]) - nLine;
		const member = POST_MEMBERS[(p[3] === 'post' && p[4] !== undefined ? p[4] : p[3]) ?? ''] ?? 'post';
		return { id: `ov-post-${i}-${member}`, label: `Post action ${i + 1}` };
	}
	if (p[1] === 'assumptions' && p[2] === 'staff_rate_changes' && p[3] !== undefined) {
		const member = RATE_MEMBERS[p[4] ?? ''] ?? 'rate';
		return { id: `ov-rate-${p[3]}-${member}`, label: `Rate change ${Number(p[3]) + 1}` };
	}
	if (p[1] === 'overrides' && p[2] === 'finance_model' && p[3] !== undefined)
		return { id: `ov-fm-${p[3]}`, label: `Finance model of ${p[3]}` };
	if (p[1] === 'overrides' && p[2] === 'staff_by_post' && p[3] !== undefined)
		return { id: `ov-sbp-${p[3]}`, label: `Staff by post of ${p[3]}` };
	if (p[1] === 'settings' && p[2] !== undefined)        /* the page's own: /settings/<row>/<plugin|key> */
		return { id: `ov-ps-${p[2]}-${p[3] ?? 'key'}`, label: `Setting ${Number(p[2]) + 1}` };
	if (p[1] === 'overrides' && p[2] === 'plugin_settings' && p[3] !== undefined) {
		const i = settings.findIndex((s) => s.plugin === p[3] && (p[4] === undefined || s.key.trim() === p[4]));
		return { id: i >= 0 ? `ov-ps-${i}-value` : undefined, label: `Setting${i >= 0 ? ` ${i + 1}` : ''} (${p[3]}${p[4] ? ` ${p[4]}` : ''})` };
	}
	if (p[1] === 'actions' && p[2] !== undefined && /^\d+$/.test(p[2])) {
		const member = ACTION_MEMBERS[p[3] ?? ''] ?? 'code';
		return { id: `ov-act-${p[2]}-${member}`, label: `Action ${Number(p[2]) + 1}, ${ACTION_LABELS[member].toLowerCase()}` };
	}
	return { label: field.replace(/^\//, '') || 'Scenario' };
}

/* The scenario as a body for PUT: every member as read, overrides and actions replaced. */
function writeOf(sc: Scenario, overrides: ScenarioWrite['overrides'], actions: ScenarioWrite['actions'],
	rateChanges: RateChange[] | null = null): ScenarioWrite {
	const assumptions = { ...sc.assumptions } as Record<string, unknown>;
	if (rateChanges !== null) {
		delete assumptions.staff_rate_changes;
		if (rateChanges.length > 0)
			assumptions.staff_rate_changes = rateChanges;
	}
	return {
		name: sc.name, description: sc.description, base_year: sc.base_year, horizon: sc.horizon,
		assumptions: assumptions as ScenarioWrite['assumptions'], pupils: sc.pupils, places: sc.places, overrides, actions,
	};
}

function Input({ id, value, set, width, err, hint }: { id: string; value: string; set: (v: string) => void; width: string; err?: string | undefined; hint?: string }) {
	return (
		<>
			{hint && <div class="govuk-hint" id={`${id}-hint`}>{hint}</div>}
			{err && <p class="govuk-error-message" id={`${id}-error`}><span class="govuk-visually-hidden">Error:</span> {err}</p>}
			<input class={`govuk-input ${width}${err ? ' govuk-input--error' : ''}`} id={id} type="text" value={value} spellcheck={false}
				aria-describedby={[hint ? `${id}-hint` : '', err ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined}
				onInput={(e) => set((e.target as HTMLInputElement).value)} />
		</>
	);
}

function Select({ id, value, set, options, err }: { id: string; value: string; set: (v: string) => void; options: { value: string; text: string }[]; err?: string | undefined }) {
	return (
		<>
			{err && <p class="govuk-error-message" id={`${id}-error`}><span class="govuk-visually-hidden">Error:</span> {err}</p>}
			<select class={`govuk-select${err ? ' govuk-select--error' : ''}`} id={id} value={value}
				aria-describedby={err ? `${id}-error` : undefined} onChange={(e) => set((e.target as HTMLSelectElement).value)}>
				{options.map((o) => <option key={o.value} value={o.value}>{o.text}</option>)}
			</select>
		</>
	);
}

/* A form group whose label shows `shown` after `hidden` ("Action 2: " + "From"), for screen readers. */
function field(id: string, hidden: string, shown: string, control: preact.ComponentChildren, err?: string) {
	return (
		<div class={`govuk-form-group${err ? ' govuk-form-group--error' : ''}`}>
			<label class="govuk-label" for={id}><span class="govuk-visually-hidden">{hidden}</span>{shown}</label>
			{control}
		</div>
	);
}

interface Props {
	sc: Scenario;
	schools: { urn: string; name: string; finance_model: string; staff_by_post?: boolean }[];
	plugins: Plugin[];
	onSave: (body: ScenarioWrite) => Promise<void>;
	onCancel: () => void;
}

export function ScenarioOverridesForm({ sc, schools, plugins, onSave, onCancel }: Props) {
	const [fm, setFm] = useState<Record<string, string>>({ ...(sc.overrides.finance_model ?? {}) });
	/* staff planned by post in the runs: '' the school's own flag, 'yes' or 'no' over it */
	const [sbp, setSbp] = useState<Record<string, string>>(Object.fromEntries(Object.entries(sc.overrides.staff_by_post ?? {})
		.map(([urn, on]) => [urn, on ? 'yes' : 'no'])));
	const [settings, setSettings] = useState<SettingRow[]>(Object.entries(sc.overrides.plugin_settings ?? {})
		.flatMap(([plugin, kv]) => Object.entries(kv).map(([key, value]) => ({ plugin, key, value }))));
	/* line actions first, then the post actions (as they are sent back) */
	const [actions, setActions] = useState<ActionRow[]>(sc.actions.flatMap((a) => (a.type === 'line' ? [{
		entity: a.entity, code: a.account_code, from: a.from, to: a.to ?? '', amount: penceToInput(a.annual_pence), note: a.note,
	}] : [])));
	const [postRows, setPostRows] = useState<PostActionRow[]>((sc.actions.filter((a) => isPostAction(a)) as unknown as PostAction[]).map(postRowOf));
	const [rateRows, setRateRows] = useState<RateChangeRow[]>((((sc.assumptions as Record<string, unknown>).staff_rate_changes ?? []) as RateChange[])
		.map(rateRowOf));
	const [errors, setErrors] = useState<FieldErr[]>([]);
	const [summary, setSummary] = useState<SummaryError[]>([]);
	const [busy, setBusy] = useState(false);
	const entities = [...schools.map((s) => ({ value: s.urn, text: s.name })), { value: 'central', text: 'Central team' }];

	const show = (errs: FieldErr[]) => {
		setErrors(errs);
		setSummary(errs.map((e) => {
			const where = placeOf(e.field, settings, actions.length);
			return { text: `${where.label}: ${e.message}`, ...(where.id !== undefined ? { href: `#${where.id}` } : {}) };
		}));
	};
	const errorAt = (id: string) => {
		const e = errors.find((x) => placeOf(x.field, settings, actions.length).id === id);
		return e?.message;
	};

	const submit = async (ev: Event) => {
		ev.preventDefault();
		const local: FieldErr[] = [];
		const finance_model: Record<string, string> = {};
		for (const [urn, model] of Object.entries(fm))
			if (model !== '')
				finance_model[urn] = model;
		const staff_by_post: Record<string, boolean> = {};
		for (const [urn, v] of Object.entries(sbp))
			if (v !== '')
				staff_by_post[urn] = v === 'yes';
		const plugin_settings: Record<string, Record<string, string>> = {};
		settings.forEach((s, i) => {
			const key = s.key.trim();
			if (s.plugin === '')
				local.push({ field: `/settings/${i}/plugin`, message: 'Choose the finance rules' });
			else if (!/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(key))
				local.push({ field: `/settings/${i}/key`, message: 'Name the setting: a letter, then letters, digits, _ or -, like retention_bp' });
			else if (plugin_settings[s.plugin]?.[key] !== undefined)
				local.push({ field: `/settings/${i}/key`, message: `${key} is given twice for ${s.plugin}` });
			else
				(plugin_settings[s.plugin] ??= {})[key] = s.value.trim();
		});
		const out: NonNullable<ScenarioWrite['actions']> = [];
		actions.forEach((a, i) => {
			const at = (m: string) => `/actions/${i}/${m}`;
			const p = parsePounds(a.amount, 'the change a year', true);
			if (!p.ok)
				local.push({ field: at('annual_pence'), message: p.message });
			if (a.code.trim() === '')
				local.push({ field: at('account_code'), message: 'Enter the account code, like E02' });
			if (!DATE.test(a.from.trim()))
				local.push({ field: at('from'), message: 'Enter the first day like 2027-09-01' });
			if (a.to.trim() !== '' && !DATE.test(a.to.trim()))
				local.push({ field: at('to'), message: 'Enter the last day like 2028-08-31, or leave it empty' });
			if (a.note.trim() === '')
				local.push({ field: at('note'), message: 'Say what the action is' });
			if (p.ok)
				out.push({ type: 'line', entity: a.entity, account_code: a.code.trim(), from: a.from.trim(),
					to: a.to.trim() === '' ? null : a.to.trim(), annual_pence: p.value, note: a.note.trim() });
		});
		const posts = postActionsOf(postRows, actions.length, local);
		const rates = rateChangesOf(rateRows, local);
		if (local.length > 0) {
			show(local);
			return;
		}
		setBusy(true);
		try {
			const { staff_by_post: _was, ...rest } = sc.overrides;
			const overrides = { ...rest, finance_model, plugin_settings, ...(Object.keys(staff_by_post).length > 0 ? { staff_by_post } : {}) };
			await onSave(writeOf(sc, overrides, [...out, ...posts] as unknown as ScenarioWrite['actions'], rates));
		} catch (err) {
			if (err instanceof ApiError && err.status === 412) {
				setErrors([]);
				setSummary([{ text: 'Someone else changed this scenario after you opened it, so nothing was saved. Reload the page to see their changes, then make yours again.' }]);
			} else if (err instanceof ApiError && err.fieldErrors.length > 0)
				show(err.fieldErrors);
			else {
				setErrors([]);
				setSummary([{ text: describeError(err) }]);
			}
		} finally {
			setBusy(false);
		}
	};

	const setSetting = (i: number, k: keyof SettingRow, v: string) => setSettings(settings.map((s, j) => (j === i ? { ...s, [k]: v } : s)));
	const setAction = (i: number, k: keyof ActionRow, v: string) => setActions(actions.map((a, j) => (j === i ? { ...a, [k]: v } : a)));
	const cellInput = (id: string, label: string, value: string, set: (v: string) => void, width: string, hint?: string) => {
		const err = errorAt(id);
		return (
			<td class="govuk-table__cell">
				<label class="govuk-visually-hidden" for={id}>{label}</label>
				{err && <p class="govuk-error-message" id={`${id}-error`}><span class="govuk-visually-hidden">Error:</span> {err}</p>}
				<input class={`govuk-input ${width}${err ? ' govuk-input--error' : ''}`} id={id} type="text" value={value} spellcheck={false}
					aria-describedby={[hint ?? '', err ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined}
					onInput={(e) => set((e.target as HTMLInputElement).value)} />
			</td>
		);
	};
	const cellSelect = (id: string, label: string, value: string, set: (v: string) => void, options: { value: string; text: string }[]) => {
		const err = errorAt(id);
		return (
			<td class="govuk-table__cell">
				<label class="govuk-visually-hidden" for={id}>{label}</label>
				{err && <p class="govuk-error-message" id={`${id}-error`}><span class="govuk-visually-hidden">Error:</span> {err}</p>}
				<select class={`govuk-select${err ? ' govuk-select--error' : ''}`} id={id} value={value}
					aria-describedby={err ? `${id}-error` : undefined}
					onChange={(e) => set((e.target as HTMLSelectElement).value)}>
					{options.map((o) => <option key={o.value} value={o.value}>{o.text}</option>)}
				</select>
			</td>
		);
	};

	return (
		<form onSubmit={submit} noValidate id="overrides-form" class="govuk-!-margin-bottom-8">
			<h2 class="govuk-heading-m">Change what this scenario’s runs use</h2>
			<p class="govuk-body">These apply to this scenario’s forecast runs only: no school’s record, no configuration and no other run changes.</p>
			<ErrorSummary errors={summary} />

			<h3 class="govuk-heading-s" id="ov-fm-title">Finance model by school</h3>
			<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby="ov-fm-title">
				<table class="govuk-table">
					<caption class="govuk-visually-hidden">Finance model by school for this scenario’s runs</caption>
					<thead class="govuk-table__head"><tr class="govuk-table__row">
						<th scope="col" class="govuk-table__header">School</th>
						<th scope="col" class="govuk-table__header">Finance model in this scenario’s runs</th></tr></thead>
					<tbody class="govuk-table__body">
						{schools.map((s) => (
							<tr class="govuk-table__row" key={s.urn}>
								<th scope="row" class="govuk-table__header">{s.name}</th>
								{cellSelect(`ov-fm-${s.urn}`, `Finance model of ${s.name}`, fm[s.urn] ?? '', (v) => setFm({ ...fm, [s.urn]: v }), [
									{ value: '', text: `Its own (${s.finance_model || 'none'})` },
									...plugins.map((p) => ({ value: p.name, text: p.name })),
								])}
							</tr>
						))}
					</tbody>
				</table>
			</div>

			<h3 class="govuk-heading-s" id="ov-sbp-title">Staff planned by post</h3>
			<p class="govuk-body" id="ov-sbp-hint">By post, a school’s staff lines in these runs are its posts costed (with the actions on posts below);
				otherwise its budget’s staff lines grown by the pay awards. The school’s own setting does not change.</p>
			<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby="ov-sbp-title">
				<table class="govuk-table" id="ov-staff-by-post">
					<caption class="govuk-visually-hidden">Staff planned by post, by school, for this scenario’s runs</caption>
					<thead class="govuk-table__head"><tr class="govuk-table__row">
						<th scope="col" class="govuk-table__header">School</th>
						<th scope="col" class="govuk-table__header">Staff in this scenario’s runs</th></tr></thead>
					<tbody class="govuk-table__body">
						{[...schools.map((x) => ({ urn: x.urn, name: x.name, own: x.staff_by_post })), { urn: 'central', name: 'Central team', own: undefined }].map((x) => (
							<tr class="govuk-table__row" key={x.urn}>
								<th scope="row" class="govuk-table__header">{x.name}</th>
								{cellSelect(`ov-sbp-${x.urn}`, `Staff of ${x.name}`, sbp[x.urn] ?? '', (v) => setSbp({ ...sbp, [x.urn]: v }), [
									{ value: '', text: x.own === undefined ? 'Its own' : `Its own (${x.own ? 'by post' : 'budget lines'})` },
									{ value: 'yes', text: 'By post' },
									{ value: 'no', text: 'Budget lines' },
								])}
							</tr>
						))}
					</tbody>
				</table>
			</div>

			<h3 class="govuk-heading-s" id="ov-ps-title">Finance rules’ settings</h3>
			<p class="govuk-body" id="ov-ps-hint">A setting here replaces the configured one for these runs; the finance rules check it as they check the configuration’s.
				{plugins.map((p) => <span key={p.name}> {p.name} is configured with {Object.entries(p.settings).map(([k, v]) => `${k} = ${v}`).join(', ') || 'its defaults'}.</span>)}</p>
			{settings.length === 0 ? <p class="govuk-body">None: every finance rule runs with its configured settings.</p> : (
				<table class="govuk-table" id="ov-settings">
					<caption class="govuk-visually-hidden">Settings of the finance rules for this scenario’s runs</caption>
					<thead class="govuk-table__head"><tr class="govuk-table__row">
						<th scope="col" class="govuk-table__header">Finance rules</th><th scope="col" class="govuk-table__header">Setting</th>
						<th scope="col" class="govuk-table__header">Value</th><th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Remove</span></th></tr></thead>
					<tbody class="govuk-table__body">
						{settings.map((s, i) => (
							<tr class="govuk-table__row" key={i}>
								{cellSelect(`ov-ps-${i}-plugin`, `Setting ${i + 1}: finance rules`, s.plugin, (v) => setSetting(i, 'plugin', v),
									[{ value: '', text: 'Choose' }, ...plugins.map((p) => ({ value: p.name, text: p.name }))])}
								{cellInput(`ov-ps-${i}-key`, `Setting ${i + 1}: name`, s.key, (v) => setSetting(i, 'key', v), 'govuk-input--width-20', 'ov-ps-hint')}
								{cellInput(`ov-ps-${i}-value`, `Setting ${i + 1}: value`, s.value, (v) => setSetting(i, 'value', v), 'govuk-input--width-10')}
								<td class="govuk-table__cell">
									<button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
										onClick={() => setSettings(settings.filter((_, j) => j !== i))}>Remove<span class="govuk-visually-hidden"> setting {i + 1}</span></button>
								</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
			<button type="button" class="govuk-button govuk-button--secondary"
				onClick={() => setSettings([...settings, { plugin: plugins[0]?.name ?? '', key: '', value: '' }])}>Add a setting</button>

			<h3 class="govuk-heading-s" id="ov-act-title">Management actions</h3>
			<p class="govuk-body" id="ov-act-hint">A dated change of a line, a year’s amount in pounds (a saving on a cost is negative, like -40,000); months count from the first day of each month the action covers. The last day may be left empty (open-ended).</p>
			{actions.length === 0 && <p class="govuk-body">None.</p>}
			<ol class="govuk-list" id="ov-actions">
				{actions.map((a, i) => {
					const id = (k: keyof ActionRow) => `ov-act-${i}-${k}`;
					const lab = `Action ${i + 1}: `;
					return (
						<li key={i} class="bursar-action-row">
							<fieldset class="govuk-fieldset" aria-describedby="ov-act-hint">
								<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Action {i + 1}</legend>
								<div class="bursar-fields">
									{field(id('entity'), lab, ACTION_LABELS.entity, <Select id={id('entity')} value={a.entity} options={entities} err={errorAt(id('entity'))}
										set={(v) => setAction(i, 'entity', v)} />, errorAt(id('entity')))}
									{field(id('code'), lab, ACTION_LABELS.code, <Input id={id('code')} value={a.code} width="govuk-input--width-4" err={errorAt(id('code'))}
										set={(v) => setAction(i, 'code', v)} />, errorAt(id('code')))}
									{field(id('from'), lab, ACTION_LABELS.from, <Input id={id('from')} value={a.from} width="govuk-input--width-10" err={errorAt(id('from'))}
										hint="like 2027-09-01" set={(v) => setAction(i, 'from', v)} />, errorAt(id('from')))}
									{field(id('to'), lab, `${ACTION_LABELS.to} (optional)`, <Input id={id('to')} value={a.to} width="govuk-input--width-10" err={errorAt(id('to'))}
										hint="empty: open-ended" set={(v) => setAction(i, 'to', v)} />, errorAt(id('to')))}
									{field(id('amount'), lab, ACTION_LABELS.amount, <Input id={id('amount')} value={a.amount} width="govuk-input--width-10" err={errorAt(id('amount'))}
										set={(v) => setAction(i, 'amount', v)} />, errorAt(id('amount')))}
								</div>
								{field(id('note'), lab, ACTION_LABELS.note, <Input id={id('note')} value={a.note} width="govuk-input--width-30" err={errorAt(id('note'))}
									set={(v) => setAction(i, 'note', v)} />, errorAt(id('note')))}
								<button type="button" class="govuk-button govuk-button--secondary"
									onClick={() => setActions(actions.filter((_, j) => j !== i))}>Remove<span class="govuk-visually-hidden"> action {i + 1}</span></button>
							</fieldset>
						</li>
					);
				})}
			</ol>
			<button type="button" class="govuk-button govuk-button--secondary"
				onClick={() => setActions([...actions, { entity: schools[0]?.urn ?? 'central', code: '', from: '', to: '', amount: '', note: '' }])}>Add an action</button>

			<PostActionsEditor rows={postRows} setRows={setPostRows} entities={entities} errorAt={errorAt} />
			<RateChangesEditor rows={rateRows} setRows={setRateRows} entities={entities} errorAt={errorAt} />

			<div class="govuk-button-group">
				<button type="submit" class="govuk-button" disabled={busy}>Save overrides and actions</button>
				<button type="button" class="govuk-button govuk-button--secondary" onClick={onCancel}>Cancel</button>
			</div>
		</form>
	);
}
