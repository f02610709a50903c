// Staff.tsx - a school's (or the central team's) staff by post, for a year
// (issue 16; /schools/:urn/staff?year=2026-27): each post with its reference,
// title, role, code, scale and point, FTE, paid weeks, allowances, the year's
// cost the API worked out, and a tag when vacant; the totals by account code
// and the ICFP measures (GET …/staffing); a business manager (her schools) and
// the finance director add a post (a vacancy to begin with), change one, end it
// (its last day) or delete it, each with the version read as If-Match, and the
// finance director switches whether the school plans its staff by post (the
// school's PUT). The holder's name is shown only as the API gives it. Every
// figure is the API's.
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';

import { api, must } from '../../api/client';
import { ApiError, describeError } from '../../api/problem';
import type { School } from '../../api/types';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { SuccessBanner, TextField } from '../../components/FormField';
import { hundredthsToDecimal } from '../../components/hundredths';
import { formatPence, Money } from '../../components/Money';
import { LoadError, Loading, Page } from '../../components/Page';
import { useMe } from '../../components/session';
import { useLoad } from '../../components/useLoad';
import { PostForm } from './PostForm';
import { Measures } from './StaffMeasures';
import {
	deletePost, loadPayScales, loadPosts, loadStaffing, replacePost, roleName, writeOf,
	type PayScaleSummary, type Post, type Staffing,
} from './staffApi';

const h = (n: number | null | undefined) => (n === null || n === undefined || n < 0 ? '–' : hundredthsToDecimal(n));

async function loadBase(urn: string) {
	const [school, years, scales] = await Promise.all([
		must(api.GET('/api/v1/schools/{urn}', { params: { path: { urn } } })),
		must(api.GET('/api/v1/schools/{urn}/years', { params: { path: { urn } } })),
		loadPayScales(),
	]);
	return { school, years: years.items.map((y) => y.year).sort().reverse(), scales };
}

export default function Staff({ urn }: { urn: string }) {
	const base = useLoad(() => loadBase(urn), [urn]);
	const [school, setSchool] = useState<School | null>(null);
	if (base.loading && base.data === undefined)
		return <Page title="Staff"><Loading /></Page>;
	if (base.data === undefined) {
		const forbidden = base.error instanceof ApiError && base.error.status === 403;
		return <Page title="Staff">{forbidden
			? <p class="govuk-body">This school’s staff are not yours to see. <a class="govuk-link" href="/">Back to your page</a>.</p>
			: <LoadError error={base.error} />}</Page>;
	}
	const s = school ?? base.data.school;
	return <StaffYear urn={urn} school={s} years={base.data.years} scales={base.data.scales} onSchool={setSchool} />;
}

function StaffYear({ urn, school, years, scales, onSchool }: {
	urn: string; school: School; years: string[]; scales: PayScaleSummary[]; onSchool: (s: School) => void;
}) {
	const me = useMe();
	const { query, route } = useLocation();
	const year = query.year && /^\d{4}-\d{2}$/.test(query.year) ? query.year : years[0] ?? '2026-27';
	const [generation, setGeneration] = useState(0);
	const [editing, setEditing] = useState<Post | 'new' | null>(null);
	const [ending, setEnding] = useState<Post | null>(null);
	const [deleting, setDeleting] = useState<Post | null>(null);
	const [banner, setBanner] = useState<string | null>(null);
	const [stale, setStale] = useState(false);
	const data = useLoad(async () => {
		const [posts, staffing] = await Promise.all([loadPosts(urn, year), loadStaffing(urn, year)]);
		return { posts, staffing };
	}, [urn, year, generation]);
	const writer = me.role === 'finance_director' || (me.role === 'business_manager' && me.schools.some((x) => x.urn === urn));
	const reload = (message: string | null) => {
		setEditing(null);
		setEnding(null);
		setDeleting(null);
		setStale(false);
		setBanner(message);
		setGeneration((g) => g + 1);
	};
	const yearOptions = years.includes(year) ? years : [year, ...years];

	return (
		<Page title="Staff" caption={`${school.name} · URN ${school.urn}`}>
			{banner && <SuccessBanner title="Done"><p class="govuk-notification-banner__heading" id="staff-banner">{banner}</p></SuccessBanner>}
			{stale && (
				<div class="govuk-notification-banner bursar-banner--warning" role="alert" aria-labelledby="stale-title">
					<div class="govuk-notification-banner__header"><h2 class="govuk-notification-banner__title" id="stale-title">Not saved</h2></div>
					<div class="govuk-notification-banner__content">
						<p class="govuk-notification-banner__heading">Someone else changed this post since you opened it, so nothing was saved.</p>
						<button type="button" class="govuk-button" onClick={() => reload(null)}>Reload the posts</button>
					</div>
				</div>
			)}
			<p class="govuk-body">
				The school’s posts and what each costs in the year: pay (with the allowances), employer’s National Insurance and
				pension, as bursar works them out from the pay scales and the on-cost rates. A vacant post is costed as filled.
				{' '}<a class="govuk-link" href={`/schools/${urn}/budgets/${year}`}>The budget for {year}</a>.
			</p>
			<div class="govuk-form-group">
				<label class="govuk-label govuk-label--s" for="staff-year">Year</label>
				<select class="govuk-select" id="staff-year" value={year}
					onChange={(e) => route(`/schools/${urn}/staff?year=${encodeURIComponent((e.target as HTMLSelectElement).value)}`)}>
					{yearOptions.map((y) => <option key={y} value={y}>{y}</option>)}
				</select>
			</div>
			<PlanByPost school={school} fd={me.role === 'finance_director'} onSaved={(s) => { onSchool(s); reload(s.staff_by_post
				? `${s.name} now plans its staff by post: its budgets’ staff lines come from its posts.`
				: `${s.name} no longer plans its staff by post: its budgets’ staff lines are typed.`); }} />
			{data.loading && data.data === undefined && <Loading what="Loading the posts" />}
			{data.error !== undefined && <LoadError error={data.error} />}
			{data.data && (
				<>
					<Totals staffing={data.data.staffing} />
					<Measures metrics={data.data.staffing.metrics} />
					<h2 class="govuk-heading-m" id="posts-heading">Posts</h2>
					{writer && editing === null && (
						<button type="button" class="govuk-button" id="add-vacancy" onClick={() => { setBanner(null); setEditing('new'); }}>
							Add a vacancy</button>
					)}
					{editing !== null && (
						<PostForm key={editing === 'new' ? 'new' : `${editing.id}-${editing.version}`} urn={urn} year={year}
							post={editing === 'new' ? null : editing} scales={scales}
							onCancel={() => setEditing(null)} onStale={() => { setEditing(null); setStale(true); }}
							onSaved={(p, created) => reload(created ? `${p.reference} (${p.title}) is added.` : `${p.reference} is saved.`)} />
					)}
					{ending && <EndPost urn={urn} post={ending} onCancel={() => setEnding(null)} onStale={() => { setEnding(null); setStale(true); }}
						onEnded={(p) => reload(`${p.reference} ends on ${p.ends_on}.`)} />}
					{deleting && <DeletePost urn={urn} post={deleting} onCancel={() => setDeleting(null)}
						onStale={() => { setDeleting(null); setStale(true); }} onDeleted={() => reload(`${deleting.reference} is deleted.`)} />}
					<PostsTable posts={data.data.posts} year={year} writer={writer && editing === null && ending === null && deleting === null}
						onEdit={(p) => { setBanner(null); setEditing(p); }} onEnd={(p) => { setBanner(null); setEnding(p); }}
						onDelete={(p) => { setBanner(null); setDeleting(p); }} />
				</>
			)}
		</Page>
	);
}

function PlanByPost({ school, fd, onSaved }: { school: School; fd: boolean; onSaved: (s: School) => void }) {
	const [error, setError] = useState<string | null>(null);
	const [busy, setBusy] = useState(false);
	const on = school.staff_by_post === true;
	const flip = async () => {
		setBusy(true);
		setError(null);
		try {
			const s = await must(api.PUT('/api/v1/schools/{urn}', {
				params: { path: { urn: school.urn }, header: { 'If-Match': `"${school.version}"` } },
				body: {
					name: school.name, phase: school.phase, local_authority: school.local_authority,
					finance_model: school.finance_model, floor_area_m2: school.floor_area_m2,
					periods_per_cycle: school.periods_per_cycle ?? null, staff_by_post: !on,
				},
			}));
			onSaved(s);
		} catch (e) {
			setError(e instanceof ApiError && e.status === 412
				? 'Someone else changed the school since you opened this page: reload it and try again.'
				: describeError(e));
		} finally {
			setBusy(false);
		}
	};
	return (
		<div class="govuk-inset-text" id="plan-by-post">
			{error && <ErrorSummary errors={[{ text: error }]} />}
			<p class="govuk-body govuk-!-margin-bottom-2">
				{on
					? <><strong>Plans its staff by post.</strong> Its budgets’ staff lines (E01–E07) are worked out from these posts and cannot be typed.</>
					: <><strong>Does not plan its staff by post.</strong> Its budgets’ staff lines are typed; the posts here are costed for information.</>}
			</p>
			{fd && (
				<button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" disabled={busy} onClick={() => { void flip(); }}>
					{on ? 'Stop planning staff by post' : 'Plan staff by post'}</button>
			)}
		</div>
	);
}

function Totals({ staffing }: { staffing: Staffing }) {
	return (
		<table class="govuk-table" id="staff-totals">
			<caption class="govuk-table__caption govuk-table__caption--m">Totals by account code, {staffing.year}</caption>
			<thead class="govuk-table__head"><tr class="govuk-table__row">
				<th scope="col" class="govuk-table__header">Code</th>
				<th scope="col" class="govuk-table__header govuk-table__header--numeric">Posts</th>
				<th scope="col" class="govuk-table__header govuk-table__header--numeric">FTE</th>
				<th scope="col" class="govuk-table__header govuk-table__header--numeric">Pay</th>
				<th scope="col" class="govuk-table__header govuk-table__header--numeric">NI</th>
				<th scope="col" class="govuk-table__header govuk-table__header--numeric">Pension</th>
				<th scope="col" class="govuk-table__header govuk-table__header--numeric">Total</th>
			</tr></thead>
			<tbody class="govuk-table__body">
				{staffing.lines.map((l) => (
					<tr class="govuk-table__row" key={l.account_code} data-code={l.account_code}>
						<th scope="row" class="govuk-table__header">{l.account_code}</th>
						<td class="govuk-table__cell govuk-table__cell--numeric bursar-num">{l.posts}</td>
						<td class="govuk-table__cell govuk-table__cell--numeric bursar-num">{h(l.fte_h)}</td>
						<td class="govuk-table__cell govuk-table__cell--numeric bursar-num"><Money pence={l.pay_pence} /></td>
						<td class="govuk-table__cell govuk-table__cell--numeric bursar-num"><Money pence={l.ni_pence} /></td>
						<td class="govuk-table__cell govuk-table__cell--numeric bursar-num"><Money pence={l.pension_pence} /></td>
						<td class="govuk-table__cell govuk-table__cell--numeric bursar-num" data-pence={l.total_pence}><Money pence={l.total_pence} /></td>
					</tr>
				))}
				{staffing.levy_pence !== undefined && staffing.levy_pence !== null && (
					<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">Apprenticeship levy</th>
						<td class="govuk-table__cell" colSpan={5} /><td class="govuk-table__cell govuk-table__cell--numeric bursar-num"><Money pence={staffing.levy_pence} /></td></tr>
				)}
				{staffing.employment_allowance_pence !== undefined && staffing.employment_allowance_pence !== null && (
					<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">Employment allowance</th>
						<td class="govuk-table__cell" colSpan={5} /><td class="govuk-table__cell govuk-table__cell--numeric bursar-num"><Money pence={staffing.employment_allowance_pence} /></td></tr>
				)}
				<tr class="govuk-table__row bursar-total">
					<th scope="row" class="govuk-table__header">Total</th>
					<td class="govuk-table__cell" colSpan={5} />
					<td class="govuk-table__cell govuk-table__cell--numeric bursar-num" id="staff-total" data-pence={staffing.total_pence}>
						<strong><Money pence={staffing.total_pence} /></strong></td>
				</tr>
			</tbody>
		</table>
	);
}

function allowances(p: Post): number {
	return p.tlr_pence + p.sen_pence + p.fringe_pence + p.other_allowance_pence;
}

function PostsTable({ posts, year, writer, onEdit, onEnd, onDelete }: {
	posts: Post[]; year: string; writer: boolean; onEdit: (p: Post) => void; onEnd: (p: Post) => void; onDelete: (p: Post) => void;
}) {
	if (posts.length === 0)
		return <p class="govuk-body">No posts yet.</p>;
	return (
		<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby="posts-caption">
			<table class="govuk-table" id="posts">
				<caption class="govuk-table__caption govuk-table__caption--s" id="posts-caption">The posts, with their cost in {year}</caption>
				<thead class="govuk-table__head"><tr class="govuk-table__row">
					<th scope="col" class="govuk-table__header">Reference</th>
					<th scope="col" class="govuk-table__header">Title</th>
					<th scope="col" class="govuk-table__header">Role</th>
					<th scope="col" class="govuk-table__header">Code</th>
					<th scope="col" class="govuk-table__header">Scale and point</th>
					<th scope="col" class="govuk-table__header govuk-table__header--numeric">FTE</th>
					<th scope="col" class="govuk-table__header govuk-table__header--numeric">Paid weeks</th>
					<th scope="col" class="govuk-table__header govuk-table__header--numeric">Allowances</th>
					<th scope="col" class="govuk-table__header govuk-table__header--numeric">Cost {year}</th>
					{writer && <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Actions</span></th>}
				</tr></thead>
				<tbody class="govuk-table__body">
					{posts.map((p) => (
						<tr class="govuk-table__row" key={p.id} data-post={p.reference}>
							<th scope="row" class="govuk-table__header">{p.reference}
								{p.vacant && <> <strong class="govuk-tag govuk-tag--yellow bursar-tag--small">Vacant</strong></>}</th>
							<td class="govuk-table__cell">{p.title}{p.holder_name ? <span class="bursar-block bursar-secondary">{p.holder_name}</span> : null}
								{p.ends_on && <span class="bursar-block bursar-secondary">Ends {p.ends_on}</span>}
								{p.starts_on && <span class="bursar-block bursar-secondary">Starts {p.starts_on}</span>}</td>
							<td class="govuk-table__cell">{roleName(p.role)}</td>
							<td class="govuk-table__cell">{p.account_code}</td>
							<td class="govuk-table__cell">{p.scale} {p.point}{p.top_point ? `–${p.top_point}` : ''}</td>
							<td class="govuk-table__cell govuk-table__cell--numeric bursar-num">{h(p.fte_h)}</td>
							<td class="govuk-table__cell govuk-table__cell--numeric bursar-num">{p.paid_weeks_h === null ? 'All year' : h(p.paid_weeks_h)}</td>
							<td class="govuk-table__cell govuk-table__cell--numeric bursar-num"><Money pence={allowances(p)} /></td>
							<td class="govuk-table__cell govuk-table__cell--numeric bursar-num" data-cost={p.cost?.total_pence ?? ''}
								title={p.cost ? `Pay ${formatPence(p.cost.pay_pence)}, NI ${formatPence(p.cost.ni_pence)}, pension ${formatPence(p.cost.pension_pence)}` : undefined}>
								<Money pence={p.cost?.total_pence} /></td>
							{writer && (
								<td class="govuk-table__cell bursar-row-actions">
									<button type="button" class="govuk-button govuk-button--secondary bursar-button--small" onClick={() => onEdit(p)}>
										Change<span class="govuk-visually-hidden"> {p.reference}</span></button>{' '}
									<button type="button" class="govuk-button govuk-button--secondary bursar-button--small" onClick={() => onEnd(p)}>
										End<span class="govuk-visually-hidden"> {p.reference}</span></button>{' '}
									<button type="button" class="govuk-button govuk-button--warning bursar-button--small" onClick={() => onDelete(p)}>
										Delete<span class="govuk-visually-hidden"> {p.reference}</span></button>
								</td>
							)}
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}

function EndPost({ urn, post, onCancel, onStale, onEnded }: {
	urn: string; post: Post; onCancel: () => void; onStale: () => void; onEnded: (p: Post) => void;
}) {
	const [date, setDate] = useState(post.ends_on ?? '');
	const [error, setError] = useState<string | undefined>(undefined);
	const [summary, setSummary] = useState<SummaryError[]>([]);
	const end = async (ev: Event) => {
		ev.preventDefault();
		if (!/^\d{4}-\d{2}-\d{2}$/.test(date.trim())) {
			setError('Enter the last day like 2027-08-31');
			setSummary([{ text: 'Last day: enter it like 2027-08-31', href: '#end-date' }]);
			return;
		}
		try {
			onEnded(await replacePost(urn, post.id, post.version, { ...writeOf(post), ends_on: date.trim() }));
		} catch (e) {
			if (e instanceof ApiError && e.status === 412)
				onStale();
			else {
				const m = e instanceof ApiError ? (e.fieldErrors.find((x) => x.field === '/ends_on')?.message ?? describeError(e)) : describeError(e);
				setError(m);
				setSummary([{ text: `Last day: ${m}`, href: '#end-date' }]);
			}
		}
	};
	return (
		<form onSubmit={end} noValidate id="end-post" class="govuk-!-margin-bottom-6">
			<h2 class="govuk-heading-m">End {post.reference}</h2>
			<ErrorSummary errors={summary} />
			<TextField id="end-date" label="Last day of the post" hint="Like 2027-08-31: the post is costed to the end of this day" value={date}
				error={error} onInput={setDate} width="govuk-input--width-10" />
			<div class="govuk-button-group">
				<button type="submit" class="govuk-button">End the post</button>
				<button type="button" class="govuk-button govuk-button--secondary" onClick={onCancel}>Cancel</button>
			</div>
		</form>
	);
}

function DeletePost({ urn, post, onCancel, onStale, onDeleted }: {
	urn: string; post: Post; onCancel: () => void; onStale: () => void; onDeleted: () => void;
}) {
	const [error, setError] = useState<string | null>(null);
	const del = async () => {
		try {
			await deletePost(urn, post.id, post.version);
			onDeleted();
		} catch (e) {
			if (e instanceof ApiError && e.status === 412)
				onStale();
			else
				setError(describeError(e));
		}
	};
	return (
		<div class="govuk-warning-text" role="alert" id="delete-post">
			<span class="govuk-warning-text__icon" aria-hidden="true">!</span>
			<div class="govuk-warning-text__text">
				<span class="govuk-visually-hidden">Warning</span>
				Delete {post.reference} ({post.title})? Deleting takes it out of every year’s costs; a post that is ending is
				better ended (its last day) than deleted.
				{error && <p class="govuk-error-message">{error}</p>}
				<div class="govuk-button-group govuk-!-margin-top-2 govuk-!-margin-bottom-0">
					<button type="button" class="govuk-button govuk-button--warning" onClick={() => { void del(); }}>Delete {post.reference}</button>
					<button type="button" class="govuk-button govuk-button--secondary" onClick={onCancel}>Cancel</button>
				</div>
			</div>
		</div>
	);
}
