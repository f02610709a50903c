// Service.tsx - one shared service: its cost for the year with the API's
// explanation, its subscriptions (who takes it, from when, at what level) and
// its allocation (each subscriber's share, explained, with the API's totals).
import { useLocation, useRoute } from 'preact-iso';

import { api, must } from '../../api/client';
import type { Schemas } from '../../api/types';
import { formatDate, humanise } from '../../components/format';
import { formatBp } from '../../components/hundredths';
import { Money } from '../../components/Money';
import { LoadError, Loading, Page } from '../../components/Page';
import { Table } from '../../components/Table';
import { useLoad } from '../../components/useLoad';
import { useYearChoice } from './yearChoice';

type Subscription = Schemas['Subscription'];
type Share = Schemas['AllocationShare'];

export default function Service() {
	const { params } = useRoute();
	const { query } = useLocation();
	const id = Number.parseInt(params.id ?? '', 10);
	const { year, select } = useYearChoice(query.year);
	const svc = useLoad(async () => year === null ? undefined
		: must(api.GET('/api/v1/services/{id}', { params: { path: { id }, query: { year } } })), [id, year]);
	const subs = useLoad(() => must(api.GET('/api/v1/services/{id}/subscriptions', { params: { path: { id }, query: { limit: 200 } } })), [id]);
	const alloc = useLoad(async () => year === null ? undefined
		: must(api.GET('/api/v1/services/{id}/allocation', { params: { path: { id }, query: { year } } })), [id, year]);

	if (svc.loading && svc.data === undefined)
		return <Page title="Shared service"><Loading /></Page>;
	if (svc.data === undefined)
		return <Page title="Shared service"><LoadError error={svc.error} /></Page>;
	const s = svc.data;
	const live = (subs.data?.items ?? []).filter((x): x is Subscription => !('deleted' in x && x.deleted === true) && 'start_date' in x);
	return (
		<Page title={s.name} caption="Shared service">
			{select}
			<dl class="govuk-summary-list">
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">What</dt><dd class="govuk-summary-list__value">{s.description || humanise(s.category)}</dd></div>
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Paid</dt>
					<dd class="govuk-summary-list__value">{s.funding === 'core' ? 'Centrally (core)' : 'Recharged to the schools that take it (traded)'}, shared {humanise(s.basis).toLowerCase()}{s.usage_unit ? ` (${s.usage_unit})` : ''}, booked to {s.account_code}</dd></div>
				<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Cost in {s.year}</dt>
					<dd class="govuk-summary-list__value"><Money pence={s.cost.cost_pence} /><br /><span class="bursar-secondary">{s.cost.explanation}</span></dd></div>
				{s.contract && (
					<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Contract</dt>
						<dd class="govuk-summary-list__value">{'reference' in s.contract ? s.contract.reference : `#${s.contract.id}`}</dd></div>
				)}
			</dl>
			<h2 class="govuk-heading-m">Subscriptions</h2>
			{subs.loading && <Loading />}
			{subs.error !== undefined && <LoadError error={subs.error} />}
			{subs.data && (
				<Table<Subscription>
					caption={`Who takes ${s.name}`}
					captionHidden
					rows={live}
					rowKey={(x) => x.id}
					empty="No school takes this service."
					columns={[
						{ header: 'School', cell: (x) => x.school_name },
						{ header: 'From', cell: (x) => formatDate(x.start_date) },
						{ header: 'To', cell: (x) => x.end_date ? formatDate(x.end_date) : 'Open-ended' },
						{ header: 'Level', cell: (x) => x.level || '–' },
						{ header: 'Usage', numeric: true, cell: (x) => x.usage_units ?? '–' },
						{ header: 'Fixed share', numeric: true, cell: (x) => x.fixed_share_bp === null ? '–' : formatBp(x.fixed_share_bp) },
					]}
				/>
			)}
			<h2 class="govuk-heading-m">Allocation in {year}</h2>
			{alloc.loading && <Loading />}
			{alloc.error !== undefined && <LoadError error={alloc.error} />}
			{alloc.data && (
				<>
					<Table<Share>
						caption={`How ${s.name} is shared in ${year}`}
						captionHidden
						rows={alloc.data.shares}
						rowKey={(x) => x.subscription_id}
						empty="Nothing is allocated this year."
						columns={[
							{ header: 'School', cell: (x) => x.school ?? x.urn },
							{ header: 'Months', numeric: true, cell: (x) => x.months },
							{ header: 'How', cell: (x) => x.explanation },
							{ header: 'Share', numeric: true, cell: (x) => <Money pence={x.share_pence} /> },
						]}
					/>
					<dl class="govuk-summary-list">
						<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Allocated</dt><dd class="govuk-summary-list__value bursar-num"><Money pence={alloc.data.allocated_pence} /></dd></div>
						<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Not allocated</dt><dd class="govuk-summary-list__value bursar-num"><Money pence={alloc.data.unallocated_pence} /></dd></div>
						<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Cost</dt><dd class="govuk-summary-list__value bursar-num"><Money pence={alloc.data.total_pence} /></dd></div>
					</dl>
					{alloc.data.warnings.length > 0 && (
						<div class="govuk-warning-text">
							<span class="govuk-warning-text__icon" aria-hidden="true">!</span>
							<strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>
								{alloc.data.warnings.map((w) => typeof w === 'string' ? w : JSON.stringify(w)).join(' ')}</strong>
						</div>
					)}
				</>
			)}
		</Page>
	);
}
