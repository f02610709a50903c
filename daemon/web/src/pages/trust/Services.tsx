// Services.tsx - the shared services catalogue for a year: what each costs
// (the API's cost: its contract priced by month, or entered), how it is paid
// for (core: centrally; traded: recharged) and shared out (its basis); each
// opens its subscriptions and allocation. The allocation matrix is a link away.
import { api, must } from '../../api/client';
import type { Schemas } from '../../api/types';
import { humanise } from '../../components/format';
import { Money } from '../../components/Money';
import { LoadError, Loading, Page } from '../../components/Page';
import { Table } from '../../components/Table';
import { useLoad } from '../../components/useLoad';
import { useYearChoice } from './yearChoice';

type Service = Schemas['Service'];

export default function Services() {
	const { year, select, loading, error } = useYearChoice();
	const list = useLoad(async () => year === null ? null : must(api.GET('/api/v1/services', { params: { query: { year, limit: 200 } } })), [year]);

	if (loading)
		return <Page title="Shared services"><Loading /></Page>;
	if (error !== undefined)
		return <Page title="Shared services"><LoadError error={error} /></Page>;
	const items = (list.data?.items ?? []).filter((s): s is Service => !('deleted' in s && s.deleted === true) && 'cost' in s);
	return (
		<Page title="Shared services" caption={year ?? undefined}>
			<p class="govuk-body">The services the trust buys once for its schools. <a class="govuk-link" href={`/trust/allocations${year ? `?year=${year}` : ''}`}>What each school pays (the allocation matrix)</a>.</p>
			{select}
			{list.loading && <Loading />}
			{list.error !== undefined && <LoadError error={list.error} />}
			{list.data && (
				<Table<Service>
					caption={`Shared services in ${year}`}
					captionHidden
					rows={items}
					rowKey={(s) => s.id}
					empty="There are no shared services."
					columns={[
						{ header: 'Service', cell: (s) => <a class="govuk-link" href={`/trust/services/${s.id}?year=${year}`}>{s.name}</a> },
						{ header: 'Category', cell: (s) => humanise(s.category) },
						{ header: 'Paid', cell: (s) => s.funding === 'core' ? 'Centrally (core)' : 'Recharged (traded)' },
						{ header: 'Shared by', cell: (s) => humanise(s.basis) },
						{ header: 'Account', cell: (s) => s.account_code },
						{ header: 'Cost for the year', numeric: true, cell: (s) => <Money pence={s.cost.cost_pence} /> },
					]}
				/>
			)}
		</Page>
	);
}
