// pounds.ts - what a person types as an amount, read exactly: "1,234.56",
// "£1234.5", "-12" become integer pence (and a percentage "3.25" becomes 325
// basis points) by cutting the text into digits, never through a float. A
// value that is not such a number is refused with a sentence to show by the field.

export type Parsed = { ok: true; value: number } | { ok: false; message: string };

const NUMBER = /^(-)?(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d{1,2}))?$/;

/* "1,234.56" -> 123456: hundredths of the unit, exactly. what names it in the message. */
export function parseHundredths(text: string, what: string, { allowNegative = false, currency = false } = {}): Parsed {
	let t = text.trim().replace(/\s+/g, '');
	if (currency)
		t = t.replace(/^(-?)£/, '$1');
	if (t === '')
		return { ok: false, message: `Enter ${what}` };
	const m = NUMBER.exec(t);
	if (m === null || (m[2] === undefined && m[3] === undefined)) {
		if (/\.\d{3,}$/.test(t))
			return { ok: false, message: `${cap(what)} must have no more than 2 decimal places` };
		return { ok: false, message: `${cap(what)} must be a number, like 1,234.56` };
	}
	if (m[1] !== undefined && !allowNegative)
		return { ok: false, message: `${cap(what)} must not be negative` };
	const whole = (m[2] ?? '0').replace(/,/g, '');
	const frac = (m[3] ?? '').padEnd(2, '0');
	const v = BigInt(whole) * 100n + BigInt(frac);
	const signed = m[1] !== undefined ? -v : v;
	if (signed > BigInt(Number.MAX_SAFE_INTEGER) || signed < -BigInt(Number.MAX_SAFE_INTEGER))
		return { ok: false, message: `${cap(what)} is too large` };
	return { ok: true, value: Number(signed) };
}

/* Pounds as typed ("£1,234.56") to pence. */
export function parsePounds(text: string, what = 'an amount', allowNegative = false): Parsed {
	return parseHundredths(text, what, { allowNegative, currency: true });
}

/* Pence back to what the field shows: 123456 -> "1234.56". */
export function penceToInput(pence: number): string {
	const digits = Math.abs(pence).toString().padStart(3, '0');
	return `${pence < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/* A percentage as typed ("3.25") to basis points (325). */
export function parsePercentBp(text: string, what = 'a rate'): Parsed {
	return parseHundredths(text.replace(/%$/, ''), what);
}

/* 325 -> "3.25" */
export function bpToInput(bp: number): string {
	return penceToInput(bp).replace(/\.00$/, '');
}

function cap(s: string): string {
	const t = s.replace(/^(an?|the) /, '');
	return t.charAt(0).toUpperCase() + t.slice(1);
}
