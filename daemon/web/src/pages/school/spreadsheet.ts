// spreadsheet.ts - files in and out of the budget page. The API reads and writes
// CSV itself (code, description, amount, driver, excluded_from_central); XLSX is
// converted here, in the browser, to and from that form, so the API stays the
// one place that validates a spreadsheet.
//
// XLSX goes through read-excel-file and write-excel-file (loaded only when a
// person imports or exports a workbook). Numbers are read as the text the
// workbook stores ("1234.56"), never through a JavaScript number, so an amount
// keeps every digit it was saved with and the API judges it.
import { penceToDecimal } from '../../components/Money';
import type { Budget } from './budgetApi';

export type Cell = string;
export type Rows = Cell[][];

/* One CSV field, quoted when it must be (RFC 4180). */
function csvField(v: string): string {
	return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function rowsToCsv(rows: Rows): string {
	return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/* The records of a CSV file, for showing a file's rows beside the API's
 * errors (the API is what reads it for real). Row i is the spreadsheet's row
 * i + 1, as the API numbers them. */
export function csvRows(text: string): Rows {
	const rows: Rows = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	const s = text.startsWith('\uFEFF') ? text.slice(1) : text;
	for (let i = 0; i < s.length; i++) {
		const c = s[i] as string;
		if (quoted) {
			if (c === '"' && s[i + 1] === '"') {
				field += '"';
				i++;
			} else if (c === '"') {
				quoted = false;
			} else {
				field += c;
			}
		} else if (c === '"') {
			quoted = true;
		} else if (c === ',') {
			row.push(field);
			field = '';
		} else if (c === '\r' || c === '\n') {
			if (c === '\r' && s[i + 1] === '\n')
				i++;
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
		} else {
			field += c;
		}
	}
	if (field !== '' || row.length > 0) {
		row.push(field);
		rows.push(row);
	}
	return rows;
}

function cellText(v: unknown): string {
	if (v === null || v === undefined)
		return '';
	if (typeof v === 'boolean')
		return v ? 'yes' : 'no';
	if (v instanceof Date)
		return v.toISOString().slice(0, 10);
	return String(v);
}

/* The first sheet of a workbook as rows of text (row i is the sheet's row i + 1). */
export async function xlsxRows(file: Blob): Promise<Rows> {
	const { readSheet } = await import('read-excel-file/universal');
	const data = await readSheet(file, { parseNumber: (s: string) => s });
	return data.map((r) => r.map(cellText));
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/* The budget as a workbook with the columns the import reads back. Amounts are
 * number cells (formatted 1,234.56) made from the API's pence cut to pounds as
 * text: Number("1234.56") only reads that text, no arithmetic. */
export async function budgetXlsx(budget: Budget): Promise<Blob> {
	const { default: writeXlsxFile } = await import('write-excel-file/universal');
	const header = ['code', 'description', 'amount', 'driver', 'excluded_from_central']
		.map((value) => ({ value, fontWeight: 'bold' as const }));
	const rows = budget.lines.map((l) => [
		{ value: l.account_code },
		{ value: l.description },
		{ value: Number(penceToDecimal(l.amount_pence)), format: '#,##0.00' },
		{ value: l.driver ?? '' },
		{ value: l.excluded_from_central ? 'yes' : 'no' },
	]);
	return writeXlsxFile([header, ...rows], {
		sheet: 'Budget',
		columns: [{ width: 10 }, { width: 40 }, { width: 16 }, { width: 16 }, { width: 22 }],
	}).toBlob();
}
