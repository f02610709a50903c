// Money.tsx - amounts as the API gives them, in integer pence, shown in pounds.
// The pounds are cut from the decimal digits of the integer (never pence / 100
// in floating point) and formatted by Intl.NumberFormat from that exact string.
const GBP = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });
const GBP_WHOLE = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0, roundingMode: 'halfExpand' } as Intl.NumberFormatOptions);

/* "1234567" -> "12345.67" (sign kept); throws on anything but a safe integer. */
export function penceToDecimal(pence: number): `${number}` {
	if (!Number.isSafeInteger(pence))
		throw new RangeError(`not an amount in pence: ${pence}`);
	const digits = Math.abs(pence).toString().padStart(3, '0');
	const sign = pence < 0 ? '-' : '';
	return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}` as `${number}`;
}

/* £12,345.67 (whole: £12,346, rounded half away from zero by Intl) */
export function formatPence(pence: number, whole = false): string {
	return (whole ? GBP_WHOLE : GBP).format(penceToDecimal(pence));
}

interface Props {
	pence: number | null | undefined;
	whole?: boolean;
}

/* An amount, red when negative; "–" when there is none. */
export function Money({ pence, whole = false }: Props) {
	if (pence === null || pence === undefined)
		return <span aria-label="none">–</span>;
	return <span class={pence < 0 ? 'bursar-negative' : undefined}>{formatPence(pence, whole)}</span>;
}
