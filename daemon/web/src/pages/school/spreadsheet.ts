// spreadsheet.ts - a refused CSV file's rows, shown beside the API's errors on
// them. The API reads and writes every spreadsheet itself (CSV in UTF-8 or
// Windows-1252, XLSX): files go to it as they are, and nothing here converts or
// judges one.

export type Cell = string;
export type Rows = Cell[][];

/* A CSV file's text as the API will read it: UTF-8 (a BOM dropped), or
 * Windows-1252 when the bytes are not UTF-8 (Excel's "CSV (Comma delimited)"). */
export function decodeCsv(bytes: ArrayBuffer): string {
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		return new TextDecoder('windows-1252').decode(bytes);
	}
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
