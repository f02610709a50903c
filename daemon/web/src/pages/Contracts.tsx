// Contracts.tsx - the contract register: filter by status, category and words,
// page through, with each contract's dates and value as the API computed them.
import { useState } from 'preact/hooks';

import { api, must } from '../api/client';
import type { Contract, Schemas } from '../api/types';
import { formatDate, humanise } from '../components/format';
import { Money } from '../components/Money';
import { Pager, useCursor } from '../components/Pager';
import { LoadError, Loading, Page } from '../components/Page';
import { StatusTag } from '../components/StatusTag';
import { Table } from '../components/Table';
import { useLoad } from '../components/useLoad';

type Status = NonNullable<Schemas['Contract']['status']>;
type Category = Schemas['Contract']['category'];

const STATUSES: Status[] = ['draft', 'awaiting_approval', 'active', 'expired', 'terminated'];
const CATEGORIES: Category[] = ['catering', 'cleaning', 'ict', 'payroll_hr', 'insurance', 'energy', 'water', 'audit',
	'legal', 'grounds', 'waste', 'copiers', 'supply_agency', 'compliance', 'other'];

interface Filters {
	status: Status | '';
	category: Category | '';
	q: string;
}

export default function Contracts() {
	const [form, setForm] = useState<Filters>({ status: '', category: '', q: '' });
	const [filters, setFilters] = useState<Filters>(form);
	const cursor = useCursor();
	const list = useLoad(() => must(api.GET('/api/v1/contracts', {
		params: {
			query: {
				limit: 50,
				...(filters.status ? { status: filters.status } : {}),
				...(filters.category ? { category: filters.category } : {}),
				...(filters.q.trim() ? { q: filters.q.trim() } : {}),
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
		<Page title="Contracts">
			<form class="bursar-filters" onSubmit={apply} role="search" aria-label="Filter contracts">
				<div class="govuk-form-group">
					<label class="govuk-label" for="f-status">Status</label>
					<select class="govuk-select" id="f-status" value={form.status}
						onChange={(e) => setForm({ ...form, status: (e.target as HTMLSelectElement).value as Status | '' })}>
						<option value="">Any</option>
						{STATUSES.map((s) => <option key={s} value={s}>{humanise(s)}</option>)}
					</select>
				</div>
				<div class="govuk-form-group">
					<label class="govuk-label" for="f-category">Category</label>
					<select class="govuk-select" id="f-category" value={form.category}
						onChange={(e) => setForm({ ...form, category: (e.target as HTMLSelectElement).value as Category | '' })}>
						<option value="">Any</option>
						{CATEGORIES.map((c) => <option key={c} value={c}>{humanise(c)}</option>)}
					</select>
				</div>
				<div class="govuk-form-group">
					<label class="govuk-label" for="f-q">Words in the reference, title or supplier</label>
					<input class="govuk-input govuk-input--width-20" id="f-q" type="search" value={form.q}
						onInput={(e) => setForm({ ...form, q: (e.target as HTMLInputElement).value })} />
				</div>
				<button type="submit" class="govuk-button govuk-button--secondary">Filter</button>
			</form>
			{list.loading && <Loading />}
			{list.error !== undefined && <LoadError error={list.error} />}
			{list.data && (
				<>
					<Table<Contract>
						caption="Contracts"
						captionHidden
						rows={list.data.items}
						rowKey={(c) => c.id}
						empty="No contracts match."
						columns={[
							{ header: 'Reference', cell: (c) => c.reference },
							{ header: 'Title', cell: (c) => c.title },
							{ header: 'Supplier', cell: (c) => c.supplier_name },
							{ header: 'School', cell: (c) => c.school ?? 'Trust-wide' },
							{ header: 'Status', cell: (c) => <StatusTag status={c.status} /> },
							{ header: 'Ends', cell: (c) => formatDate(c.current_end) },
							{ header: 'Notice by', cell: (c) => formatDate(c.notice_by) },
							{ header: 'Annual value', numeric: true, cell: (c) => <Money pence={c.annual_value_pence} whole /> },
						]}
					/>
					<Pager cursor={cursor} next={list.data.next} />
				</>
			)}
		</Page>
	);
}
