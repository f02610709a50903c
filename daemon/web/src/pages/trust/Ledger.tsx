// Ledger.tsx - the ledger mapping (issue 17; GET /api/v1/ledger/cost-centres and
// /ledger/nominals): how the trust's finance system's codes map onto bursar, so an
// export of its ledger can be imported as actuals (/trust/actuals). A cost centre
// is one entity (a school by URN, or the central team); a nominal code is one
// account of the chart (several nominal codes may map to one account). Every
// trust role reads; the finance director adds a code (POST), changes its target or
// description (PUT with the version read as If-Match) and deletes one (DELETE,
// If-Match). The API's errors land on their fields; a stale edit is said plainly.
import { useState } from 'preact/hooks';

import { api, must } from '../../api/client';
import { ApiError, describeError } from '../../api/problem';
import type { paths } from '../../api/schema';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { SelectField, SuccessBanner, TextField } from '../../components/FormField';
import { LoadError, Loading, Page } from '../../components/Page';
import { useMe } from '../../components/session';
import { useLoad } from '../../components/useLoad';

type Json<R> = R extends { content: { 'application/json': infer J } } ? J : never;
type CostCentre = Json<paths['/api/v1/ledger/cost-centres']['get']['responses'][200]>['items'][number];
type Nominal = Json<paths['/api/v1/ledger/nominals']['get']['responses'][200]>['items'][number];

/* One code of either kind, as the forms see it: its target is a URN or an account code. */
interface Row {
	code: string;
	target: string;
	description: string;
	version: number;
}

interface Kind {
	key: 'cost-centres' | 'nominals';
	title: string;                      /* "Cost centres" */
	one: string;                        /* "cost centre" */
	targetField: 'urn' | 'account_code';
	targetLabel: string;
	intro: string;
}

const KINDS: Kind[] = [
	{ key: 'cost-centres', title: 'Cost centres', one: 'cost centre', targetField: 'urn', targetLabel: 'School or central team',
		intro: 'Each cost centre of the finance system is one school, or the central team.' },
	{ key: 'nominals', title: 'Nominal codes', one: 'nominal code', targetField: 'account_code', targetLabel: 'Account',
		intro: 'Each nominal code of the finance system is one account of bursar’s chart; several nominal codes may share an account.' },
];

const PAGE = 1000;

async function listAll(kind: Kind): Promise<Row[]> {
	const out: Row[] = [];
	let cursor: string | undefined;
	for (;;) {
		if (kind.key === 'cost-centres') {
			const r = await must(api.GET('/api/v1/ledger/cost-centres', { params: { query: { limit: PAGE, ...(cursor ? { after: cursor } : {}) } } }));
			out.push(...r.items.map((c: CostCentre) => ({ code: c.code, target: c.urn, description: c.description, version: c.version })));
			cursor = r.next ?? undefined;
		} else {
			const r = await must(api.GET('/api/v1/ledger/nominals', { params: { query: { limit: PAGE, ...(cursor ? { after: cursor } : {}) } } }));
			out.push(...r.items.map((n: Nominal) => ({ code: n.code, target: n.account_code, description: n.description, version: n.version })));
			cursor = r.next ?? undefined;
		}
		if (cursor === undefined)
			break;
	}
	return out.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

async function save(kind: Kind, row: Row | null, code: string, target: string, description: string): Promise<void> {
	const body = { [kind.targetField]: target, description } as never;
	if (row === null) {
		const r = await api.POST(`/api/v1/ledger/${kind.key}` as '/api/v1/ledger/nominals', { body: { code, ...(body as object) } as never });
		if (!r.response.ok)
			throw ApiError.from(r.response, r.error);
		return;
	}
	const r = await api.PUT(`/api/v1/ledger/${kind.key}/{code}` as '/api/v1/ledger/nominals/{code}', {
		params: { path: { code: row.code }, header: { 'If-Match': `"${row.version}"` } }, body,
	} as never);
	if (!r.response.ok)
		throw ApiError.from(r.response, r.error);
}

async function remove(kind: Kind, row: Row): Promise<void> {
	const r = await api.DELETE(`/api/v1/ledger/${kind.key}/{code}` as '/api/v1/ledger/nominals/{code}', {
		params: { path: { code: row.code }, header: { 'If-Match': `"${row.version}"` } },
	} as never);
	if (!r.response.ok)
		throw ApiError.from(r.response, r.error);
}

interface FormProps {
	kind: Kind;
	row: Row | null;                    /* null: a new code */
	targets: { value: string; text: string }[];
	onSaved: (code: string) => void;
	onCancel: () => void;
}

function CodeForm({ kind, row, targets, onSaved, onCancel }: FormProps) {
	const [code, setCode] = useState(row?.code ?? '');
	const [target, setTarget] = useState(row?.target ?? '');
	const [description, setDescription] = useState(row?.description ?? '');
	const [errs, setErrs] = useState<Record<string, string>>({});
	const [summary, setSummary] = useState<SummaryError[]>([]);
	const id = (f: string) => `${kind.key}-${f.replace(/_/g, '-')}`;
	const labels: Record<string, string> = { code: 'Code', [kind.targetField]: kind.targetLabel, description: 'Description' };
	const show = (e: Record<string, string>, extra: SummaryError[] = []) => {
		setErrs(e);
		setSummary([...Object.entries(e).map(([k, m]) => ({ text: `${labels[k] ?? k}: ${m}`, href: `#${id(k)}` })), ...extra]);
	};
	const submit = async (ev: Event) => {
		ev.preventDefault();
		const e: Record<string, string> = {};
		if (row === null && code.trim() === '')
			e.code = `Enter the ${kind.one}`;
		if (target === '')
			e[kind.targetField] = `Choose the ${kind.targetLabel.toLowerCase()}`;
		if (Object.keys(e).length > 0) {
			show(e);
			return;
		}
		try {
			await save(kind, row, code.trim(), target, description.trim());
			onSaved(row?.code ?? code.trim());
		} catch (x) {
			if (x instanceof ApiError && x.status === 412)
				show({}, [{ text: `Someone else changed ${row?.code ?? code} after you opened it, so nothing was saved. Reload the page and make your change again.` }]);
			else if (x instanceof ApiError && x.fieldErrors.length > 0) {
				const byField: Record<string, string> = {};
				const other: SummaryError[] = [];
				for (const fe of x.fieldErrors) {
					const k = fe.field.replace(/^\//, '');
					if (labels[k] !== undefined && byField[k] === undefined)
						byField[k] = fe.message;
					else
						other.push({ text: fe.message });
				}
				show(byField, other);
			} else
				show({}, [{ text: describeError(x) }]);
		}
	};
	const options = [{ value: '', text: 'Choose…' }, ...targets];
	if (target !== '' && !targets.some((t) => t.value === target))
		options.push({ value: target, text: target });
	return (
		<form onSubmit={submit} noValidate id={`${kind.key}-form`}>
			<h3 class="govuk-heading-s">{row === null ? `Add a ${kind.one}` : `Change ${kind.one} ${row.code}`}</h3>
			<ErrorSummary errors={summary} />
			{row === null && <TextField id={id('code')} label="Code" hint="Letters, digits, and . _ / - (up to 20), as the finance system writes it"
				value={code} error={errs.code} onInput={setCode} width="govuk-input--width-10" />}
			<SelectField id={id(kind.targetField)} label={kind.targetLabel} value={target} error={errs[kind.targetField]}
				options={options} onChange={setTarget} />
			<TextField id={id('description')} label="Description (optional)" value={description} error={errs.description}
				onInput={setDescription} width="govuk-input--width-30" />
			<div class="govuk-button-group">
				<button type="submit" class="govuk-button">Save the {kind.one}</button>
				<button type="button" class="govuk-button govuk-button--secondary" onClick={onCancel}>Cancel</button>
			</div>
		</form>
	);
}

function KindSection({ kind, fd, targets }: { kind: Kind; fd: boolean; targets: { value: string; text: string }[] }) {
	const [reload, setReload] = useState(0);
	const list = useLoad(() => listAll(kind), [kind.key, reload]);
	const [editing, setEditing] = useState<Row | 'new' | null>(null);
	const [done, setDone] = useState<string | null>(null);
	const [errors, setErrors] = useState<SummaryError[]>([]);
	const [deleting, setDeleting] = useState<Row | null>(null);
	const name = (t: string) => targets.find((x) => x.value === t)?.text ?? t;
	const del = async (r: Row) => {
		setDone(null);
		setErrors([]);
		setDeleting(null);
		try {
			await remove(kind, r);
			setDone(`${kind.one[0]?.toUpperCase()}${kind.one.slice(1)} ${r.code} is deleted.`);
			setReload((n) => n + 1);
		} catch (x) {
			setErrors([{ text: x instanceof ApiError && x.status === 412
				? `Someone else changed ${r.code} after you opened the page, so it was not deleted. Reload the page.` : describeError(x) }]);
		}
	};
	const rows = list.data ?? [];
	return (
		<section aria-labelledby={`${kind.key}-heading`} class="govuk-!-margin-bottom-9">
			<h2 class="govuk-heading-m" id={`${kind.key}-heading`}>{kind.title}</h2>
			<p class="govuk-body">{kind.intro}</p>
			<ErrorSummary errors={errors} />
			{done && <SuccessBanner title="Done"><p class="govuk-notification-banner__heading">{done}</p></SuccessBanner>}
			{list.loading && list.data === undefined && <Loading />}
			{list.error !== undefined && <LoadError error={list.error} />}
			{list.data && (rows.length === 0 ? <p class="govuk-body">No {kind.title.toLowerCase()} yet.</p> : (
				<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby={`${kind.key}-caption`}>
					<table class="govuk-table" id={kind.key}>
						<caption class="govuk-visually-hidden" id={`${kind.key}-caption`}>{kind.title}</caption>
						<thead class="govuk-table__head"><tr class="govuk-table__row">
							<th scope="col" class="govuk-table__header">Code</th>
							<th scope="col" class="govuk-table__header">{kind.targetLabel}</th>
							<th scope="col" class="govuk-table__header">Description</th>
							{fd && <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Actions</span></th>}
						</tr></thead>
						<tbody class="govuk-table__body">
							{rows.map((r) => (
								<tr class="govuk-table__row" key={r.code} data-code={r.code}>
									<th scope="row" class="govuk-table__header">{r.code}</th>
									<td class="govuk-table__cell" data-target={r.target}>{name(r.target)}</td>
									<td class="govuk-table__cell">{r.description}</td>
									{fd && <td class="govuk-table__cell">
										<button type="button" class="govuk-button govuk-button--secondary bursar-button--small govuk-!-margin-bottom-0 govuk-!-margin-right-1"
											onClick={() => { setDone(null); setDeleting(null); setEditing(r); }}>Change<span class="govuk-visually-hidden"> {kind.one} {r.code}</span></button>
										<button type="button" class="govuk-button govuk-button--warning bursar-button--small govuk-!-margin-bottom-0"
											onClick={() => { setDone(null); setEditing(null); setDeleting(r); }}>Delete<span class="govuk-visually-hidden"> {kind.one} {r.code}</span></button>
									</td>}
								</tr>
							))}
						</tbody>
					</table>
				</div>
			))}
			{fd && deleting !== null && (
				<div class="govuk-warning-text" id={`${kind.key}-delete`}>
					<span class="govuk-warning-text__icon" aria-hidden="true">!</span>
					<div class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>
						Delete {kind.one} {deleting.code}? Ledger rows with it can no longer be imported.
						<div class="govuk-button-group govuk-!-margin-top-2">
							<button type="button" class="govuk-button govuk-button--warning" onClick={() => { void del(deleting); }}>
								Yes, delete {kind.one} {deleting.code}</button>
							<button type="button" class="govuk-button govuk-button--secondary" onClick={() => setDeleting(null)}>Cancel</button>
						</div>
					</div>
				</div>
			)}
			{fd && editing === null && <button type="button" class="govuk-button govuk-button--secondary"
				onClick={() => { setDone(null); setEditing('new'); }}>Add a {kind.one}</button>}
			{fd && editing !== null && <CodeForm key={editing === 'new' ? 'new' : editing.code} kind={kind} row={editing === 'new' ? null : editing}
				targets={targets} onCancel={() => setEditing(null)}
				onSaved={(c) => { setEditing(null); setDone(`${kind.one[0]?.toUpperCase()}${kind.one.slice(1)} ${c} is saved.`); setReload((n) => n + 1); }} />}
		</section>
	);
}

async function loadTargets() {
	const [schools, accounts] = await Promise.all([
		must(api.GET('/api/v1/schools', { params: { query: { limit: 200 } } })),
		must(api.GET('/api/v1/accounts', { params: { query: { limit: 1000 } } })),
	]);
	return {
		entities: [...schools.items.map((s) => ({ value: s.urn, text: `${s.name} (${s.urn})` })), { value: 'central', text: 'Central team' }],
		accounts: accounts.items.map((a) => ({ value: a.code, text: `${a.code} ${a.name}` })),
	};
}

export default function Ledger() {
	const me = useMe();
	const fd = me.role === 'finance_director';
	const targets = useLoad(loadTargets, []);
	return (
		<Page title="Ledger mapping">
			<p class="govuk-body">How the finance system’s cost centres and nominal codes map onto bursar’s schools and accounts: an
				export of its ledger is imported as actuals on <a class="govuk-link" href="/trust/actuals">Actuals</a> through this mapping,
				and a row whose codes are not mapped is refused.</p>
			{targets.error !== undefined && <LoadError error={targets.error} />}
			{targets.loading && targets.data === undefined && <Loading />}
			{targets.data && KINDS.map((k) => <KindSection key={k.key} kind={k} fd={fd}
				targets={k.key === 'cost-centres' ? targets.data!.entities : targets.data!.accounts} />)}
		</Page>
	);
}
