// StaffMeasures.tsx - the ICFP measures of an entity and year as the API gives
// them (GET …/staffing, a budget's staffing_metrics, a forecast year's): FTEs,
// pupil-teacher and pupil-adult ratios, average teacher cost, teaching and
// leadership cost shares, the teacher contact ratio. -1 or null: the API cannot
// say (no teachers, no pupils), shown as a dash. Text only: nothing worked out.
import type { ComponentChildren } from 'preact';

import { formatBp, hundredthsToDecimal } from '../../components/hundredths';
import { Money } from '../../components/Money';
import type { Metrics } from './staffApi';

const h = (n: number | null | undefined) => (n === null || n === undefined || n < 0 ? '–' : hundredthsToDecimal(n));
const bp = (n: number | null | undefined) => (n === null || n === undefined || n < 0 ? '–' : formatBp(n));

/* The measures as label and text, in the order they are shown. */
export function measureRows(m: Metrics): [string, string, ComponentChildren][] {
	return [
		['teacher_fte', 'Teachers (FTE)', h(m.teacher_fte_h)],
		['adult_fte', 'Teachers and teaching assistants (FTE)', h(m.adult_fte_h)],
		['pupils', 'Pupils', m.pupils === null || m.pupils < 0 ? '–' : String(m.pupils)],
		['ptr', 'Pupil–teacher ratio', h(m.pupil_teacher_ratio_h)],
		['par', 'Pupil–adult ratio', h(m.pupil_adult_ratio_h)],
		['atc', 'Average teacher cost', m.average_teacher_cost_pence === null || m.average_teacher_cost_pence < 0 ? '–' : <Money pence={m.average_teacher_cost_pence} whole />],
		['teaching', 'Teaching staff, % of expenditure', bp(m.teaching_cost_bp)],
		['leadership', 'Leadership, % of staff costs', bp(m.leadership_cost_bp)],
		['contact', 'Teacher contact ratio', bp(m.contact_ratio_bp)],
	];
}

/* The ICFP measures (the API's; -1 or null when it cannot say). */
export function Measures({ metrics, caption = 'Integrated curriculum and financial planning measures', id = 'staff-measures' }: { metrics: Metrics | null | undefined; caption?: string; id?: string }) {
	if (metrics === null || metrics === undefined)
		return null;
	const rows = measureRows(metrics);
	return (
		<>
			<h2 class="govuk-heading-m">{caption}</h2>
			<dl class="govuk-summary-list" id={id}>
				{rows.map(([k, label, v]) => (
					<div class="govuk-summary-list__row" key={k} data-measure={k}>
						<dt class="govuk-summary-list__key">{label}</dt><dd class="govuk-summary-list__value bursar-num">{v}</dd>
					</div>
				))}
			</dl>
		</>
	);
}

