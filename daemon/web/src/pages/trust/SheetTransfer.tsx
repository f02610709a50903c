// SheetTransfer.tsx - a trust table's spreadsheets (issue 16: pay scales, staff
// rates): download it as XLSX or CSV (GET <path>.xlsx|.csv, the API's bytes)
// and, for the finance director, import a file in the download's layout (POST
// <path>/import, CSV or XLSX as sent; all or nothing). A refused file's
// problems are listed in an error summary linked to its rows, shown as read
// (a CSV's cells; a workbook's rows by number). onImported runs after the API
// took a file, so the page reloads what it shows from the API.
import { useState } from 'preact/hooks';

import { api } from '../../api/client';
import { ApiError, describeError } from '../../api/problem';
import { CSV_TYPE, downloadFile, XLSX_TYPE } from '../../components/download';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { SuccessBanner } from '../../components/FormField';
import { ImportDrop, RefusedFile, type Refused, rowProblems } from '../school/ImportPanel';

type Path = '/api/v1/pay-scales' | '/api/v1/staff-rates';

async function importFile(path: Path, file: File, type: string): Promise<void> {
	const r = await api.POST(`${path}/import` as '/api/v1/pay-scales/import', {
		body: file as never,
		bodySerializer: (b: unknown) => b as string,
		headers: { 'Content-Type': type },
	} as never);
	if (!r.response.ok)
		throw ApiError.from(r.response, r.error);
}

interface Props {
	path: Path;
	what: string;            /* "the pay scales": the buttons' hidden words */
	layout: string;          /* a sentence on the columns */
	hint: string;            /* the import's hint */
	unchanged: string;       /* "The pay scales have not changed" */
	fd: boolean;
	onImported: () => void;
}

export function SheetTransfer({ path, what, layout, hint, unchanged, fd, onImported }: Props) {
	const [errors, setErrors] = useState<SummaryError[]>([]);
	const [refused, setRefused] = useState<Refused | null>(null);
	const [busy, setBusy] = useState(false);
	const [done, setDone] = useState<string | null>(null);
	const base = path.split('/').pop() ?? 'export';

	const download = (ext: 'csv' | 'xlsx') => async () => {
		setErrors([]);
		try {
			await downloadFile(`${path}.${ext}`, ext === 'csv' ? CSV_TYPE : XLSX_TYPE, `${base}.${ext}`);
		} catch (e) {
			setErrors([{ text: describeError(e) }]);
		}
	};
	const take = async (file: File) => {
		setBusy(true);
		setDone(null);
		setRefused(null);
		setErrors([]);
		const xlsx = /\.xlsx$/i.test(file.name) || file.type === XLSX_TYPE;
		let rows: string[][] = [];
		try {
			if (!xlsx) {
				const { csvRows, decodeCsv } = await import('../school/spreadsheet');
				rows = csvRows(decodeCsv(await file.arrayBuffer()));
			}
			await importFile(path, file, xlsx ? XLSX_TYPE : CSV_TYPE);
			setDone(`${file.name} is imported.`);
			onImported();
		} catch (e) {
			if (e instanceof ApiError && (e.status === 422 || e.status === 400)) {
				const problems = rowProblems(e.fieldErrors);
				setRefused({ file: file.name, rows, problems, detail: e.problem.detail });
				setErrors(problems.length > 0
					? problems.map((p) => ({
						text: `${p.row !== null ? `Row ${p.row}` : file.name}${p.column ? `, ${p.column}` : ''}: ${p.message}`,
						...(p.row !== null ? { href: `#import-row-${p.row}` } : {}),
					}))
					: [{ text: `${file.name}: ${e.problem.detail}` }]);
			} else {
				setErrors([{ text: describeError(e) }]);
			}
		} finally {
			setBusy(false);
		}
	};
	return (
		<section aria-labelledby={`${base}-sheets`}>
			<h2 class="govuk-heading-m" id={`${base}-sheets`}>Spreadsheets</h2>
			<ErrorSummary errors={errors} />
			{done && <SuccessBanner title="Done"><p class="govuk-notification-banner__heading">{done}</p></SuccessBanner>}
			<p class="govuk-body">{layout}</p>
			<div class="govuk-button-group">
				<button type="button" class="govuk-button govuk-button--secondary" onClick={download('xlsx')}>
					Download XLSX<span class="govuk-visually-hidden"> of {what}</span></button>
				<button type="button" class="govuk-button govuk-button--secondary" onClick={download('csv')}>
					Download CSV<span class="govuk-visually-hidden"> of {what}</span></button>
			</div>
			{fd && <ImportDrop disabled={busy} busy={busy} onFile={(f) => { void take(f); }} hint={hint} />}
			{refused && <RefusedFile refused={refused} unchanged={unchanged} />}
		</section>
	);
}
