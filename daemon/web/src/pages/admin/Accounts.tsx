// Accounts.tsx - the admin's page: people's accounts (GET /api/v1/users) with
// their state; create a business manager's or an auditor's account (the
// generated password is shown once, to copy then and there); disable or enable,
// lift a lock-out (PUT /api/v1/users/{id} with If-Match), give a new password
// (POST .../password, shown once); and the API tokens, which can be revoked.
import { useState } from 'preact/hooks';

import { api, must } from '../../api/client';
import { ApiError, describeError } from '../../api/problem';
import { ROLE_NAMES } from '../../api/session';
import { versionTag } from '../../api/tagged';
import type { Schemas } from '../../api/types';
import { ErrorSummary, summaryOf, type SummaryError } from '../../components/ErrorSummary';
import { errorsByField, TextField } from '../../components/FormField';
import { formatDateTime, humanise } from '../../components/format';
import { Pager, useCursor } from '../../components/Pager';
import { LoadError, Loading, Page } from '../../components/Page';
import { Table } from '../../components/Table';
import { useLoad } from '../../components/useLoad';

type User = Schemas['User'];
type Token = Schemas['Token'];

const FIELDS = { '/email': 'new-email', '/display_name': 'new-name', '/role': 'new-role-business_manager', '/schools': 'new-schools' };
const LABELS = { '/email': 'Email address', '/display_name': 'Name', '/role': 'Role', '/schools': 'Schools' };

/* A password shown once: select it to copy, and say plainly that it will not be shown again. */
function OncePassword({ who, password, onDone }: { who: string; password: string; onDone: () => void }) {
	const [copied, setCopied] = useState(false);
	const copy = async () => {
		try {
			await navigator.clipboard.writeText(password);
			setCopied(true);
		} catch {
			(document.getElementById('once-password') as HTMLInputElement | null)?.select();
		}
	};
	return (
		<div class="govuk-panel govuk-panel--confirmation bursar-once" role="alert" aria-labelledby="once-title">
			<h2 class="govuk-panel__title govuk-!-font-size-27" id="once-title">Copy this password now</h2>
			<div class="govuk-panel__body govuk-!-font-size-19">
				<p>The password for {who} is shown only this once. Give it to them in person or by another safe route.</p>
				<label class="govuk-label bursar-once__label" for="once-password">Password</label>
				<input class="govuk-input govuk-input--width-20 bursar-once__value" id="once-password" readOnly value={password}
					spellcheck={false} autocomplete="off" onFocus={(e) => (e.target as HTMLInputElement).select()} />
				<div class="govuk-button-group govuk-!-margin-top-4 govuk-!-margin-bottom-0">
					<button type="button" class="govuk-button govuk-button--inverse govuk-!-margin-bottom-0" onClick={copy}>{copied ? 'Copied' : 'Copy the password'}</button>
					<button type="button" class="govuk-button govuk-button--inverse govuk-!-margin-bottom-0" onClick={onDone}>I have copied it</button>
				</div>
			</div>
		</div>
	);
}

/* An error on one school of the list ("/schools/1") shown by the schools' field. */
function schoolError(fe: Record<string, string>): string | undefined {
	const k = Object.keys(fe).find((f) => f.startsWith('/schools/'));
	return k !== undefined ? fe[k] : undefined;
}

function CreateForm({ onCreated }: { onCreated: (u: Schemas['UserCreated']) => void }) {
	const [email, setEmail] = useState('');
	const [name, setName] = useState('');
	const [role, setRole] = useState<'business_manager' | 'auditor' | ''>('');
	const [urns, setUrns] = useState('');
	const [errors, setErrors] = useState<SummaryError[]>([]);
	const [fe, setFe] = useState<Record<string, string>>({});
	const [busy, setBusy] = useState(false);

	const submit = async (e: Event) => {
		e.preventDefault();
		const local: Record<string, string> = {};
		if (email.trim() === '')
			local['/email'] = 'Enter their email address';
		if (name.trim() === '')
			local['/display_name'] = 'Enter their name';
		if (role === '')
			local['/role'] = 'Select a role';
		const chosen = urns.split(/[,\s]+/).filter(Boolean);
		if (role === 'business_manager' && chosen.length === 0)
			local['/schools'] = 'Enter the URN of at least one school';
		if (Object.keys(local).length > 0) {
			setFe(local);
			setErrors(Object.entries(local).map(([f, text]) => ({ text, href: `#${FIELDS[f as keyof typeof FIELDS]}` })));
			return;
		}
		setBusy(true);
		try {
			const u = await must(api.POST('/api/v1/users', {
				body: { email: email.trim(), display_name: name.trim(), role: role as 'business_manager', ...(role === 'business_manager' ? { schools: chosen } : {}) },
			}));
			setErrors([]);
			setFe({});
			setEmail('');
			setName('');
			setRole('');
			setUrns('');
			onCreated(u);
		} catch (x) {
			if (x instanceof ApiError && x.fieldErrors.length > 0) {
				setFe(errorsByField(x.fieldErrors));
				setErrors(summaryOf(x.fieldErrors, FIELDS, LABELS));
			} else {
				setFe({});
				setErrors([{ text: describeError(x) }]);
			}
		} finally {
			setBusy(false);
		}
	};

	return (
		<form onSubmit={submit} noValidate aria-labelledby="create-heading" class="govuk-!-margin-bottom-9">
			<h2 class="govuk-heading-m" id="create-heading">Add an account</h2>
			<ErrorSummary errors={errors} />
			<TextField id="new-email" label="Email address" type="email" autocomplete="off" value={email} onInput={setEmail} error={fe['/email']} width="govuk-input--width-30" />
			<TextField id="new-name" label="Name" hint="As the audit log will show it." value={name} onInput={setName} error={fe['/display_name']} width="govuk-input--width-30" />
			<div class={`govuk-form-group${fe['/role'] ? ' govuk-form-group--error' : ''}`}>
				<fieldset class="govuk-fieldset" aria-describedby={fe['/role'] ? 'new-role-error' : 'new-role-hint'}>
					<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Role</legend>
					<div id="new-role-hint" class="govuk-hint">Finance directors' and administrators' accounts are made on the server.</div>
					{fe['/role'] && <p id="new-role-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {fe['/role']}</p>}
					<div class="govuk-radios govuk-radios--small">
						{(['business_manager', 'auditor'] as const).map((r) => (
							<div class="govuk-radios__item" key={r}>
								<input class="govuk-radios__input" id={`new-role-${r}`} name="new-role" type="radio" value={r} checked={role === r} onChange={() => setRole(r)} />
								<label class="govuk-label govuk-radios__label" for={`new-role-${r}`}>{ROLE_NAMES[r]}</label>
							</div>
						))}
					</div>
				</fieldset>
			</div>
			{role === 'business_manager' && (
				<TextField id="new-schools" label="Their schools" hint="The schools' URNs (six digits each), separated by commas."
					width="govuk-input--width-30" value={urns} onInput={setUrns} error={fe['/schools'] ?? schoolError(fe)} />
			)}
			<button type="submit" class="govuk-button" disabled={busy}>Create the account</button>
		</form>
	);
}

function Tokens() {
	const [reload, setReload] = useState(0);
	const [error, setError] = useState<string | null>(null);
	const list = useLoad(() => must(api.GET('/api/v1/tokens')), [reload]);
	const revoke = async (t: Token) => {
		if (!window.confirm(`Revoke the token "${t.label}"? Whatever uses it stops working.`))
			return;
		try {
			const r = await api.POST('/api/v1/tokens/{id}/revoke', { params: { path: { id: String(t.id) } } });
			if (!r.response.ok)
				throw ApiError.from(r.response, r.error);
			setError(null);
		} catch (x) {
			setError(describeError(x));
		}
		setReload((n) => n + 1);
	};
	return (
		<section aria-labelledby="tokens-heading">
			<h2 class="govuk-heading-m" id="tokens-heading">API tokens</h2>
			<p class="govuk-body">Tokens are for school systems and scripts; people sign in with an account.</p>
			{error && <ErrorSummary errors={[{ text: error }]} />}
			{list.loading && <Loading />}
			{list.error !== undefined && <LoadError error={list.error} />}
			{list.data && (
				<Table<Token>
					caption="API tokens"
					captionHidden
					rows={list.data.items}
					rowKey={(t) => t.id}
					columns={[
						{ header: 'Label', cell: (t) => t.label },
						{ header: 'Role', cell: (t) => humanise(t.role) },
						{ header: 'Schools', cell: (t) => t.schools.join(', ') || 'Trust-wide' },
						{ header: 'Created', cell: (t) => formatDateTime(t.created_at) },
						{ header: 'State', cell: (t) => t.revoked_at ? <strong class="govuk-tag govuk-tag--grey">Revoked</strong> : <strong class="govuk-tag govuk-tag--green">In use</strong> },
						{ header: 'Action', cell: (t) => t.revoked_at ? '–' : <button type="button" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0" onClick={() => revoke(t)}>Revoke<span class="govuk-visually-hidden"> {t.label}</span></button> },
					]}
				/>
			)}
		</section>
	);
}

export default function Accounts() {
	const cursor = useCursor();
	const [reload, setReload] = useState(0);
	const [once, setOnce] = useState<{ who: string; password: string } | null>(null);
	const [notice, setNotice] = useState<string | null>(null);
	const [error, setError] = useState<SummaryError[]>([]);
	const list = useLoad(() => must(api.GET('/api/v1/users', {
		params: { query: { limit: 100, ...(cursor.after !== undefined ? { after: cursor.after } : {}) } },
	})), [cursor.after, reload]);

	const change = async (u: User, patch: { disabled?: boolean; locked?: boolean }, what: string) => {
		try {
			await must(api.PUT('/api/v1/users/{id}', {
				params: { path: { id: String(u.id) }, header: { 'If-Match': versionTag(u.version) } },
				body: { email: u.email, display_name: u.display_name, role: u.role as 'business_manager', schools: u.schools,
					disabled: patch.disabled ?? u.disabled, locked: patch.locked ?? u.locked },
			}));
			setError([]);
			setNotice(`${u.display_name}: ${what}.`);
		} catch (x) {
			setNotice(null);
			setError([{ text: x instanceof ApiError && x.status === 412
				? `${u.display_name}'s account changed since the list was loaded; it has been reloaded, try again.`
				: describeError(x) }]);
		}
		setReload((n) => n + 1);
	};
	const reset = async (u: User) => {
		try {
			const r = await must(api.POST('/api/v1/users/{id}/password', { params: { path: { id: String(u.id) } } }));
			setError([]);
			setNotice(null);
			if (r.password)
				setOnce({ who: `${u.display_name} (${u.email})`, password: r.password });
		} catch (x) {
			setError([{ text: describeError(x) }]);
		}
		setReload((n) => n + 1);
	};
	const editable = (u: User) => u.role === 'business_manager' || u.role === 'auditor';

	return (
		<Page title="People's accounts">
			<ErrorSummary errors={error} />
			{once && <OncePassword who={once.who} password={once.password} onDone={() => setOnce(null)} />}
			{notice && (
				<div class="govuk-notification-banner govuk-notification-banner--success" role="status" aria-labelledby="notice-title">
					<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="notice-title">Done</h2></div>
					<div class="govuk-notification-banner__content"><p class="govuk-notification-banner__heading">{notice}</p></div>
				</div>
			)}
			{list.loading && list.data === undefined && <Loading />}
			{list.error !== undefined && <LoadError error={list.error} />}
			{list.data && (
				<>
					<Table<User>
						caption="Accounts"
						rows={list.data.items}
						rowKey={(u) => u.id}
						columns={[
							{ header: 'Name', cell: (u) => <>{u.display_name}<br /><span class="govuk-hint govuk-!-margin-0">{u.email}</span></> },
							{ header: 'Role', cell: (u) => ROLE_NAMES[u.role] },
							{ header: 'Schools', cell: (u) => u.schools.join(', ') || 'Trust-wide' },
							{ header: 'State', cell: (u) => u.disabled ? <strong class="govuk-tag govuk-tag--grey">Disabled</strong>
								: u.locked ? <strong class="govuk-tag govuk-tag--red">Locked</strong>
								: <strong class="govuk-tag govuk-tag--green">Active</strong> },
							{ header: 'Actions', cell: (u) => !editable(u) ? <span class="govuk-hint govuk-!-margin-0">On the server</span> : (
								<div class="govuk-button-group govuk-!-margin-bottom-0">
									<button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-1"
										onClick={() => change(u, { disabled: !u.disabled }, u.disabled ? 'enabled' : 'disabled')}>
										{u.disabled ? 'Enable' : 'Disable'}<span class="govuk-visually-hidden"> {u.email}</span>
									</button>
									{u.locked && (
										<button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-1" onClick={() => change(u, { locked: false }, 'unlocked')}>
											Unlock<span class="govuk-visually-hidden"> {u.email}</span>
										</button>
									)}
									<button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-1" onClick={() => reset(u)}>
										New password<span class="govuk-visually-hidden"> for {u.email}</span>
									</button>
								</div>
							) },
						]}
					/>
					<Pager cursor={cursor} next={list.data.next} />
				</>
			)}
			<CreateForm onCreated={(u) => {
				setNotice(null);
				if (u.password)
					setOnce({ who: `${u.display_name} (${u.email})`, password: u.password });
				cursor.reset();
				setReload((n) => n + 1);
			}} />
			<Tokens />
		</Page>
	);
}
