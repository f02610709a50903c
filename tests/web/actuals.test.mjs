// actuals.test.mjs - the ledger mapping and actuals pages in Chromium (issue 17):
// the finance director keeps the ledger mapping (adds a nominal code, changes it,
// meets a stale edit, deletes it; every row the API's), imports a ledger export
// with unmapped codes (every bad row listed by row and field, nothing written),
// maps the code on the ledger page, imports again (the result's months, entities
// and rows are the API's), closes a month, sees a file for it refused with the
// API's message, and reopens it with a reason. The auditor reads both pages with
// no button to change. axe-core on every page, a screenshot of each.
//
// Its own codes (WB<run>...) and an unused month of 2026-27; whatever it maps,
// imports or closes it removes or reopens.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { apiFetch, Bursard, checked, DIR, launchBrowser, signedIn } from './harness.mjs';

const RUN = Date.now().toString(36).slice(-5).toUpperCase();
const NOM = `WB${RUN}`;
let d;
let browser;

const api = (method, p, body, headers = {}, role = 'finance_director', accept = 'application/json') =>
	apiFetch(d, method, p, body, headers, role, accept);

const signIn = (role) => signedIn(browser, d, role);

before(async () => {
	d = await new Bursard('actuals').start();
	browser = await launchBrowser();
});
after(async () => {
	await browser?.close();
	assert.equal(await d.stop(), 0);
});

test('the finance director keeps the ledger mapping: add, change, a stale edit refused, delete', async () => {
	const page = await signIn('finance_director');
	await page.getByRole('navigation').getByRole('link', { name: 'Ledger mapping' }).click();
	await page.getByRole('heading', { level: 1, name: 'Ledger mapping' }).waitFor();
	await page.getByRole('heading', { level: 2, name: 'Nominal codes' }).waitFor();
	const ccs = (await api('GET', '/api/v1/ledger/cost-centres?limit=1000')).body.items;
	for (const c of ccs)
		assert.equal(await page.locator(`#cost-centres tr[data-code="${c.code}"] td[data-target]`).getAttribute('data-target'), c.urn);
	await checked(page, 'ledger');

	// a new nominal code: her error first (no account), then saved; the row is the API's
	const sec = page.locator('section', { has: page.getByRole('heading', { name: 'Nominal codes' }) });
	await sec.getByRole('button', { name: 'Add a nominal code' }).click();
	const form = page.locator('#nominals-form');
	await form.getByLabel('Code').fill(NOM);
	await form.getByRole('button', { name: 'Save the nominal code' }).click();
	await form.locator('.govuk-error-summary').getByRole('link', { name: /^Account/ }).waitFor();
	await checked(page, 'ledger-error');
	await form.getByLabel('Account').selectOption('E02');
	await form.getByLabel('Description (optional)').fill('Supply (web test)');
	await form.getByRole('button', { name: 'Save the nominal code' }).click();
	await page.getByText(`Nominal code ${NOM} is saved.`).waitFor();
	let mine = await api('GET', `/api/v1/ledger/nominals/${NOM}`);
	assert.equal(mine.status, 200);
	assert.equal(mine.body.account_code, 'E02');
	assert.equal(mine.body.description, 'Supply (web test)');
	await page.locator(`#nominals tr[data-code="${NOM}"] td[data-target="E02"]`).waitFor();

	// a duplicate code: the API's 409 on the code's field
	await sec.getByRole('button', { name: 'Add a nominal code' }).click();
	await form.getByLabel('Code').fill(NOM);
	await form.getByLabel('Account').selectOption('E02');
	await form.getByRole('button', { name: 'Save the nominal code' }).click();
	await form.locator('.govuk-error-summary').waitFor();
	await form.getByRole('button', { name: 'Cancel' }).click();

	// a stale edit: someone else changes it after she opened the form
	await page.getByRole('button', { name: `Change nominal code ${NOM}` }).click();
	await form.getByLabel('Description (optional)').fill('Supply agency');
	const other = await api('PUT', `/api/v1/ledger/nominals/${NOM}`, { account_code: 'E02', description: 'Changed elsewhere' },
		{ 'If-Match': `"${mine.body.version}"` });
	assert.equal(other.status, 200);
	await form.getByRole('button', { name: 'Save the nominal code' }).click();
	await form.getByText(/Someone else changed/).waitFor();
	assert.equal((await api('GET', `/api/v1/ledger/nominals/${NOM}`)).body.description, 'Changed elsewhere', 'the stale edit changed nothing');
	await form.getByRole('button', { name: 'Cancel' }).click();

	// deleted, after she says yes
	await page.reload();
	await page.locator(`#nominals tr[data-code="${NOM}"]`).waitFor();
	await page.getByRole('button', { name: `Delete nominal code ${NOM}` }).click();
	await page.getByRole('button', { name: `Yes, delete nominal code ${NOM}` }).click();
	await page.getByText(`Nominal code ${NOM} is deleted.`).waitFor();
	assert.equal((await api('GET', `/api/v1/ledger/nominals/${NOM}`)).status, 404);
	await page.locator(`#nominals tr[data-code="${NOM}"]`).waitFor({ state: 'detached' });
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('the auditor reads the ledger mapping with nothing to change', async () => {
	const page = await signIn('auditor');
	await page.getByRole('navigation').getByRole('link', { name: 'Ledger mapping' }).click();
	await page.getByRole('heading', { level: 2, name: 'Nominal codes' }).waitFor();
	await page.getByRole('heading', { level: 2, name: 'Cost centres' }).waitFor();
	assert.equal(await page.getByRole('button', { name: /^(Add|Change|Delete)/ }).count(), 0);
	await checked(page, 'ledger-auditor');
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('the finance director imports a ledger export: bad rows listed, mapped, imported, a closed month refused', async () => {
	// her own cost centre for a school, in a year and month nobody else uses (2027-28, August 2028)
	const school = (await api('GET', '/api/v1/schools?limit=200')).body.items[0];
	const cc = `WBCC${RUN}`;
	const nom = `WBN${RUN}`;
	assert.equal((await api('POST', '/api/v1/ledger/cost-centres', { code: cc, urn: school.urn, description: 'web test' })).status, 201);
	const year = '2027-28';
	const month = '2028-08';
	const file = path.join(DIR, `web-ledger-${RUN}.csv`);
	fs.writeFileSync(file, [
		'Nominal Code,Cost Centre,Period,Amount,Description',
		`${nom},${cc},12,1500.00,Agency supply`,
		`${nom},${cc},${month},250.50,Agency supply`,
		`${nom},NOPE${RUN},12,10.00,Unknown cost centre`,
		'',
	].join('\n'));

	const page = await signIn('finance_director');
	await page.getByRole('navigation').getByRole('link', { name: 'Actuals' }).click();
	await page.getByRole('heading', { level: 1, name: 'Actuals' }).waitFor();
	await page.getByLabel('Academic year').selectOption(year);
	await page.locator('#periods tr[data-month="2027-09"]').waitFor();
	const periods = (await api('GET', `/api/v1/periods?year=${year}`)).body.items;
	for (const p of periods)
		assert.equal(await page.locator(`#periods tr[data-month="${p.month}"]`).getAttribute('data-closed'), String(p.closed));
	await checked(page, 'actuals');

	// every bad row listed by row and field: nothing written
	await page.getByLabel('Import a spreadsheet').setInputFiles(file);
	await page.getByRole('heading', { name: `Nothing was imported from web-ledger-${RUN}.csv` }).waitFor();
	for (const n of [2, 3, 4]) {
		await page.locator(`#import-row-${n}`).waitFor();
		await page.locator('.govuk-error-summary').getByRole('link', { name: new RegExp(`^Row ${n}, `) }).first().waitFor();
	}
	assert.match(await page.locator('#import-row-2').innerText(), new RegExp(nom));
	const none = (await api('GET', `/api/v1/schools/${school.urn}/actuals?year=${year}`)).body.items;
	assert.equal(none.length, 0, 'nothing written');
	await checked(page, 'actuals-refused');

	// the code mapped on the ledger page; the unknown cost centre's row taken out
	await page.getByRole('main').getByRole('link', { name: 'ledger mapping', exact: true }).click();
	await page.getByRole('heading', { level: 1, name: 'Ledger mapping' }).waitFor();
	const sec = page.locator('section', { has: page.getByRole('heading', { name: 'Nominal codes' }) });
	await sec.getByRole('button', { name: 'Add a nominal code' }).click();
	await page.locator('#nominals-form').getByLabel('Code').fill(nom);
	await page.locator('#nominals-form').getByLabel('Account').selectOption('E02');
	await page.locator('#nominals-form').getByRole('button', { name: 'Save the nominal code' }).click();
	await page.getByText(`Nominal code ${nom} is saved.`).waitFor();
	fs.writeFileSync(file, fs.readFileSync(file, 'utf8').split('\n').filter((l) => !l.includes('NOPE')).join('\n'));

	// imported: the result is the API's
	await page.goto(`${d.url}/trust/actuals?year=${year}`);
	await page.locator('#periods').waitFor();
	await page.getByLabel('Import a spreadsheet').setInputFiles(file);
	await page.locator('#import-result').waitFor();
	const result = (await api('GET', `/api/v1/actuals/imports?year=${year}`)).body.items[0];
	await page.locator(`#imports tbody tr:first-child[data-import="${result.id}"]`).waitFor();
	assert.deepEqual(result.months, [month]);
	// the file's name is kept with the import and shown in the list
	assert.equal(result.filename, `web-ledger-${RUN}.csv`);
	assert.match(await page.locator(`#imports tbody tr:first-child`).innerText(), new RegExp(`web-ledger-${RUN}\\.csv`));
	assert.equal(await page.locator('#import-result [data-months]').getAttribute('data-months'), result.months.join(','));
	assert.equal(await page.locator('#import-result [data-entities]').getAttribute('data-entities'), school.urn);
	assert.equal(await page.locator('#import-result [data-rows]').getAttribute('data-rows'), String(result.rows));
	assert.equal(result.rows, 2);
	const cells = (await api('GET', `/api/v1/schools/${school.urn}/actuals?year=${year}`)).body.items;
	assert.deepEqual(cells.map((c) => [c.month, c.account_code, c.kind, c.amount_pence]), [[month, 'E02', 'actual', 175050]]);
	await checked(page, 'actuals-imported');

	// August 2028 closed: the same file refused with the API's message
	await page.getByRole('button', { name: 'Close August 2028' }).click();
	await page.getByText('August 2028 is closed.').waitFor();
	await page.locator(`#periods tr[data-month="${month}"][data-closed="true"]`).waitFor();
	await page.getByLabel('Import a spreadsheet').setInputFiles(file);
	const refused = await fetch(`${d.url}/api/v1/actuals/import?year=${year}&kind=actual`, {
		method: 'POST', body: fs.readFileSync(file),
		headers: { Authorization: `Bearer ${d.tokens.finance_director}`, 'Content-Type': 'text/csv', Accept: 'application/json' },
	});
	assert.equal(refused.status, 409);
	const problem = await refused.json();
	await page.locator('.govuk-error-summary', { hasText: problem.detail }).waitFor();
	await checked(page, 'actuals-closed');

	// reopened with a reason (asked for first)
	await page.getByRole('button', { name: 'Reopen August 2028' }).click();
	await page.getByRole('button', { name: 'Reopen August 2028' }).click();
	await page.locator(`#periods tr[data-month="${month}"] .govuk-error-message`).waitFor();
	await page.getByLabel('Why reopen August 2028?').fill('web test: reopened');
	await page.getByRole('button', { name: 'Reopen August 2028' }).click();
	await page.getByText('August 2028 is reopened.').waitFor();
	const after = (await api('GET', `/api/v1/periods?year=${year}`)).body.items.find((p) => p.month === month);
	assert.equal(after.closed, false);
	assert.equal(after.reopen_reason, 'web test: reopened');
	assert.deepEqual(page.problems, []);
	await page.context().close();

	// the mapping this test added, removed
	for (const [k, c] of [['nominals', nom], ['cost-centres', cc]]) {
		const g = await api('GET', `/api/v1/ledger/${k}/${c}`);
		assert.equal((await api('DELETE', `/api/v1/ledger/${k}/${c}`, undefined, { 'If-Match': g.etag ?? `"${g.body.version}"` })).status, 204);
	}
});

test('the auditor reads the actuals page with no import and no close', async () => {
	const page = await signIn('auditor');
	await page.getByRole('navigation').getByRole('link', { name: 'Actuals' }).click();
	await page.locator('#periods').waitFor();
	assert.equal(await page.getByLabel('Import a spreadsheet').count(), 0);
	assert.equal(await page.getByRole('button', { name: /^(Close|Reopen)/ }).count(), 0);
	await checked(page, 'actuals-auditor');
	assert.deepEqual(page.problems, []);
	await page.context().close();
});
