// format.ts - dates and times as the API gives them (RFC 3339, dates YYYY-MM-DD),
// shown the way UK staff write them. Text only: no arithmetic.
const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
	day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/London',
});

/* "2026-11-22" -> "22 Nov 2026" */
export function formatDate(d: string | null | undefined): string {
	if (!d)
		return '–';
	const t = Date.parse(`${d.slice(0, 10)}T00:00:00Z`);
	return Number.isNaN(t) ? d : DATE.format(t);
}

/* "2026-11-22T10:05:28.500318Z" -> "22 Nov 2026, 10:05" (UK time) */
export function formatDateTime(ts: string | null | undefined): string {
	if (!ts)
		return '–';
	const t = Date.parse(ts);
	return Number.isNaN(t) ? ts : DATE_TIME.format(t);
}

/* "business_manager" -> "Business manager" */
export function humanise(s: string): string {
	const t = s.replace(/_/g, ' ');
	return t.charAt(0).toUpperCase() + t.slice(1);
}
