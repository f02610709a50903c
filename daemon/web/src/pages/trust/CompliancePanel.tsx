// CompliancePanel.tsx - the procurement check as the API computed it (a saved
// contract's `compliance`, or POST /api/v1/contracts/compliance-check for the
// form being filled in): compliant or not, the estimated value, the band with
// its route and approver, the statutory threshold, what is missing, warnings.
import type { Schemas } from '../../api/types';
import { humanise } from '../../components/format';
import { Money } from '../../components/Money';

export type Compliance = Schemas['Compliance'];

function Row({ k, v }: { k: string; v: preact.ComponentChildren }) {
	return (
		<div class="govuk-summary-list__row">
			<dt class="govuk-summary-list__key">{k}</dt>
			<dd class="govuk-summary-list__value">{v}</dd>
		</div>
	);
}

const APPROVERS: Record<string, string> = { business_manager: 'The business manager', finance_director: 'The finance director', board: 'The board (minute reference needed)' };

export function CompliancePanel({ c, heading = 'Procurement check', live = false }: { c: Compliance; heading?: string; live?: boolean }) {
	const band = c.band;
	return (
		<section class="bursar-compliance" aria-labelledby="compliance-heading" id="compliance">
			<h2 class="govuk-heading-m" id="compliance-heading">{heading}</h2>
			<p class="govuk-body" role={live ? 'status' : undefined} id="compliance-verdict">
				{c.compliant
					? <strong class="govuk-tag govuk-tag--green">Meets the rules</strong>
					: <strong class="govuk-tag govuk-tag--red">Does not meet the rules</strong>}
				{' '}Estimated value <Money pence={c.estimated_value_pence} /> over {c.valued_months} months
			</p>
			<dl class="govuk-summary-list govuk-summary-list--no-border">
				<Row k="Band" v={band
					? <span id="compliance-band"><Money pence={band.from_pence} whole /> to {band.to_pence === null ? 'no limit' : <Money pence={band.to_pence} whole />}: {humanise(band.route)}</span>
					: 'No band covers this value'} />
				<Row k="Routes that meet it" v={c.routes_allowed.length > 0 ? c.routes_allowed.map(humanise).join(', ') : 'None'} />
				<Row k="Approved by" v={APPROVERS[c.approver] ?? humanise(c.approver)} />
				<Row k="Statutory threshold" v={c.threshold
					? <span id="compliance-threshold"><Money pence={c.threshold.pence} /> ({c.threshold.regime === 'PA2023' ? 'Procurement Act 2023' : 'Public Contracts Regulations 2015'}): {c.above_threshold ? 'at or above it' : 'below it'}</span>
					: 'None applies'} />
				<Row k="Route" v={c.route_ok ? 'Meets the band and threshold' : 'Does not meet them'} />
				<Row k="Evidence" v={c.evidence_ok ? 'Complete' : 'Incomplete'} />
			</dl>
			{c.missing.length > 0 && (
				<>
					<h3 class="govuk-heading-s">Missing</h3>
					<ul class="govuk-list govuk-list--bullet" id="compliance-missing">
						{c.missing.map((m) => <li key={m.item} data-item={m.item}>{m.message}</li>)}
					</ul>
				</>
			)}
			{c.warnings.length > 0 && (
				<>
					<h3 class="govuk-heading-s">Warnings</h3>
					<ul class="govuk-list govuk-list--bullet" id="compliance-warnings">
						{c.warnings.map((w) => <li key={w.code + w.message} data-code={w.code}>{w.message}</li>)}
					</ul>
				</>
			)}
		</section>
	);
}
