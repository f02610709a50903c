// Profiles.tsx - /trust/profiles: the trust's named monthly profiles (issue 17;
// GET /api/v1/profiles), each with its twelve weights in per cent as the API
// holds them in basis points. The finance director adds one (POST), changes its
// description or weights (PUT with If-Match: someone else's change meanwhile is
// a 412, said as such, and nothing is overwritten) and deletes one (DELETE with
// If-Match; the API refuses one an account or a budget line names: 409, its
// detail shown). Every other role that may read them sees the list only. The
// API judges the weights (each 0..10000, summing to 10000): its errors are
// shown on their fields. (A page of the budget side, with the grid's drawer
// that uses the same profiles: pages/school/LineMonths.tsx.)
import { useState } from 'preact/hooks';

import { ApiError, describeError, type FieldError } from '../../api/problem';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { SuccessBanner, TextField } from '../../components/FormField';
import { formatDateTime } from '../../components/format';
import { bpToInput } from '../../components/pounds';
import { LoadError, Loading, Page } from '../../components/Page';
import { useMe } from '../../components/session';
import { useLoad } from '../../components/useLoad';
import {
	createProfile, deleteProfile, loadProfiles, MONTHS, parseWeights, type Profile, type Unit, updateProfile, weightsText,
} from './profileApi';
import { WeightsFields } from './WeightsFields';

type Editing = { kind: 'new' } | { kind: 'edit'; profile: Profile };

function ProfileTable({ profiles, fd, onEdit, onDelete, busy }: {
	profiles: Profile[]; fd: boolean; busy: boolean;
	onEdit: (p: Profile) => void; onDelete: (p: Profile) => void;
}) {
	if (profiles.length === 0)
		return <p class="govuk-body">There are no profiles yet.</p>;
	return (
		<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby="profiles-caption">
			<table class="govuk-table" id="profiles">
				<caption class="govuk-table__caption govuk-table__caption--m" id="profiles-caption">Profiles: each month’s share of a line’s year (%)</caption>
				<thead class="govuk-table__head"><tr class="govuk-table__row">
					<th scope="col" class="govuk-table__header">Profile</th>
					{MONTHS.map((m) => <th scope="col" class="govuk-table__header govuk-table__header--numeric" key={m}><abbr title={m}>{m.slice(0, 3)}</abbr></th>)}
					{fd && <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Actions</span></th>}
				</tr></thead>
				<tbody class="govuk-table__body">
					{profiles.map((p) => (
						<tr class="govuk-table__row" key={p.name} data-profile={p.name}>
							<th scope="row" class="govuk-table__header"><code>{p.name}</code>
								{p.description && <span class="bursar-block bursar-secondary govuk-body-s govuk-!-margin-bottom-0">{p.description}</span>}</th>
							{p.weights_bp.map((w, i) => <td class="govuk-table__cell govuk-table__cell--numeric bursar-num" key={MONTHS[i]} data-bp={w}>{bpToInput(w)}</td>)}
							{fd && (
								<td class="govuk-table__cell">
									<div class="govuk-button-group govuk-!-margin-bottom-0">
										<button type="button" class="govuk-button govuk-button--secondary bursar-button--small" disabled={busy}
											onClick={() => onEdit(p)}>Change<span class="govuk-visually-hidden"> {p.name}</span></button>
										<button type="button" class="govuk-button govuk-button--warning bursar-button--small" disabled={busy}
											onClick={() => onDelete(p)}>Delete<span class="govuk-visually-hidden"> {p.name}</span></button>
									</div>
								</td>
							)}
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}

/* "/weights_bp/3" -> 3; "/weights_bp" -> -1 (the whole set: its sum) */
function weightIndex(field: string): number | null {
	const m = /^\/weights_bp(?:\/(\d+))?$/.exec(field);
	return m === null ? null : m[1] !== undefined ? Number(m[1]) : -1;
}

function ProfileForm({ editing, onDone, onCancel }: { editing: Editing; onDone: (p: Profile, message: string) => void; onCancel: () => void }) {
	const start = editing.kind === 'edit' ? editing.profile : null;
	const [name, setName] = useState(start?.name ?? '');
	const [description, setDescription] = useState(start?.description ?? '');
	const [unit, setUnit] = useState<Unit>('pct');
	const [texts, setTexts] = useState<string[]>(weightsText(start?.weights_bp, 'pct'));
	const [problems, setProblems] = useState<Map<number, string>>(new Map());
	const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
	const [summary, setSummary] = useState<SummaryError[]>([]);
	const [stale, setStale] = useState(false);
	const [busy, setBusy] = useState(false);

	const fromApi = (errs: FieldError[]) => {
		const byField: Record<string, string> = {};
		const perMonth = new Map<number, string>();
		const out: SummaryError[] = [];
		for (const e of errs) {
			const wi = weightIndex(e.field);
			if (wi !== null && wi >= 0) {
				perMonth.set(wi, e.message);
				out.push({ text: `${MONTHS[wi] ?? 'Weight'}: ${e.message}`, href: `#profile-weight-${wi}` });
			} else if (wi === -1) {
				byField.weights = e.message;
				out.push({ text: `Weights: ${e.message}`, href: '#profile-weight-0' });
			} else if (e.field === '/name' || e.field === '/description') {
				byField[e.field.slice(1)] = e.message;
				out.push({ text: `${e.field === '/name' ? 'Name' : 'Description'}: ${e.message}`, href: `#profile-${e.field.slice(1)}` });
			} else {
				out.push({ text: e.message });
			}
		}
		setProblems(perMonth);
		setFieldErrors(byField);
		setSummary(out);
	};

	const save = async () => {
		const w = parseWeights(texts, unit);
		if (!w.ok) {
			setProblems(w.problems);
			setFieldErrors({});
			setSummary([...w.problems].map(([i, m]) => ({ text: m, href: `#profile-weight-${i}` })));
			return;
		}
		setBusy(true);
		try {
			if (start === null) {
				const p = await createProfile({ name: name.trim(), description, weights_bp: w.value });
				onDone(p, `The profile ${p.name} is added.`);
			} else {
				const p = await updateProfile(start.name, start.version, { description, weights_bp: w.value });
				onDone(p, `The profile ${p.name} is saved.`);
			}
		} catch (e) {
			if (e instanceof ApiError && e.status === 412) {
				setStale(true);
				setSummary([]);
			} else if (e instanceof ApiError && e.fieldErrors.length > 0) {
				fromApi(e.fieldErrors);
			} else {
				setSummary([{ text: describeError(e) }]);
			}
		} finally {
			setBusy(false);
		}
	};

	return (
		<section class="bursar-drawer" aria-labelledby="profile-form-title" id="profile-form">
			<h2 class="govuk-heading-m" id="profile-form-title">{start === null ? 'Add a profile' : `Change the profile ${start.name}`}</h2>
			<ErrorSummary errors={summary} />
			{stale && (
				<div class="govuk-notification-banner bursar-banner--warning" role="alert" aria-labelledby="profile-stale-title">
					<div class="govuk-notification-banner__header"><h3 class="govuk-notification-banner__title" id="profile-stale-title">Not saved</h3></div>
					<div class="govuk-notification-banner__content">
						<p class="govuk-notification-banner__heading">Someone else changed this profile since you opened it.</p>
						<p class="govuk-body">Nothing you did was saved. Reload the profiles to see it as it is now.</p>
						<button type="button" class="govuk-button" onClick={onCancel}>Reload the profiles</button>
					</div>
				</div>
			)}
			{start === null
				? <TextField id="profile-name" label="Name" hint="Lower case letters, digits and underscores, starting with a letter (up to 32), like summer_term." width="govuk-input--width-20"
					value={name} onInput={setName} error={fieldErrors.name} />
				: <p class="govuk-body">Name: <code>{start.name}</code> (version {start.version}, last changed {formatDateTime(start.updated_at)})</p>}
			<TextField id="profile-description" label="Description" value={description} onInput={setDescription} error={fieldErrors.description} />
			{fieldErrors.weights && <p class="govuk-error-message" id="profile-weights-error"><span class="govuk-visually-hidden">Error:</span> {fieldErrors.weights}</p>}
			<WeightsFields id="profile-weight" legend="Weights by month" texts={texts} unit={unit} problems={problems}
				onTexts={setTexts} onUnit={(u, t) => { setUnit(u); setTexts(t); setProblems(new Map()); }} />
			<div class="govuk-button-group">
				<button type="button" class="govuk-button" disabled={busy || stale} onClick={() => { void save(); }}>
					{start === null ? 'Add the profile' : 'Save the profile'}</button>
				<button type="button" class="govuk-button govuk-button--secondary" onClick={onCancel}>Cancel</button>
			</div>
		</section>
	);
}

export default function Profiles() {
	const me = useMe();
	const fd = me.role === 'finance_director';
	const list = useLoad(() => loadProfiles(), []);
	const [editing, setEditing] = useState<Editing | null>(null);
	const [done, setDone] = useState<string | null>(null);
	const [errors, setErrors] = useState<SummaryError[]>([]);
	const [busy, setBusy] = useState(false);

	const remove = async (p: Profile) => {
		if (!window.confirm(`Delete the profile ${p.name}?`))
			return;
		setBusy(true);
		setDone(null);
		try {
			await deleteProfile(p.name, p.version);
			setErrors([]);
			setEditing(null);
			setDone(`The profile ${p.name} is deleted.`);
			list.reload();
		} catch (e) {
			setErrors([{ text: e instanceof ApiError && e.status === 412
				? `Someone else changed the profile ${p.name} since you opened this page: nothing was deleted. Reload the page to see it as it is now.`
				: `${p.name}: ${describeError(e)}` }]);
		} finally {
			setBusy(false);
		}
	};

	return (
		<Page title="Monthly profiles">
			<ErrorSummary errors={errors} />
			{done !== null && <SuccessBanner title="Done"><p class="govuk-notification-banner__heading">{done}</p></SuccessBanner>}
			<p class="govuk-body">A profile splits a budget line’s year into its twelve months, September first: the budget’s months are what
				monitoring compares the actuals with. Each account has a default profile; a line may name another, or have weights of its own.</p>
			{list.loading && list.data === undefined && <Loading />}
			{list.error !== undefined && <LoadError error={list.error} />}
			{list.data && <ProfileTable profiles={list.data} fd={fd} busy={busy}
				onEdit={(p) => { setDone(null); setErrors([]); setEditing({ kind: 'edit', profile: p }); }}
				onDelete={(p) => { void remove(p); }} />}
			{fd && editing === null && (
				<button type="button" class="govuk-button" id="profile-add" onClick={() => { setDone(null); setErrors([]); setEditing({ kind: 'new' }); }}>Add a profile</button>
			)}
			{fd && editing !== null && (
				<ProfileForm key={editing.kind === 'edit' ? `${editing.profile.name}-${editing.profile.version}` : 'new'} editing={editing}
					onCancel={() => { setEditing(null); list.reload(); }}
					onDone={(_, message) => { setEditing(null); setDone(message); list.reload(); }} />
			)}
		</Page>
	);
}
