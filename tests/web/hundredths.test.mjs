// hundredths.test.mjs - components/hundredths.ts (basis points shown as
// percentages by string handling alone), compiled by the app's own esbuild and
// run here: no browser, no daemon.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { importComponent } from './component.mjs';

const { formatBp, hundredthsToDecimal } = await importComponent('components/hundredths.ts');

test('hundredths are shown by cutting digits', () => {
	assert.equal(hundredthsToDecimal(250), '2.50');
	assert.equal(hundredthsToDecimal(-5), '-0.05');
	assert.equal(hundredthsToDecimal(0), '0.00');
	assert.equal(hundredthsToDecimal(9007199254740991), '90071992547409.91');
	assert.throws(() => hundredthsToDecimal(0.5));
	assert.equal(formatBp(250), '2.5%');
	assert.equal(formatBp(155), '1.55%');
	assert.equal(formatBp(1000), '10%');
	assert.equal(formatBp(-10000), '-100%');
	assert.equal(formatBp(0), '0%');
	assert.equal(formatBp(-1), '-0.01%');
	assert.equal(formatBp(null), '–');
});
