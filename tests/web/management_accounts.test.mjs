// management_accounts.test.mjs - the management accounts page in Chromium (issue
// 17): the finance director opens it from the header for the API's default month;
// every group's figures, the totals, the variances with their comments, the
// reserves and the chart's table are the API's (GET /management-accounts), for the
// trust and for a school she chooses; the month picker marks the closed and the
// open months as GET /periods says and starts at the latest closed one; the
// trust overview's rows are GET /monitoring's, each school linked to its
// monitoring page; the page has a print stylesheet (printed: no header,
// navigation or buttons; A4) and a Print button; the CSV and XLSX downloads are
// the API's. The auditor reads it too. axe-core on every view, a screenshot of
// each. Reads only.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import { apiBytes, apiFetch, Bursard, checked, launchBrowser, screenshot, signedIn } from './harness.mjs';

let d;
let browser;

const api = (p, role = 'finance_director', accept = 'application/json') => apiFetch(d, 'GET', p, undefined, {}, role, accept);

const signIn = (role) => signedIn(browser, d, role);

const pence = async (loc) => Number(await loc.getAttribute('data-pence'));

/* every figure of one entity's accounts on the page is the API's */
async function sameAsApi(page, e, month) {
	await page.locator(`#ma[data-month="${month}"][data-urn="${e.urn}"] #groups`).waitFor();
	for (const g of e.groups) {
		const row = page.locator(`#groups tr[data-kind="${g.kind}"][data-group="${g.group}"]`);
		const cells = row.locator('td');
		const want = [g.budget_pence, g.profile_to_date_pence, g.actual_to_date_pence, g.variance_to_date_pence, g.outturn_pence,
			g.full_year_variance_pence];
		for (let i = 0; i < want.length; i++)
			assert.equal(await pence(cells.nth(i)), want[i], `${e.urn} ${g.group} column ${i}`);
	}
	assert.equal(await page.locator('#groups tr[data-group]').count(), e.groups.length);
	for (const k of ['income_pence', 'expenditure_pence', 'balance_pence']) {
		const cells = page.locator(`#groups tr[data-total="${k}"] td`);
		assert.equal(await pence(cells.nth(0)), e.totals.budget[k], `${e.urn} budget ${k}`);
		assert.equal(await pence(cells.nth(1)), e.totals.profile_to_date[k]);
		assert.equal(await pence(cells.nth(2)), e.totals.actual_to_date[k]);
		assert.equal(await pence(cells.nth(4)), e.totals.outturn[k], `${e.urn} outturn ${k}`);
	}
	if (e.variances.length === 0)
		await page.locator('#variances-none').waitFor();
	for (const v of e.variances) {
		const row = page.locator(`#variances tr[data-code="${v.account_code}"]`);
		assert.equal(await pence(row.locator('td').nth(2)), v.variance_to_date_pence);
		assert.match(await row.locator('td').nth(2).innerText(), v.variance_to_date_pence === 0 ? /./ : v.favourable ? /Favourable/ : /Adverse/);
		assert.equal(await pence(row.locator('td').nth(4)), v.full_year_variance_pence);
		assert.match(await row.locator('td').nth(4).innerText(), v.full_year_variance_pence === 0 ? /./ : v.full_year_favourable ? /Favourable/ : /Adverse/,
			`${v.account_code}: the full-year tag is the API's`);
		if (v.comment)
			assert.equal((await row.locator('td').nth(5).innerText()).trim(), v.comment);
	}
	assert.equal(await page.locator('#months tbody tr').count(), 12);
}

before(async () => {
	d = await new Bursard('management_accounts').start();
	browser = await launchBrowser();
});
after(async () => {
	await browser?.close();
	assert.equal(await d.stop(), 0);
});

test('the finance director reads the trust and a school: every figure the API\'s, printable, downloads', async () => {
	const page = await signIn('finance_director');
	await page.getByRole('navigation').getByRole('link', { name: 'Monitoring' }).click();
	await page.waitForURL(/\/trust\/management-accounts/);
	await page.locator('#groups').waitFor();
	const month = await page.locator('#ma-month').inputValue();
	const ma = (await api(`/api/v1/management-accounts?month=${month}`)).body;
	assert.equal(month, (await api('/api/v1/monitoring')).body.month, "the API's default month");
	/* the months: closed and open ones marked as GET /periods says; the latest closed first */
	const periods = (await api('/api/v1/periods')).body.items;
	for (const p of periods)
		assert.match(await page.locator(`#ma-month option[value="${p.month}"]`).innerText(), p.closed ? /\(closed\)$/ : /\(open\)$/, p.month);
	assert.equal(month, periods.filter((p) => p.closed).at(-1)?.month ?? periods[0].month, 'the latest closed month');
	await sameAsApi(page, ma.trust, month);

	// the trust overview: each entity's totals as GET /monitoring gives them
	const mon = (await api(`/api/v1/monitoring?month=${month}`)).body;
	await page.locator('#overview').waitFor();
	for (const e of mon.entities) {
		const cells = page.locator(`#overview tr[data-urn="${e.urn}"] td`);
		assert.equal(await pence(cells.nth(0)), e.totals.budget.balance_pence, e.urn);
		assert.equal(await pence(cells.nth(5)), e.totals.outturn.balance_pence, e.urn);
		assert.equal(await page.locator(`#overview a[data-monitoring="${e.urn}"]`).getAttribute('href'), `/schools/${e.urn}/monitoring?month=${month}`, e.urn);
	}
	assert.equal(await page.locator('#overview a[data-monitoring]').count(), mon.entities.length, 'every school linked, not the trust');
	await checked(page, 'management-accounts');

	// printable: a Print button, and printed there is no header, navigation or button
	await page.getByRole('button', { name: 'Print' }).waitFor();
	await page.emulateMedia({ media: 'print' });
	assert.equal(await page.locator('.bursar-header').isVisible(), false, 'no header in print');
	assert.equal(await page.getByRole('navigation').first().isVisible(), false, 'no navigation in print');
	assert.equal(await page.getByRole('button', { name: 'Print' }).isVisible(), false, 'no buttons in print');
	assert.equal(await page.locator('#groups').isVisible(), true, 'the accounts printed');
	const pageRule = await page.evaluate(() => [...document.styleSheets].some((s) => {
		try {
			return [...s.cssRules].some((r) => r.cssText.startsWith('@page') && /a4/i.test(r.cssText));
		} catch { return false; }
	}));
	assert.ok(pageRule, 'an @page rule for A4');
	await screenshot(page, 'management-accounts-print');
	await page.emulateMedia({ media: 'screen' });

	// the downloads are the API's
	const [csvDl] = await Promise.all([page.waitForEvent('download'),
		page.getByRole('button', { name: /^Download CSV of the management accounts/ }).click()]);
	assert.ok(fs.readFileSync(await csvDl.path()).equals(await apiBytes(d, `/api/v1/management-accounts?month=${month}`, 'text/csv')), "the API's CSV");
	const [xlsxDl] = await Promise.all([page.waitForEvent('download'),
		page.getByRole('button', { name: /^Download XLSX of the management accounts/ }).click()]);
	assert.equal(fs.readFileSync(await xlsxDl.path()).subarray(0, 2).toString(), 'PK', 'a workbook');

	// a school chosen: its accounts are the API's with urn=
	const school = mon.entities.find((e) => e.urn !== 'central') ?? mon.entities[0];
	await page.getByLabel('School or the trust').selectOption(school.urn);
	await page.getByRole('heading', { level: 1, name: `Management accounts: ${school.name}` }).waitFor();
	const one = (await api(`/api/v1/management-accounts?month=${month}&urn=${school.urn}`)).body;
	assert.equal(one.trust, null);
	await sameAsApi(page, one.entities[0], month);
	assert.equal(await page.locator('#overview').count(), 0, 'the overview is the trust view');
	await checked(page, 'management-accounts-school');

	// another month: the page follows the API
	const other = await page.locator('#ma-month option').evaluateAll((os, m) => os.map((o) => o.value).find((v) => v !== m), month);
	await page.getByLabel('Month', { exact: true }).selectOption(other);
	await page.waitForURL(new RegExp(`month=${other}`));
	const third = (await api(`/api/v1/management-accounts?month=${other}&urn=${school.urn}`)).body;
	await sameAsApi(page, third.entities[0], other);
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('a school of the trust overview opens its monitoring page; an open month is chosen and said so', async () => {
	const page = await signIn('finance_director');
	const periods = (await api('/api/v1/periods')).body.items;
	const open = periods.find((p) => !p.closed);
	const month = periods.filter((p) => p.closed).at(-1)?.month ?? periods[0].month;
	await page.goto(`${d.url}/trust/management-accounts`);
	await page.locator('#overview a[data-monitoring]').first().waitFor();
	const mon = (await api(`/api/v1/monitoring?month=${month}`)).body;
	const school = mon.entities.find((e) => e.urn !== 'central') ?? mon.entities[0];
	await page.getByRole('link', { name: `Monitoring of ${school.name}` }).click();
	await page.waitForURL(new RegExp(`/schools/${school.urn}/monitoring\\?month=${month}`));
	await page.getByRole('heading', { level: 1, name: `Monitoring: ${school.name}` }).waitFor();
	await page.locator('#monitoring-totals').waitFor();
	await checked(page, 'management-accounts-to-monitoring');
	if (open !== undefined) {
		await page.goto(`${d.url}/trust/management-accounts`);
		await page.locator('#groups').waitFor();
		await page.getByLabel('Month', { exact: true }).selectOption(open.month);
		await page.locator(`#ma[data-month="${open.month}"]`).waitFor();
		assert.match(await page.locator('.govuk-caption-l, .govuk-caption-xl, .govuk-caption-m').first().innerText(), /not closed yet/);
		await checked(page, 'management-accounts-open-month');
	}
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('the auditor reads the management accounts', async () => {
	const page = await signIn('auditor');
	await page.getByRole('navigation').getByRole('link', { name: 'Monitoring' }).click();
	await page.locator('#groups').waitFor();
	await checked(page, 'management-accounts-auditor');
	assert.deepEqual(page.problems, []);
	await page.context().close();
});
