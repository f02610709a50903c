// Statement.tsx - the business manager's part of the central services statement
// (GET /api/v1/central-services-statement?year=, her schools' rows only): what
// her school was charged (the top-slice) or had retained (the pool's retention),
// on what basis, and the trust's core services that pays for, as the API gives
// them; and the API's comparisons of the charges with the core services' cost and
// with the central team's budgeted spending, each difference with its explanation.
import { ApiError } from '../../api/problem';
import { humanise } from '../../components/format';
import { Money } from '../../components/Money';
import { LoadError, Loading } from '../../components/Page';
import { Table } from '../../components/Table';
import { useLoad } from '../../components/useLoad';
import { loadStatement, type Statement as StatementT } from './budgetApi';

type Row = StatementT['schools'][number];
type Core = StatementT['core_services'][number];
type Comparison = StatementT['comparisons'][number];

const KIND: Record<Row['kind'], string> = {
	charged: 'Your top-slice (the central services charge)',
	retained: 'What the pool retains from your GAG',
	none: 'Nothing charged or retained',
};

export function Statement({ urn, year }: { urn: string; year: string }) {
	const s = useLoad(async () => {
		try {
			return await loadStatement(year);
		} catch (e) {
			if (e instanceof ApiError && e.status === 422)
				return null;                /* no budgets that year */
			throw e;
		}
	}, [year]);
	const row = s.data?.schools.find((r) => r.urn === urn);
	return (
		<section aria-labelledby="statement-heading" class="govuk-!-margin-top-9">
			<h2 class="govuk-heading-m" id="statement-heading">What your {row?.kind === 'retained' ? 'pool retention' : 'top-slice'} pays for, {year}</h2>
			{s.loading && <Loading what="Loading the central services statement" />}
			{s.error !== undefined && <LoadError error={s.error} />}
			{s.data === null && <p class="govuk-body">There is no central services statement for {year}: no school has a budget for it yet.</p>}
			{s.data && row === undefined && <p class="govuk-body">The statement for {year} has no figures for this school until its budget is started.</p>}
			{s.data && row !== undefined && (
				<>
					<dl class="govuk-summary-list" aria-label="Your school's part of the central services statement">
						<div class="govuk-summary-list__row">
							<dt class="govuk-summary-list__key">{KIND[row.kind]}</dt>
							<dd class="govuk-summary-list__value bursar-num" id="statement-amount"><Money pence={row.amount_pence} /></dd>
						</div>
						<div class="govuk-summary-list__row">
							<dt class="govuk-summary-list__key">How it is worked out</dt>
							<dd class="govuk-summary-list__value">{row.basis.explanation}</dd>
						</div>
						<div class="govuk-summary-list__row">
							<dt class="govuk-summary-list__key">Paid to the central team</dt>
							<dd class="govuk-summary-list__value bursar-num"><Money pence={row.paid_pence} /></dd>
						</div>
						<div class="govuk-summary-list__row">
							<dt class="govuk-summary-list__key">Received from the central team</dt>
							<dd class="govuk-summary-list__value bursar-num"><Money pence={row.received_pence} /></dd>
						</div>
						<div class="govuk-summary-list__row">
							<dt class="govuk-summary-list__key">Budget</dt>
							<dd class="govuk-summary-list__value">{humanise(row.budget_status)}</dd>
						</div>
					</dl>
					<Table<Core>
						caption={`The trust’s core services in ${year}, which the charges and retentions pay for`}
						rows={row.core_services.length > 0 ? row.core_services : s.data.core_services}
						rowKey={(c) => c.id}
						empty="The trust has no core services this year."
						columns={[
							{ header: 'Service', cell: (c) => c.name },
							{ header: 'Months', numeric: true, cell: (c) => String(c.months) },
							{ header: 'Cost to the trust', numeric: true, cell: (c) => <Money pence={c.cost_pence} /> },
						]}
					/>
					<p class="govuk-body">
						The core services cost the trust <Money pence={s.data.totals.core_services_cost_pence} /> in {year}; every school’s charge or
						retention together pays for them.
					</p>
					<div id="statement-comparisons">
						<Table<Comparison>
							caption={`What the charges and retentions are set against, ${year}`}
							rows={s.data.comparisons}
							rowKey={(c) => c.against}
							columns={[
								{ header: 'Against', cell: (c) => c.description },
								{ header: 'Charges and retentions', numeric: true, cell: (c) => <Money pence={c.charges_pence} /> },
								{ header: 'Cost', numeric: true, cell: (c) => (c.cost_pence === null ? 'No budget' : <Money pence={c.cost_pence} />) },
								{ header: 'Difference', numeric: true, cell: (c) => (c.difference_pence === null ? '' : <Money pence={c.difference_pence} />) },
							]}
						/>
						{s.data.comparisons.map((c) => <p class="govuk-body" key={c.against} data-against={c.against}>{c.explanation}</p>)}
					</div>
				</>
			)}
		</section>
	);
}
