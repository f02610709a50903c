// indices.test.mjs - the index history page in Chromium: the finance director
// finds it from the scenarios, reads the seeded indices as the API holds them,
// and edits an index's values by year (a year changed, one added with a
// negative rate and a note, one removed; her error and the API's on their
// rows first), saved with If-Match; a stale version saves nothing. An auditor
// and a business manager read the page with no button to change it. axe-core
// on every page, a screenshot of each, no CSP violation or script error.
//
// Its own index (web_ix, used by no contract, so no price elsewhere moves);
// the seeded ones are read, never changed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { apiFetch, Bursard, checked, launchBrowser, signedIn } from './harness.mjs';

let d;
let browser;
const NAME = 'web_ix';

const api = (method, p, body, headers = {}, role = 'finance_director') => apiFetch(d, method, p, body, headers, role);

/* bp as the page shows them (components/hundredths formatBp) */
function pct(bp) {
	const digits = Math.abs(bp).toString().padStart(3, '0');
	const s = `${bp < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`.replace(/\.?0+$/, '');
	return `${s === '-0' ? '0' : s}%`;
}

const signIn = (role) => signedIn(browser, d, role);

before(async () => {
	d = await new Bursard('indices').start();
	browser = await launchBrowser();
	// this file's own index, made afresh: {2023-24: 2%, 2024-25: 1.7%}
	const have = await api('GET', `/api/v1/indices/${NAME}`);
	const r = await api('PUT', `/api/v1/indices/${NAME}`,
		{ description: 'A test index', values: { '2023-24': 200, '2024-25': 170 }, notes: { '2024-25': 'September CPI' } },
		have.status === 200 ? { 'If-Match': `"${have.body.version}"` } : {});
	assert.ok(r.status === 201 || r.status === 200, JSON.stringify(r.body));
});
after(async () => {
	await browser?.close();
	assert.equal(await d.stop(), 0);
});

test('the finance director edits an index history by year, with If-Match', async () => {
	const list = (await api('GET', '/api/v1/indices')).body;
	const cpi = list.items.find((i) => i.name === 'cpi');
	assert.ok(cpi, 'the demo trust has cpi');

	const page = await signIn('finance_director');
	await page.goto(`${d.url}/trust/scenarios`);
	await page.getByRole('link', { name: 'Index history' }).click();
	await page.getByRole('heading', { level: 1, name: 'Index history' }).waitFor();
	// the seeded cpi as the API has it
	for (const [year, bp] of Object.entries(cpi.values)) {
		const cell = page.locator(`#index-cpi tr[data-year="${year}"] td[data-bp]`);
		assert.equal(await cell.getAttribute('data-bp'), String(bp));
		assert.equal((await cell.textContent()).trim(), pct(bp));
	}
	await checked(page, 'indices');

	const section = page.locator(`section[data-index="${NAME}"]`);
	await section.getByRole('button', { name: `Edit ${NAME}` }).click();
	const form = page.locator(`#edit-${NAME}`);
	await form.waitFor();
	await form.getByLabel('Row 2: rate (%)').fill('1.75');
	await form.getByRole('button', { name: 'Add a year' }).click();
	await form.getByLabel('Row 3: year').fill('2025-26');
	await form.getByLabel('Row 3: rate (%)').fill('-0.5.1');
	await form.getByLabel('Row 3: where it came from').fill('Assumed fall');
	await form.getByRole('button', { name: `Save ${NAME}` }).click();
	const mine = form.locator('.govuk-error-summary').getByRole('link', { name: /^Row 3: .*must be a number/ });
	await mine.waitFor();
	await mine.click();
	assert.equal(await page.evaluate(() => document.activeElement?.id), `ix-${NAME}-2-rate`);
	await checked(page, 'indices-error');

	// past the API's limit (1000% = 100000 bp): its 422 on the row's rate
	await form.getByLabel('Row 3: rate (%)').fill('1000.01');
	await form.getByRole('button', { name: `Save ${NAME}` }).click();
	await form.locator('.govuk-error-summary').getByRole('link', { name: /^2025-26 rate:/ }).waitFor();
	assert.match(await form.getByLabel('Row 3: rate (%)').getAttribute('class'), /govuk-input--error/);
	assert.equal((await api('GET', `/api/v1/indices/${NAME}`)).body.values['2025-26'], undefined, 'nothing saved');

	await form.getByLabel('Row 3: rate (%)').fill('-0.5');
	await form.getByRole('button', { name: 'Remove 2023-24' }).click();
	const before1 = (await api('GET', `/api/v1/indices/${NAME}`)).body;
	await form.getByRole('button', { name: `Save ${NAME}` }).click();
	await page.getByText(`${NAME} was saved.`).waitFor();
	const saved = (await api('GET', `/api/v1/indices/${NAME}`)).body;
	assert.deepEqual(saved.values, { '2024-25': 175, '2025-26': -50 });
	assert.deepEqual(saved.notes, { '2024-25': 'September CPI', '2025-26': 'Assumed fall' });
	assert.equal(saved.version, before1.version + 1);
	assert.equal((await section.locator('tr[data-year="2025-26"] td[data-bp]').textContent()).trim(), '-0.5%');
	await checked(page, 'indices-saved');

	// someone else saves in between: hers saves nothing and she is told
	await section.getByRole('button', { name: `Edit ${NAME}` }).click();
	const other = await api('PUT', `/api/v1/indices/${NAME}`, { description: 'changed elsewhere', values: saved.values, notes: saved.notes },
		{ 'If-Match': `"${saved.version}"` });
	assert.equal(other.status, 200, JSON.stringify(other.body));
	await form.getByLabel('Row 1: rate (%)').fill('9');
	await form.getByRole('button', { name: `Save ${NAME}` }).click();
	await form.locator('.govuk-error-summary').getByText(`Someone else changed ${NAME} after you opened it, so nothing was saved.`, { exact: false }).waitFor();
	assert.equal((await api('GET', `/api/v1/indices/${NAME}`)).body.values['2024-25'], 175);
	// the seeded indices untouched
	assert.deepEqual((await api('GET', '/api/v1/indices/cpi')).body.values, cpi.values);
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

for (const role of ['auditor', 'business_manager']) {
	test(`${role === 'auditor' ? 'an auditor' : 'a business manager'} reads the index history with no button to change it`, async () => {
		const page = await signIn(role);
		await page.goto(`${d.url}/trust/scenarios/indices`);
		await page.getByRole('heading', { level: 1, name: 'Index history' }).waitFor();
		await page.locator('#index-cpi').waitFor();
		await page.locator(`section[data-index="${NAME}"]`).waitFor();
		assert.equal(await page.getByRole('button', { name: /^Edit / }).count(), 0);
		await checked(page, `indices-${role}`);
		assert.deepEqual(page.problems, []);
		await page.context().close();
	});
}
