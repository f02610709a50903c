// Contracts.tsx - the contract register filtered by status, category, school
// or trust-wide, supplier, ending within a window and words, paged, with each
// contract's dates, value and check as the API computed them; each opens its
// detail page. The renewals to do are their own page (trust/Renewals.tsx).
// The register downloads as XLSX or CSV with the same filters: every contract
// they select, not only the page shown.
import { useState } from 'preact/hooks';

import { api, must } from '../api/client';
import type { Contract, Schemas } from '../api/types';
import { Downloads } from '../components/Downloads';
import { formatDate, humanise } from '../components/format';
import { Money } from '../components/Money';
import { Pager, useCursor } from '../components/Pager';
import { LoadError, Loading, Page } from '../components/Page';
import { useMe } from '../components/session';
import { StatusTag } from '../components/StatusTag';
import { Table } from '../components/Table';
import { useLoad } from '../components/useLoad';

type Status = NonNullable<Schemas['Contract']['status']>;
type Category = Schemas['Contract']['category'];

export const STATUSES: Status[] = ['draft', 'awaiting_approval', 'active', 'expired', 'terminated'];
export const CATEGORIES: Category[] = ['catering', 'cleaning', 'ict', 'payroll_hr', 'insurance', 'energy', 'water', 'audit',
	'legal', 'grounds', 'waste', 'copiers', 'supply_agency', 'compliance', 'other'];
const WINDOWS = [['', 'Any time'], ['30', 'Within 30 days'], ['90', 'Within 3 months'], ['180', 'Within 6 months'],
	['365', 'Within a year'], ['730', 'Within 2 years']] as const;

interface Filters {
	status: Status | '';
	category: Category | '';
	school: string;                     /* URN, "trust" or "" */
	supplier: string;                   /* id or "" */
	ending: string;                     /* days or "" */
	q: string;
}

/* The API's query for the filters: the list's and the download's alike. */
function filterQuery(f: Filters) {
	return {
		...(f.status ? { status: f.status } : {}),
		...(f.category ? { category: f.category } : {}),
		...(f.school ? { school: f.school } : {}),
		...(f.supplier ? { supplier: Number(f.supplier) } : {}),
		...(f.ending ? { expiring_within_days: Number(f.ending) } : {}),
		...(f.q.trim() ? { q: f.q.trim() } : {}),
	};
}

export default function Contracts() {
	const me = useMe();
	const empty: Filters = { status: '', category: '', school: '', supplier: '', ending: '', q: '' };
	const [form, setForm] = useState<Filters>(empty);
	const [filters, setFilters] = useState<Filters>(empty);
	const cursor = useCursor();
	const pickers = useLoad(async () => {
		const [schools, suppliers] = await Promise.all([
			must(api.GET('/api/v1/schools', { params: { query: { limit: 1000 } } })),
			must(api.GET('/api/v1/suppliers', { params: { query: { limit: 1000 } } })),
		]);
		return {
			schools: schools.items.filter((s) => s.kind === 'school').sort((a, b) => a.name.localeCompare(b.name)),
			suppliers: [...suppliers.items].sort((a, b) => a.name.localeCompare(b.name)),
		};
	}, []);
	const list = useLoad(() => must(api.GET('/api/v1/contracts', {
		params: {
			query: {
				limit: 50,
				...filterQuery(filters),
				...(cursor.after !== undefined ? { after: cursor.after } : {}),
			},
		},
	})), [filters, cursor.after]);

	const set = (k: keyof Filters) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value });
	const apply = (e: Event) => {
		e.preventDefault();
		cursor.reset();
		setFilters(form);
	};
	const clear = () => {
		cursor.reset();
		setForm(empty);
		setFilters(empty);
	};
	const exportQuery = new URLSearchParams(Object.entries(filterQuery(filters)).map(([k, v]) => [k, String(v)])).toString();
	return (
		<Page title="Contracts">
			{me.role === 'finance_director' && <a href="/trust/contracts/new" role="button" class="govuk-button" draggable={false}>Add a contract</a>}
			<p class="govuk-body"><a class="govuk-link" href="/trust/contracts/renewals">Renewals to do: notice dates, options and auto-renewals coming up</a></p>
			<form class="bursar-filters" onSubmit={apply} role="search" aria-label="Filter contracts">
				<div class="govuk-form-group">
					<label class="govuk-label" for="f-status">Status</label>
					<select class="govuk-select" id="f-status" value={form.status} onChange={set('status')}>
						<option value="">Any</option>
						{STATUSES.map((s) => <option key={s} value={s}>{humanise(s)}</option>)}
					</select>
				</div>
				<div class="govuk-form-group">
					<label class="govuk-label" for="f-category">Category</label>
					<select class="govuk-select" id="f-category" value={form.category} onChange={set('category')}>
						<option value="">Any</option>
						{CATEGORIES.map((c) => <option key={c} value={c}>{humanise(c)}</option>)}
					</select>
				</div>
				<div class="govuk-form-group">
					<label class="govuk-label" for="f-school">Held by</label>
					<select class="govuk-select" id="f-school" value={form.school} onChange={set('school')}>
						<option value="">Anyone</option>
						<option value="trust">The trust (trust-wide)</option>
						{pickers.data?.schools.map((s) => <option key={s.urn} value={s.urn}>{s.name}</option>)}
					</select>
				</div>
				<div class="govuk-form-group">
					<label class="govuk-label" for="f-supplier">Supplier</label>
					<select class="govuk-select" id="f-supplier" value={form.supplier} onChange={set('supplier')}>
						<option value="">Any</option>
						{pickers.data?.suppliers.map((s) => <option key={s.id} value={String(s.id)}>{s.name}</option>)}
					</select>
				</div>
				<div class="govuk-form-group">
					<label class="govuk-label" for="f-ending">Ending</label>
					<select class="govuk-select" id="f-ending" value={form.ending} onChange={set('ending')}>
						{WINDOWS.map(([v, t]) => <option key={v} value={v}>{t}</option>)}
					</select>
				</div>
				<div class="govuk-form-group">
					<label class="govuk-label" for="f-q">Words in the reference, title or supplier</label>
					<input class="govuk-input govuk-input--width-20" id="f-q" type="search" value={form.q} onInput={set('q')} />
				</div>
				<div class="govuk-button-group">
					<button type="submit" class="govuk-button govuk-button--secondary">Filter</button>
					<button type="button" class="govuk-button govuk-button--secondary" onClick={clear}>Show all</button>
				</div>
			</form>
			{list.loading && <Loading />}
			{list.error !== undefined && <LoadError error={list.error} />}
			{list.data && (
				<>
					<Downloads path={`/api/v1/contracts${exportQuery ? `?${exportQuery}` : ''}`} name="contracts"
						what={exportQuery ? 'the selected contracts, every page' : 'every contract'} />
					<Table<Contract>
						caption="Contracts"
						captionHidden
						rows={list.data.items}
						rowKey={(c) => c.id}
						empty="No contracts match."
						columns={[
							{ header: 'Reference', cell: (c) => <a class="govuk-link" href={`/trust/contracts/${c.id}`}>{c.reference}</a> },
							{ header: 'Title', cell: (c) => c.title },
							{ header: 'Supplier', cell: (c) => c.supplier_name },
							{ header: 'School', cell: (c) => c.school === null ? 'Trust-wide' : pickers.data?.schools.find((s) => s.urn === c.school)?.name ?? c.school },
							{ header: 'Status', cell: (c) => <StatusTag status={c.status} /> },
							{ header: 'Check', cell: (c) => c.compliance.compliant ? 'Meets the rules' : <strong>Does not meet the rules</strong> },
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
