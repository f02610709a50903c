// Account.tsx - who is signed in: name, email, role and schools (from /me).
import { ROLE_NAMES } from '../api/session';
import { Page } from '../components/Page';
import { useMe } from '../components/session';

export default function Account() {
	const me = useMe();
	return (
		<Page title="Your account">
			<dl class="govuk-summary-list">
				<div class="govuk-summary-list__row">
					<dt class="govuk-summary-list__key">Name</dt><dd class="govuk-summary-list__value">{me.name}</dd>
				</div>
				{me.email !== null && (
					<div class="govuk-summary-list__row">
						<dt class="govuk-summary-list__key">Email address</dt><dd class="govuk-summary-list__value">{me.email}</dd>
					</div>
				)}
				<div class="govuk-summary-list__row">
					<dt class="govuk-summary-list__key">Role</dt><dd class="govuk-summary-list__value">{ROLE_NAMES[me.role]}</dd>
				</div>
				<div class="govuk-summary-list__row">
					<dt class="govuk-summary-list__key">Schools</dt>
					<dd class="govuk-summary-list__value">
						{me.schools.length === 0 ? 'The whole trust' : me.schools.map((s) => `${s.name} (${s.urn})`).join(', ')}
					</dd>
				</div>
			</dl>
		</Page>
	);
}
