// Audit.tsx - the audit log, newest first: every write, who made it, and the
// entity before and after. Filter by entity and action; page through.
import { useState } from 'preact/hooks';

import { api, must } from '../api/client';
import type { AuditEntry } from '../api/types';
import { formatDateTime, humanise } from '../components/format';
import { Pager, useCursor } from '../components/Pager';
import { LoadError, Loading, Page } from '../components/Page';
import { Table } from '../components/Table';
import { useLoad } from '../components/useLoad';

interface Filters {
	entity: string;
	action: string;
}

/* The API names the actor (a person, a token's label, the command line) */
function who(e: AuditEntry): string {
	return e.role === 'cli' ? e.actor : `${e.actor}, ${humanise(e.role).toLowerCase()}`;
}

function Change({ e }: { e: AuditEntry }) {
	if (e.before === null && e.after === null)
		return <>–</>;
	return (
		<details class="govuk-details govuk-!-margin-bottom-0">
			<summary class="govuk-details__summary"><span class="govuk-details__summary-text">Before and after</span></summary>
			<div class="govuk-details__text">
				<pre class="bursar-json">{`before: ${JSON.stringify(e.before, null, 1)}\nafter: ${JSON.stringify(e.after, null, 1)}`}</pre>
			</div>
		</details>
	);
}

export default function Audit() {
	const [form, setForm] = useState<Filters>({ entity: '', action: '' });
	const [filters, setFilters] = useState<Filters>(form);
	const cursor = useCursor();
	const list = useLoad(() => must(api.GET('/api/v1/audit', {
		params: {
			query: {
				limit: 50,
				...(filters.entity.trim() ? { entity: filters.entity.trim() } : {}),
				...(filters.action.trim() ? { action: filters.action.trim() } : {}),
				...(cursor.after !== undefined ? { after: cursor.after } : {}),
			},
		},
	})), [filters, cursor.after]);

	const apply = (e: Event) => {
		e.preventDefault();
		cursor.reset();
		setFilters(form);
	};
	return (
		<Page title="Audit log">
			<form class="bursar-filters" onSubmit={apply} role="search" aria-label="Filter the audit log">
				<div class="govuk-form-group">
					<label class="govuk-label" for="f-entity">Kind of record</label>
					<input class="govuk-input govuk-input--width-10" id="f-entity" value={form.entity} spellcheck={false}
						onInput={(e) => setForm({ ...form, entity: (e.target as HTMLInputElement).value })} />
				</div>
				<div class="govuk-form-group">
					<label class="govuk-label" for="f-action">Action</label>
					<input class="govuk-input govuk-input--width-10" id="f-action" value={form.action} spellcheck={false}
						onInput={(e) => setForm({ ...form, action: (e.target as HTMLInputElement).value })} />
				</div>
				<button type="submit" class="govuk-button govuk-button--secondary">Filter</button>
			</form>
			{list.loading && <Loading />}
			{list.error !== undefined && <LoadError error={list.error} />}
			{list.data && (
				<>
					<Table<AuditEntry>
						caption="Audit entries, newest first"
						captionHidden
						rows={list.data.items}
						rowKey={(e) => e.id}
						empty="No entries match."
						columns={[
							{ header: 'When', cell: (e) => formatDateTime(e.at) },
							{ header: 'Who', cell: who },
							{ header: 'Action', cell: (e) => humanise(e.action) },
							{ header: 'Record', cell: (e) => `${humanise(e.entity)} ${e.entity_id}` },
							{ header: 'Change', cell: (e) => <Change e={e} /> },
						]}
					/>
					<Pager cursor={cursor} next={list.data.next} />
				</>
			)}
		</Page>
	);
}
