// NotFound.tsx - a path the app does not have.
import { Page } from '../components/Page';

export default function NotFound() {
	return (
		<Page title="Page not found">
			<p class="govuk-body">If you typed the web address, check it is correct.</p>
			<p class="govuk-body"><a class="govuk-link" href="/">Go to your start page</a></p>
		</Page>
	);
}
