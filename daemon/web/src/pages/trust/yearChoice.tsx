// yearChoice.tsx - the academic year a services page shows: the years the
// central team has data for (GET /api/v1/schools/central/years), the latest
// first chosen, as a labelled select.
import { useState } from 'preact/hooks';

import { api, must } from '../../api/client';
import { useLoad } from '../../components/useLoad';

export function useYearChoice(initial?: string) {
	const years = useLoad(async () => {
		const y = await must(api.GET('/api/v1/schools/{urn}/years', { params: { path: { urn: 'central' } } }));
		return y.items.map((i) => i.year);
	}, []);
	const [chosen, setChosen] = useState<string | null>(initial ?? null);
	const year = chosen ?? years.data?.at(-1) ?? null;
	const select = (
		<div class="govuk-form-group">
			<label class="govuk-label" for="year">Year</label>
			<select class="govuk-select" id="year" value={year ?? ''} onChange={(e) => setChosen((e.target as HTMLSelectElement).value)}>
				{(years.data ?? (year ? [year] : [])).map((y) => <option key={y} value={y}>{y}</option>)}
			</select>
		</div>
	);
	return { year, select, loading: years.loading, error: years.error };
}
