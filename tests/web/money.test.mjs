// money.test.mjs - the app's money formatting (src/components/Money.tsx), bundled
// by esbuild as the build does and run in node: amounts are cut from the decimal
// digits of integer pence, exact up to 2^53 - 1, never divided in floating point.
import assert from 'node:assert/strict';
import path from 'node:path';
import { before, test } from 'node:test';

import { importComponent, WEB } from './component.mjs';

let money;

before(async () => {
	money = await importComponent('components/Money.tsx', {
		platform: 'node', logLevel: 'warning', jsx: 'automatic', jsxImportSource: 'preact', nodePaths: [path.join(WEB, 'node_modules')],
	});
});

test('pence to a decimal string: exact, signed, padded', () => {
	const { penceToDecimal } = money;
	assert.equal(penceToDecimal(0), '0.00');
	assert.equal(penceToDecimal(5), '0.05');
	assert.equal(penceToDecimal(-5), '-0.05');
	assert.equal(penceToDecimal(100), '1.00');
	assert.equal(penceToDecimal(-123456789), '-1234567.89');
	assert.equal(penceToDecimal(Number.MAX_SAFE_INTEGER), '90071992547409.91');
	assert.equal(penceToDecimal(-Number.MAX_SAFE_INTEGER), '-90071992547409.91');
	for (const bad of [0.5, Number.MAX_SAFE_INTEGER + 1, NaN, Infinity])
		assert.throws(() => penceToDecimal(bad), RangeError);
});

test('pounds as UK staff read them, the pence exact where a float would not be', () => {
	const { formatPence } = money;
	assert.equal(formatPence(0), '£0.00');
	assert.equal(formatPence(532539200), '£5,325,392.00');
	assert.equal(formatPence(-11800000), '-£118,000.00');
	assert.equal(formatPence(1), '£0.01');
	// 2^53 - 1 pence: dividing by 100 in floating point gives ...409.9 or worse; the digits do not
	assert.equal(formatPence(Number.MAX_SAFE_INTEGER), '£90,071,992,547,409.91');
	// whole pounds: rounded half away from zero, from the exact decimal
	assert.equal(formatPence(50, true), '£1');
	assert.equal(formatPence(49, true), '£0');
	assert.equal(formatPence(-50, true), '-£1');
	assert.equal(formatPence(123456789, true), '£1,234,568');
});
