// Services.tsx - the shared services the school receives in the year and what
// it pays for each (GET /api/v1/schools/{urn}/services), with the totals the
// API gives (of the whole year, not of what is shown).
import { humanise } from '../../components/format';
import { Money } from '../../components/Money';
import { LoadError, Loading } from '../../components/Page';
import { Table } from '../../components/Table';
import { useLoad } from '../../components/useLoad';
import { loadServices, type SchoolServices } from './budgetApi';

type Item = Extract<SchoolServices['items'][number], { name: string }>;

export function Services({ urn, year }: { urn: string; year: string }) {
	const s = useLoad(() => loadServices(urn, year), [urn, year]);
	return (
		<section aria-labelledby="services-heading" class="govuk-!-margin-top-9">
			<h2 class="govuk-heading-m" id="services-heading">Shared services {year}</h2>
			{s.loading && <Loading what="Loading the services" />}
			{s.error !== undefined && <LoadError error={s.error} />}
			{s.data && (() => {
				const items = s.data.items.filter((i): i is Item => !i.deleted && 'name' in i);
				return (
					<>
						<dl class="govuk-summary-list" aria-label="Services totals">
							<div class="govuk-summary-list__row">
								<dt class="govuk-summary-list__key">The school’s share of their cost</dt>
								<dd class="govuk-summary-list__value bursar-num"><Money pence={s.data.total_cost_pence} /></dd>
							</div>
							<div class="govuk-summary-list__row">
								<dt class="govuk-summary-list__key">What the school pays (traded services)</dt>
								<dd class="govuk-summary-list__value bursar-num" id="services-recharged"><Money pence={s.data.total_recharged_pence} /></dd>
							</div>
						</dl>
						<Table<Item>
							caption={`Services the school receives in ${year}`}
							captionHidden
							rows={items}
							rowKey={(r) => r.id}
							empty="The school receives no shared services this year."
							columns={[
								{ header: 'Service', cell: (r) => r.name },
								{ header: 'Funding', cell: (r) => r.funding === 'core' ? 'Core (paid centrally)' : 'Traded (recharged)' },
								{ header: 'Shared by', cell: (r) => <>{humanise(r.basis)}<span class="govuk-hint bursar-block">{r.explanation}</span></> },
								{ header: 'Contract ends', cell: (r) => r.contract_end_date ?? '–' },
								{ header: 'Share of cost', numeric: true, cell: (r) => <Money pence={r.cost_pence} /> },
								{ header: 'Pays', numeric: true, cell: (r) => <Money pence={r.recharged_pence} /> },
							]}
						/>
						{s.data.next && <p class="govuk-body">The first 1,000 services are shown; the totals are the year’s.</p>}
					</>
				);
			})()}
		</section>
	);
}
