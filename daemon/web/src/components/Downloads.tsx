// Downloads.tsx - "Download XLSX" and "Download CSV" (GOV.UK secondary buttons)
// for a table the API exports by Accept (README "Spreadsheet exports"): `path`
// is the API address with the page's query (filters, sort, year), `name` the
// file name without extension used only when the API gives none, `what` ends
// each button's accessible name ("Download XLSX of <what>"). A refused download
// shows as an error summary above the buttons. Extra children (a link) join the
// button group.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

import { describeError } from '../api/problem';
import { CSV_TYPE, downloadFile, XLSX_TYPE } from './download';
import { ErrorSummary } from './ErrorSummary';

interface Props {
	path: string;
	name: string;
	what: string;
	children?: ComponentChildren;
}

export function Downloads({ path, name, what, children }: Props) {
	const [error, setError] = useState<string | null>(null);
	const get = (accept: string, ext: string) => async () => {
		setError(null);
		try {
			await downloadFile(path, accept, `${name}.${ext}`);
		} catch (e) {
			setError(describeError(e));
		}
	};
	return (
		<>
			{error && <ErrorSummary errors={[{ text: error }]} />}
			<div class="govuk-button-group">
				<button type="button" class="govuk-button govuk-button--secondary" onClick={get(XLSX_TYPE, 'xlsx')}>
					Download XLSX<span class="govuk-visually-hidden"> of {what}</span></button>
				<button type="button" class="govuk-button govuk-button--secondary" onClick={get(CSV_TYPE, 'csv')}>
					Download CSV<span class="govuk-visually-hidden"> of {what}</span></button>
				{children}
			</div>
		</>
	);
}
