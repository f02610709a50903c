// school.test.mjs - the business manager's school in Chromium: she signs in,
// sees why the finance director returned her budget, imports a CSV with one bad
// amount and sees the problem on that row (nothing imported), imports the fixed
// file, edits an amount in the grid and sees the API's totals change, meets a
// stale edit (412: "someone else changed this budget"), submits; another
// school's URL is a clear "not your school" page. axe on each state; screenshots.
//
// State: the seeded business manager's school (the first, 159901) and its
// 2026-27 budget, brought back to a draft by the finance director's token at the
// start; the lines end as they began (the seed's), submitted.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { apiFetch, axeCheck, Bursard, gridReady, launchBrowser, newPage, OUT, pounds, screenshot, signInAs } from './harness.mjs';

const URN = '159901';
const OTHER = '159902';
const YEAR = '2026-27';
const REASON = 'Please check the energy line against the new contract.';

let d;
let browser;
const budgetPath = () => `/api/v1/schools/${URN}/budgets/${YEAR}`;

/* The API as the seeded finance director's token sees it (ifMatch: a version). */
const apiJson = (method, p, { body, ifMatch, accept = 'application/json' } = {}) =>
	apiFetch(d, method, p, body, ifMatch === undefined ? {} : { 'If-Match': `"${ifMatch}"` }, 'finance_director', accept);

async function budgetNow() {
	const r = await apiJson('GET', budgetPath());
	assert.equal(r.status, 200, JSON.stringify(r.body));
	return r.body;
}

async function act(action, extra = {}) {
	const b = await budgetNow();
	const r = await apiJson('POST', `${budgetPath()}/transitions`, { body: { action, ...extra }, ifMatch: b.version });
	assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
	return r.body;
}

async function noSeriousAxe(page, what) {
	assert.deepEqual(await axeCheck(page), [], `axe: ${what}`);
}

before(async () => {
	d = await new Bursard('school').start();
	browser = await launchBrowser();
	// the budget back to a draft, then returned with a reason the page must show
	let b = await budgetNow();
	if (b.status === 'approved')
		b = await act('reopen', { reason: 'reset by school.test.mjs' });
	if (b.status === 'submitted')
		b = await act('return', { reason: 'reset by school.test.mjs' });
	await act('submit');
	await act('return', { reason: REASON });
});
after(async () => {
	await browser?.close();
	assert.equal(await d.stop(), 0);
});

test('the business manager imports, fixes, edits, meets a stale edit and submits her budget', async () => {
	const page = await newPage(browser);
	try {
		await journey(page);
	} catch (e) {
		await screenshot(page, 'school-failure');
		throw new Error(`${e.message}\nat ${page.url()}; browser problems: ${page.problems.join('; ')}`, { cause: e });
	}
	assert.deepEqual(page.problems, [], 'no CSP violation or script error');
	await page.context().close();
});

async function journey(page) {
	await page.goto(`${d.url}/sign-in`);
	const t0 = Date.now();
	await signInAs(page, d, 'business_manager');
	await page.getByRole('heading', { level: 2, name: /Budget 2026-27/ }).waitFor();
	assert.match(page.url(), new RegExp(`/schools/${URN}$`));
	await gridReady(page);
	const t1 = Date.now();
	// measured, never asserted: signing in to an editable grid (first visit: the grid's chunk
	// is fetched), and opening the school's page again (cached chunks)
	await page.goto(`${d.url}/schools/${URN}`);
	await gridReady(page);
	fs.writeFileSync(path.join(OUT, 'grid-time.json'), JSON.stringify({
		page: `/schools/${URN}`, lines: await page.locator('.tabulator-row').count(),
		signin_to_grid_ms: t1 - t0, open_to_grid_ms: Date.now() - t1,
	}, null, 1));

	// returned: the reason, prominently
	const returned = page.getByRole('region', { name: 'Returned by the finance director' });
	assert.match(await returned.innerText(), new RegExp(REASON.replace(/\./g, '\\.')));
	assert.match(await page.locator('h2 .govuk-tag').innerText(), /Draft/);
	await noSeriousAxe(page, 'returned draft');
	await screenshot(page, 'school-returned');

	// the file as the API exports it, and the same with one bad amount in row 4
	const good = (await apiJson('GET', budgetPath(), { accept: 'text/csv' })).body;
	const rows = good.split('\r\n');
	assert.equal(rows[0], 'code,account,kind,description,amount,driver,excluded_from_central,computed,profile');
	// the amount is the fifth of nine fields; the account and description before it may be
	// quoted (with commas), the driver, the two flags and the profile after it never are
	const amount = /,(-?\d+\.\d{2}),([a-z_]*),(yes)?,(yes)?,([a-z0-9_ ]*)$/;
	assert.match(rows[3], amount, 'row 4 ends with its amount, driver, flags and profile');
	const bad = [...rows.slice(0, 3), rows[3].replace(amount, ',12.345,$2,$3,$4,$5'), ...rows.slice(4)].join('\r\n');
	const before = await budgetNow();

	await page.locator('#import-file').setInputFiles({ name: 'budget-bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
	const summary = page.locator('.govuk-error-summary');
	await summary.waitFor();
	const link = summary.getByRole('link', { name: /Row 4, amount/ });
	assert.equal(await link.getAttribute('href'), '#import-row-4');
	assert.match(await page.locator('#import-row-4').innerText(), /more than two decimals/);
	assert.match(await page.getByRole('heading', { name: 'Nothing was imported from budget-bad.csv' }).innerText(), /Nothing/);
	await link.click();
	assert.equal(await page.evaluate(() => document.activeElement?.id), 'import-row-4');
	assert.equal((await budgetNow()).version, before.version, 'nothing was imported');
	await noSeriousAxe(page, 'refused import');
	await screenshot(page, 'school-import-refused');

	// the fixed file (the export as it was): imported, and the page says it changed nothing
	await page.locator('#import-file').setInputFiles({ name: 'budget.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
	await page.getByText('budget.csv is the budget as it is: nothing changed.').waitFor();
	await gridReady(page);
	assert.equal(await page.locator('.govuk-error-summary').count(), 0);
	let now = await budgetNow();
	// the file as exported is the budget as it is: importing it changes nothing (no new version)
	assert.equal(now.version, before.version);
	assert.equal(await page.locator('#total-expenditure').innerText(), pounds(now.totals.expenditure_pence));
	await noSeriousAxe(page, 'imported');

	// an edit in the grid: line 2's amount up by £100; the totals are the API's after saving
	const line = 1;
	const original = now.lines[line];
	const cell = () => page.locator('.tabulator-row').nth(line).locator('.tabulator-cell[tabulator-field="amount"]');
	const edit = async (pence) => {
		await cell().click();
		const input = cell().locator('input');
		await input.fill(pounds(pence).replace('£', ''));
		await input.press('Enter');
	};
	const delta = original.kind === 'income' ? 10000 : 10000;
	await edit(original.amount_pence + delta);
	await page.getByText('You have unsaved changes.').waitFor();
	await page.getByRole('button', { name: 'Save changes' }).click();
	await page.getByText('Your changes are saved.').waitFor();
	await gridReady(page);
	now = await budgetNow();
	assert.equal(now.lines[line].amount_pence, original.amount_pence + delta);
	const field = original.kind === 'income' ? 'income_pence' : 'expenditure_pence';
	const shown = original.kind === 'income' ? '#total-income' : '#total-expenditure';
	assert.equal(now.totals[field], before.totals[field] + delta);
	assert.equal(await page.locator(shown).innerText(), pounds(now.totals[field]));
	await screenshot(page, 'school-saved');

	// a stale edit: someone else writes meanwhile; nothing is overwritten
	await edit(original.amount_pence);
	const theirs = await apiJson('PUT', `${budgetPath()}/lines/${now.lines[0].id}`, {
		body: { account_code: now.lines[0].account_code, description: now.lines[0].description,
			amount_pence: now.lines[0].amount_pence },
		ifMatch: now.version,
	});
	assert.equal(theirs.status, 200, JSON.stringify(theirs.body));
	await page.getByRole('button', { name: 'Save changes' }).click();
	const stale = page.getByRole('alert').filter({ hasText: 'Someone else changed this budget' });
	await stale.waitFor();
	assert.equal((await budgetNow()).lines[line].amount_pence, original.amount_pence + delta, 'not overwritten');
	await noSeriousAxe(page, 'stale');
	await screenshot(page, 'school-stale');
	await stale.getByRole('button', { name: 'Reload the budget' }).click();
	await gridReady(page);
	assert.equal(await stale.count(), 0);

	// back to the seed's amount, then submit
	await edit(original.amount_pence);
	await page.getByRole('button', { name: 'Save changes' }).click();
	await page.getByText('Your changes are saved.').waitFor();
	await gridReady(page);
	now = await budgetNow();
	assert.equal(now.totals[field], before.totals[field]);
	assert.equal(await page.locator(shown).innerText(), pounds(before.totals[field]));
	await noSeriousAxe(page, 'draft with its grid');
	await screenshot(page, 'school-draft');

	await page.getByRole('button', { name: 'Submit for approval' }).click();
	await page.getByText('Your budget is submitted').waitFor();
	assert.match(await page.locator('h2 .govuk-tag').innerText(), /Submitted/);
	assert.equal((await budgetNow()).status, 'submitted');
	assert.equal(await page.getByRole('button', { name: 'Save changes' }).count(), 0, 'read-only once submitted');
	assert.equal(await page.locator('#import-file').count(), 0);
	await noSeriousAxe(page, 'submitted');
	await screenshot(page, 'school-submitted');

	// the shared services and what the school pays, as the API gives them
	const services = await apiJson('GET', `/api/v1/schools/${URN}/services?year=${YEAR}&limit=1000`);
	assert.equal(await page.locator('#services-recharged').innerText(), pounds(services.body.total_recharged_pence));

	// another school's URL
	await page.goto(`${d.url}/schools/${OTHER}`);
	await page.getByRole('heading', { level: 1, name: 'This is not your school' }).waitFor();
	await noSeriousAxe(page, 'not your school');
	await screenshot(page, 'school-not-yours');
}
