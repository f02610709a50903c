// Scenarios.tsx - the forecast scenarios (finance director and auditors): each
// with its base year and horizon; the finance director can add one.
import { api, must } from '../../api/client';
import type { Schemas } from '../../api/types';
import { formatDateTime } from '../../components/format';
import { Pager, useCursor } from '../../components/Pager';
import { LoadError, Loading, Page } from '../../components/Page';
import { useMe } from '../../components/session';
import { Table } from '../../components/Table';
import { useLoad } from '../../components/useLoad';

type Summary = Schemas['ScenarioSummary'];

export default function Scenarios() {
	const me = useMe();
	const cursor = useCursor();
	const list = useLoad(() => must(api.GET('/api/v1/scenarios', {
		params: { query: { limit: 50, ...(cursor.after !== undefined ? { after: cursor.after } : {}) } },
	})), [cursor.after]);

	return (
		<Page title="Scenarios">
			<p class="govuk-body">A scenario is a set of what-ifs for a forecast: pay awards, inflation, funding and pupil numbers by year.</p>
			<div class="govuk-button-group">
				{me.role === 'finance_director' && <a href="/trust/scenarios/new" class="govuk-button" role="button" draggable={false}>Add a scenario</a>}
				<a href="/trust/forecasts" class="govuk-link">Forecast runs</a>
				<a href="/trust/scenarios/indices" class="govuk-link">Index history</a>
			</div>
			{list.loading && <Loading />}
			{list.error !== undefined && <LoadError error={list.error} />}
			{list.data && (
				<>
					<Table<Summary>
						caption="Scenarios"
						captionHidden
						rows={list.data.items.filter((s) => !s.deleted)}
						rowKey={(s) => s.id}
						empty="There are no scenarios yet."
						columns={[
							{ header: 'Name', cell: (s) => <a class="govuk-link" href={`/trust/scenarios/${s.id}`}>{s.name}</a> },
							{ header: 'Description', cell: (s) => s.description ?? '' },
							{ header: 'Base year', cell: (s) => s.base_year ?? '' },
							{ header: 'Horizon', numeric: true, cell: (s) => `${s.horizon ?? ''} years` },
							{ header: 'Changed', cell: (s) => formatDateTime(s.updated_at) },
						]}
					/>
					<Pager cursor={cursor} next={list.data.next} />
				</>
			)}
		</Page>
	);
}
