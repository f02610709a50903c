// ImportPanel.tsx - import a budget from a spreadsheet by dropping it on the
// page or choosing it (a CSV or an XLSX workbook, sent to the API as it is).
// When the API refuses a file, each problem is shown on its row (numbered as the
// spreadsheet numbers them: the header is row 1; a CSV's rows are shown with
// their cells), and nothing has been imported.
import { useState } from 'preact/hooks';

import type { FieldError } from '../../api/problem';
import type { Rows } from './spreadsheet';

export interface RowProblem {
	row: number | null;                 /* the spreadsheet's row, null: the file as a whole */
	column: string | null;
	message: string;
}

/* "row 14, amount" -> {row 14, column amount}; anything else is the file's. */
export function rowProblems(errors: FieldError[]): RowProblem[] {
	return errors.map((e) => {
		const m = /^row (\d+)(?:, (.+))?$/.exec(e.field);
		return m ? { row: Number(m[1]), column: m[2] ?? null, message: e.message }
			: { row: null, column: e.field || null, message: e.message };
	});
}

export interface Refused {
	file: string;
	rows: Rows;
	problems: RowProblem[];
	detail: string;
}

const SHOW_ALL = 300;

/* The refused file's rows with the problems on them (all rows of a small file;
 * the rows with problems and the header of a big one). */
export function RefusedFile({ refused, unchanged = 'Your budget has not changed' }: { refused: Refused; unchanged?: string }) {
	const byRow = new Map<number, RowProblem[]>();
	for (const p of refused.problems)
		if (p.row !== null)
			byRow.set(p.row, [...(byRow.get(p.row) ?? []), p]);
	/* a workbook's cells are not read here: its rows with problems, without them */
	const width = refused.rows.length === 0 ? 0 : Math.max(1, ...refused.rows.map((r) => r.length));
	const shown = refused.rows.length === 0
		? [...byRow.keys()].sort((a, b) => a - b).map((n) => ({ n, cells: [] as string[] }))
		: refused.rows
			.map((cells, i) => ({ n: i + 1, cells }))
			.filter((r) => refused.rows.length <= SHOW_ALL || r.n === 1 || byRow.has(r.n));
	return (
		<div class="bursar-refused">
			<h2 class="govuk-heading-m">Nothing was imported from {refused.file}</h2>
			<p class="govuk-body">
				{unchanged}: bursar imports a file only when every row is right. Fix the rows
				below in your spreadsheet and import it again.
			</p>
			<div class="bursar-scroll" tabIndex={0} role="region" aria-label={`The rows of ${refused.file}`}>
				<table class="govuk-table bursar-refused__table">
					<caption class="govuk-table__caption govuk-table__caption--s">The rows of {refused.file}, as your spreadsheet numbers them</caption>
					<thead class="govuk-table__head">
						<tr class="govuk-table__row">
							<th scope="col" class="govuk-table__header">Row</th>
							<th scope="col" class="govuk-table__header">Problem</th>
							{Array.from({ length: width }, (_, i) => (
								<th scope="col" class="govuk-table__header" key={i}>{String.fromCharCode(65 + (i % 26))}</th>
							))}
						</tr>
					</thead>
					<tbody class="govuk-table__body">
						{shown.map(({ n, cells }) => {
							const problems = byRow.get(n) ?? [];
							return (
								<tr key={n} class={`govuk-table__row${problems.length ? ' bursar-row--error' : ''}`}>
									<th scope="row" class="govuk-table__header">{n}</th>
									<td class="govuk-table__cell">
										{problems.length > 0 && (
											<p class="govuk-error-message" id={`import-row-${n}`} tabIndex={-1}>
												{problems.map((p) => <span key={`${p.column}${p.message}`} class="bursar-block">
													<span class="govuk-visually-hidden">Error: </span>{p.column ? `${p.column}: ` : ''}{p.message}
												</span>)}
											</p>
										)}
									</td>
									{Array.from({ length: width }, (_, i) => <td class="govuk-table__cell" key={i}>{cells[i] ?? ''}</td>)}
								</tr>
							);
						})}
					</tbody>
				</table>
			</div>
		</div>
	);
}

interface DropProps {
	disabled: boolean;
	busy: boolean;
	onFile: (file: File) => void;
	hint?: string;                      /* what the file holds (a budget's by default) */
}

/* GOV.UK's file upload, and the area around it a file may be dropped on. */
export function ImportDrop({ disabled, busy, onFile, hint }: DropProps) {
	const [over, setOver] = useState(false);
	const take = (files: FileList | null | undefined) => {
		const f = files?.[0];
		if (f !== undefined && !disabled)
			onFile(f);
	};
	return (
		<div class={`bursar-drop${over ? ' bursar-drop--over' : ''}`}
			onDragOver={(e) => { e.preventDefault(); if (!disabled) setOver(true); }}
			onDragLeave={() => setOver(false)}
			onDrop={(e) => { e.preventDefault(); setOver(false); take(e.dataTransfer?.files); }}>
			<div class="govuk-form-group govuk-!-margin-bottom-0">
				<label class="govuk-label govuk-label--s" for="import-file">Import a spreadsheet</label>
				<div class="govuk-hint" id="import-file-hint">
					{hint ?? <>Drop a CSV or Excel (.xlsx) file here, or choose one: an export of this page, edited, comes back as
					it is. Its first row names the columns: code, description, amount, and optionally driver and
					excluded_from_central (computed rows are skipped). It replaces every line.</>}
				</div>
				<input class="govuk-file-upload" id="import-file" name="import-file" type="file"
					accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
					aria-describedby="import-file-hint" disabled={disabled}
					onChange={(e) => { const i = e.target as HTMLInputElement; take(i.files); i.value = ''; }} />
			</div>
			{busy && <p class="govuk-body govuk-!-margin-top-2" role="status">Importing…</p>}
		</div>
	);
}
