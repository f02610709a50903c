// Forecasts.tsx - forecast runs: the finance director runs one (a scenario by
// name, a label and notes, and optionally another base year, horizon or some
// schools only); everyone who may read runs lists them (label, draft or
// published; the list has no notes: a run's page shows them), opens one, or picks two to six to compare. A business
// manager's list holds published runs only (the API's rule), so she is offered
// no status filter and no run form.
import { useLocation } from 'preact-iso';
import { useState } from 'preact/hooks';

import { api, must } from '../../api/client';
import type { Schemas } from '../../api/types';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { formatDateTime, humanise } from '../../components/format';
import { Pager, useCursor } from '../../components/Pager';
import { LoadError, Loading, Page } from '../../components/Page';
import { useMe } from '../../components/session';
import { StatusTag } from '../../components/StatusTag';
import { useLoad } from '../../components/useLoad';
import { MAX_COMPARE } from './forecastView';
import { RunForm } from './RunForm';

type Run = Schemas['ForecastSummary'];
type Status = 'draft' | 'published';

export default function Forecasts() {
	const me = useMe();
	const { query, route } = useLocation();
	const scenarioFilter = Number.parseInt(query.scenario ?? '', 10);
	const status: Status | undefined = query.status === 'draft' || query.status === 'published' ? query.status : undefined;
	const cursor = useCursor();
	const list = useLoad(() => must(api.GET('/api/v1/forecasts', {
		params: { query: { limit: 50, ...(status ? { status } : {}), ...(cursor.after !== undefined ? { after: cursor.after } : {}) } },
	})), [cursor.after, status]);
	const [picked, setPicked] = useState<number[]>([]);
	const [compareError, setCompareError] = useState<SummaryError[]>([]);
	const fd = me.role === 'finance_director';
	const seesDrafts = fd || me.role === 'auditor';

	const compare = (e: Event) => {
		e.preventDefault();
		if (picked.length < 2 || picked.length > MAX_COMPARE) {
			setCompareError([{ text: `Choose from 2 to ${MAX_COMPARE} runs to compare`, href: '#runs' }]);
			return;
		}
		route(`/trust/forecasts/compare?runs=${picked.join(',')}`);
	};
	const rows: Run[] = list.data?.items ?? [];
	return (
		<Page title="Forecasts">
			{seesDrafts
				? <p class="govuk-body">A forecast runs every school’s budget forward under a <a class="govuk-link" href="/trust/scenarios">scenario</a>. A run is a draft, seen by the finance director and auditors only, until it is published.</p>
				: <p class="govuk-body">The forecasts the finance director has published, for your schools.</p>}
			{fd && <RunForm preset={Number.isSafeInteger(scenarioFilter) ? scenarioFilter : undefined} />}
			<h2 class="govuk-heading-m">Runs</h2>
			{seesDrafts && (
				<div class="govuk-form-group">
					<label class="govuk-label" for="run-status">Show</label>
					<select class="govuk-select" id="run-status" value={status ?? ''}
						onChange={(e) => {
							const v = (e.target as HTMLSelectElement).value;
							route(`/trust/forecasts${v ? `?status=${v}` : ''}`);
						}}>
						<option value="">All runs</option>
						<option value="draft">Drafts</option>
						<option value="published">Published</option>
					</select>
				</div>
			)}
			{list.loading && <Loading />}
			{list.error !== undefined && <LoadError error={list.error} />}
			{list.data && (rows.length === 0 ? <p class="govuk-body">{seesDrafts ? 'No forecast has been run yet.' : 'No forecast has been published yet.'}</p> : (
				<form onSubmit={compare}>
					<ErrorSummary errors={compareError} />
					<div class="bursar-scroll" tabIndex={0} role="region" aria-labelledby="runs-caption">
						<table class="govuk-table" id="runs" tabIndex={-1}>
							<caption class="govuk-table__caption govuk-table__caption--s" id="runs-caption">Forecast runs: tick 2 to {MAX_COMPARE} to compare them</caption>
							<thead class="govuk-table__head"><tr class="govuk-table__row">
								<th scope="col" class="govuk-table__header">Compare</th>
								<th scope="col" class="govuk-table__header">Run</th>
								<th scope="col" class="govuk-table__header">Status</th>
								<th scope="col" class="govuk-table__header">Scenario</th>
								<th scope="col" class="govuk-table__header">Base year</th>
								<th scope="col" class="govuk-table__header govuk-table__header--numeric">Horizon</th>
								<th scope="col" class="govuk-table__header">Run by</th>
								<th scope="col" class="govuk-table__header">When</th>
							</tr></thead>
							<tbody class="govuk-table__body">
								{rows.map((r) => (
									<tr class="govuk-table__row" key={r.id} data-run={r.id}>
										<td class="govuk-table__cell">
											<div class="govuk-checkboxes govuk-checkboxes--small">
												<div class="govuk-checkboxes__item">
													<input class="govuk-checkboxes__input" type="checkbox" id={`cmp-${r.id}`} checked={picked.includes(r.id)}
														onChange={(e) => setPicked((e.target as HTMLInputElement).checked ? [...picked, r.id] : picked.filter((p) => p !== r.id))} />
													<label class="govuk-label govuk-checkboxes__label" for={`cmp-${r.id}`}><span class="govuk-visually-hidden">Compare {r.label} (run {r.id})</span></label>
												</div>
											</div>
										</td>
										<td class="govuk-table__cell">
											<a class="govuk-link" href={`/trust/forecasts/${r.id}`}>{r.label}</a> <span class="bursar-secondary">run {r.id}</span>
											{r.notes ? <p class="govuk-body-s bursar-secondary govuk-!-margin-bottom-0 bursar-run-notes">{r.notes}</p> : null}
										</td>
										<td class="govuk-table__cell"><StatusTag status={r.status} /></td>
										<td class="govuk-table__cell">{r.scenario_name} <span class="bursar-secondary">v{r.scenario_version}</span></td>
										<td class="govuk-table__cell">{r.base_year}</td>
										<td class="govuk-table__cell govuk-table__cell--numeric">{r.horizon} years</td>
										<td class="govuk-table__cell">{humanise(r.run_by_role)}</td>
										<td class="govuk-table__cell">{formatDateTime(r.created_at)}</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
					<Pager cursor={cursor} next={list.data.next} />
					<button type="submit" class="govuk-button govuk-button--secondary">Compare chosen runs</button>
				</form>
			))}
		</Page>
	);
}
