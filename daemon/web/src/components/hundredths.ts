// hundredths.ts - numbers the API keeps as integers of hundredths shown with
// their decimals: basis points as percentages (250 bp = "2.5%"). String
// handling only (no floating point): the digits are cut, never divided. What a
// person types is read by pounds.ts.

/* 250 -> "2.50", -5 -> "-0.05"; throws on anything but a safe integer. */
export function hundredthsToDecimal(n: number): string {
	if (!Number.isSafeInteger(n))
		throw new RangeError(`not an integer: ${n}`);
	const digits = Math.abs(n).toString().padStart(3, '0');
	return `${n < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/* Basis points as a percentage: 250 -> "2.5%", 410 -> "4.1%", 1000 -> "10%",
 * 155 -> "1.55%" (trailing zeros of the decimals dropped). */
export function formatBp(bp: number | null | undefined): string {
	if (bp === null || bp === undefined)
		return '–';
	const s = hundredthsToDecimal(bp).replace(/\.?0+$/, '');
	return `${s === '-0' ? '0' : s}%`;
}
