// months.ts - the months and academic years of issue 17's pages as the API writes
// them: a month "2026-11" (its academic year is 2026-27 when it falls from
// September 2026 to August 2027), a year "2026-27". Text only: no arithmetic
// on figures here.
const NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November',
	'December'];

/* "2026-11" -> "November 2026" (anything else as it is) */
export function monthName(m: string): string {
	const r = /^(\d{4})-(\d{2})$/.exec(m);
	const n = r ? Number(r[2]) : 0;
	return r && n >= 1 && n <= 12 ? `${NAMES[n - 1]} ${r[1]}` : m;
}

/* "2026-11" -> "Nov" */
export function monthShort(m: string): string {
	return monthName(m).slice(0, 3);
}

/* the academic year "2026-27" of a date (the browser's today by default) */
export function academicYearOf(d: Date = new Date()): string {
	const y = d.getFullYear() - (d.getMonth() < 8 ? 1 : 0);
	return `${y}-${String((y + 1) % 100).padStart(2, '0')}`;
}

/* "2026-27" shifted by n years: "2025-26" for -1 */
export function shiftYear(year: string, n: number): string {
	const y = Number(year.slice(0, 4)) + n;
	return `${y}-${String((y + 1) % 100).padStart(2, '0')}`;
}

/* the twelve months of an academic year, September first */
export function yearMonths(year: string): string[] {
	const y = Number(year.slice(0, 4));
	return Array.from({ length: 12 }, (_, i) => {
		const cy = i < 4 ? y : y + 1;
		return `${cy}-${String(((i + 8) % 12) + 1).padStart(2, '0')}`;
	});
}

/* the query of the page's address */
export function queryParam(name: string): string | null {
	return new URLSearchParams(globalThis.location?.search ?? '').get(name);
}

/* the academic year "2026-27" of a month "2026-11" (September to August) */
export function yearOfMonth(m: string): string {
	const y = Number(m.slice(0, 4)) - (Number(m.slice(5, 7)) >= 9 ? 0 : 1);
	return `${y}-${String((y + 1) % 100).padStart(2, '0')}`;
}
