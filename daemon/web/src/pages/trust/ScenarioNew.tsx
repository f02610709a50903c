// ScenarioNew.tsx - a new scenario (finance director), blank or a copy of one
// (?copy=<id>: its what-ifs and projections, under a new name).
import { useLocation } from 'preact-iso';

import { api, must } from '../../api/client';
import { LoadError, Loading, Page } from '../../components/Page';
import { useLoad } from '../../components/useLoad';
import { ScenarioForm } from './ScenarioForm';
import { formFrom, type ScenarioWrite } from './scenarioModel';

export default function ScenarioNew() {
	const { query, route } = useLocation();
	const copyId = Number.parseInt(query.copy ?? '', 10);
	const from = useLoad(async () => Number.isSafeInteger(copyId) && copyId > 0
		? must(api.GET('/api/v1/scenarios/{id}', { params: { path: { id: copyId } } }))
		: undefined, [copyId]);

	const create = async (body: ScenarioWrite) => {
		const s = await must(api.POST('/api/v1/scenarios', { body }));
		route(`/trust/scenarios/${s.id}?created=1`);
	};
	const title = from.data ? `Copy ${from.data.name}` : 'Add a scenario';
	return (
		<Page title={title}>
			{from.loading && <Loading />}
			{from.error !== undefined && <LoadError error={from.error} />}
			{!from.loading && from.error === undefined && (
				<ScenarioForm initial={formFrom(from.data, from.data ? `${from.data.name} (copy)` : undefined)} keep={from.data}
					submitLabel="Save scenario" onSubmit={create} onCancel={() => route('/trust/scenarios')} />
			)}
		</Page>
	);
}
