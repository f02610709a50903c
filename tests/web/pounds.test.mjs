// pounds.test.mjs - the web app's one reader of typed amounts
// (daemon/web/src/components/pounds.ts), compiled by the app's own esbuild:
// pounds to integer pence and per cent to basis points by string handling,
// exact at every size a contract or budget has, with a message for anything else.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { importComponent } from './component.mjs';

const m = await importComponent('components/pounds.ts');

test('pounds as people type them become exact pence', () => {
	const cases = {
		'0': 0, '1': 100, '1.5': 150, '1.05': 105, '.5': 50, '1,234.56': 123456, '£1,234.56': 123456, ' 12 345.67 ': 1234567,
		'207,720.00': 20772000, '207719.99': 20771999, '1,000,000,000.00': 100000000000,
		'0.1': 10, '0.29': 29, '1.13': 113, '4.35': 435, '90071992547409.91': 9007199254740991,
	};
	for (const [text, pence] of Object.entries(cases))
		assert.deepEqual(m.parsePounds(text), { ok: true, value: pence }, text);
	assert.deepEqual(m.parsePounds('-12.50', 'a credit', true), { ok: true, value: -1250 });
	assert.deepEqual(m.parsePounds('-£3', 'a credit', true), { ok: true, value: -300 });
});

test('anything else is refused with a sentence for the field', () => {
	for (const text of ['', '  ', 'abc', '1.2.3', '12,34', '1,2345', '£', '1e5', '0x10', '1.', '--1', 'NaN', 'Infinity'])
		assert.equal(m.parsePounds(text, 'the annual value').ok, false, text);
	assert.equal(m.parsePounds('', 'the annual value').message, 'Enter the annual value');
	assert.equal(m.parsePounds('12.345', 'the annual value').message, 'Annual value must have no more than 2 decimal places');
	assert.equal(m.parsePounds('-1', 'the annual value').message, 'Annual value must not be negative');
	assert.equal(m.parsePounds('90071992547409.92').ok, false, 'beyond 2^53 - 1 pence');
});

test('per cent to basis points, and both back to what a field shows', () => {
	assert.deepEqual(m.parsePercentBp('3'), { ok: true, value: 300 });
	assert.deepEqual(m.parsePercentBp('3.25%'), { ok: true, value: 325 });
	assert.deepEqual(m.parsePercentBp('0.01'), { ok: true, value: 1 });
	assert.equal(m.bpToInput(325), '3.25');
	assert.equal(m.bpToInput(300), '3');
	assert.equal(m.penceToInput(5), '0.05');
	assert.equal(m.penceToInput(-123456), '-1234.56');
	for (const pence of [0, 1, 99, 100, 123456, 20772000, 9007199254740991])
		assert.deepEqual(m.parsePounds(m.penceToInput(pence)), { ok: true, value: pence });
});
