// Renewals.tsx - the renewals to do (GET /api/v1/alerts/renewals): active
// contracts whose notice date or end falls in the window, soonest first, with
// what is due (exercise an option, give notice on an auto-renewing contract,
// re-procure), its date and the days left as the API computed them.
import { useState } from 'preact/hooks';

import { api, must } from '../../api/client';
import type { Schemas } from '../../api/types';
import { formatDate, humanise } from '../../components/format';
import { Money } from '../../components/Money';
import { LoadError, Loading, Page } from '../../components/Page';
import { Table } from '../../components/Table';
import { useLoad } from '../../components/useLoad';

type Alert = Schemas['RenewalAlert'];

const ACTIONS: Record<string, string> = { exercise_option: 'Exercise an option', give_notice: 'Give notice (auto-renews)', re_procure: 'Re-procure' };

export default function Renewals() {
	const [within, setWithin] = useState('90');
	const list = useLoad(() => must(api.GET('/api/v1/alerts/renewals', { params: { query: { within_days: Number(within) } } })), [within]);
	return (
		<Page title="Renewals to do" caption="Contracts">
			<p class="govuk-body"><a class="govuk-link" href="/trust/contracts">Back to the register</a></p>
			<div class="govuk-form-group">
				<label class="govuk-label" for="renewals-within">Due</label>
				<select class="govuk-select" id="renewals-within" value={within} onChange={(e) => setWithin((e.target as HTMLSelectElement).value)}>
					<option value="30">Within 30 days</option>
					<option value="90">Within 3 months</option>
					<option value="180">Within 6 months</option>
					<option value="365">Within a year</option>
				</select>
			</div>
			{list.loading && <Loading />}
			{list.error !== undefined && <LoadError error={list.error} />}
			{list.data && (
				<Table<Alert>
					caption="Renewals to do, soonest first"
					captionHidden
					rows={list.data.items}
					rowKey={(a) => `${a.contract_id}-${a.action}`}
					empty="Nothing is due in this window."
					columns={[
						{ header: 'Due', cell: (a) => <>{formatDate(a.due_on)}<br /><span class="govuk-hint govuk-!-margin-0">{a.days === 0 ? 'today' : a.days < 0 ? `${-a.days} days ago` : `in ${a.days} days`}</span></> },
						{ header: 'Contract', cell: (a) => <a class="govuk-link" href={`/trust/contracts/${a.contract_id}`}>{a.reference}</a> },
						{ header: 'Title', cell: (a) => a.title },
						{ header: 'Supplier', cell: (a) => a.supplier_name },
						{ header: 'To do', cell: (a) => <><strong>{ACTIONS[a.action] ?? humanise(a.action)}</strong><br />{a.message}</> },
						{ header: 'Notice by', cell: (a) => formatDate(a.notice_by) },
						{ header: 'Ends', cell: (a) => formatDate(a.current_end) },
						{ header: 'Annual value', numeric: true, cell: (a) => <Money pence={a.annual_value_pence} whole /> },
					]}
				/>
			)}
		</Page>
	);
}
