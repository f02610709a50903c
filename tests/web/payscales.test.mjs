// payscales.test.mjs - the pay scales and staff rates pages in Chromium (issue
// 16): the finance director reads the scales as the API lists them, opens one
// as a table of its points by year (each value the API's), downloads the CSV,
// imports a file with one bad row (nothing imported, the row's problem shown
// on its row and in the error summary), then the file put right (its scale
// listed and shown); she reads the on-costs by tax year and an entity's LGPS
// rates, and saves the latest tax year's rates again unchanged (If-Match; her
// error on its field first); she downloads the on-costs as CSV and XLSX,
// imports the CSV with one bad row (refused on its row), then as it came. A business
// manager reads both pages with no import and no button to change. axe-core on
// every page, a screenshot of each.
//
// Its own scale (web_scale_<run>); the seeded scales are read, never changed,
// and the rates are saved as they were.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { apiFetch, Bursard, checked, DIR, launchBrowser, pounds, signedIn } from './harness.mjs';

const RUN = Date.now().toString(36).slice(-5);
const SCALE = `web_scale_${RUN}`;
let d;
let browser;

const api = (method, p, body, headers = {}, role = 'finance_director') => apiFetch(d, method, p, body, headers, role);

const signIn = (role) => signedIn(browser, d, role);

before(async () => {
	d = await new Bursard('payscales').start();
	browser = await launchBrowser();
});
after(async () => {
	await browser?.close();
	assert.equal(await d.stop(), 0);
});

test('the finance director reads a scale by year and imports a file: a bad row refused on its row', async () => {
	const list = (await api('GET', '/api/v1/pay-scales')).body.items;
	assert.ok(list.length > 0, 'the demo trust has pay scales');
	const page = await signIn('finance_director');
	await page.getByRole('navigation').getByRole('link', { name: 'Pay scales' }).click();
	await page.getByRole('heading', { level: 1, name: 'Pay scales' }).waitFor();
	for (const s of list)
		await page.locator(`#scales tr[data-scale="${s.name}"]`).waitFor();
	await checked(page, 'payscales');

	// one scale as a table of its points by year, every value the API's
	const name = list.find((s) => s.name === 'teachers_main_inner_london')?.name ?? list[0].name;
	const scale = (await api('GET', `/api/v1/pay-scales/${name}`)).body;
	await page.locator(`#scales tr[data-scale="${name}"]`).getByRole('link').click();
	await page.waitForURL(new RegExp(`/trust/pay-scales/${name}$`));
	await page.locator('#points').waitFor();
	for (const p of scale.points) {
		const cell = page.locator(`#points tr[data-point="${p.point}"] td[data-year="${p.year}"]`);
		assert.equal(await cell.getAttribute('data-pence'), String(p.annual_pence));
		assert.equal((await cell.innerText()).trim(), pounds(p.annual_pence));
	}
	await checked(page, 'payscale');

	// the CSV download is the API's
	await page.goto(`${d.url}/trust/pay-scales`);
	await page.locator('#scales').waitFor();
	const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV of the pay scales' }).click()]);
	const csv = fs.readFileSync(await dl.path(), 'utf8');
	assert.match(csv.split(/\r?\n/)[0], /^\uFEFF?scale,kind,area,year,point,ord,annual/, "the API's layout (a BOM for Excel)");

	// a file with one bad row (row 3: not an amount): nothing imported, the problem on its row
	const bad = path.join(DIR, `web-${SCALE}-bad.csv`);
	fs.writeFileSync(bad, `scale,kind,area,year,point,ord,annual\n${SCALE},support,,2026-27,1,1,21000.00\n${SCALE},support,,2026-27,2,2,lots\n${SCALE},support,,2026-27,3,3,23000.00\n`);
	await page.getByLabel('Import a spreadsheet').setInputFiles(bad);
	await page.getByRole('heading', { name: `Nothing was imported from web-${SCALE}-bad.csv` }).waitFor();
	const link = page.locator('.govuk-error-summary').getByRole('link', { name: /^Row 3/ });
	await link.waitFor();
	await page.locator('#import-row-3').waitFor();
	assert.ok((await page.locator('#import-row-3').innerText()).length > 0, 'the row says what is wrong');
	assert.equal(await page.locator('.bursar-row--error').count(), 1, 'one row refused');
	assert.equal((await api('GET', `/api/v1/pay-scales/${SCALE}`)).status, 404, 'nothing imported');
	await checked(page, 'payscales-import-refused');

	// put right: imported, listed and shown
	const good = path.join(DIR, `web-${SCALE}.csv`);
	fs.writeFileSync(good, fs.readFileSync(bad, 'utf8').replace(',lots', ',22000.00'));
	await page.getByLabel('Import a spreadsheet').setInputFiles(good);
	await page.getByText(`web-${SCALE}.csv is imported.`).waitFor();
	await page.locator(`#scales tr[data-scale="${SCALE}"]`).waitFor();
	const mine = (await api('GET', `/api/v1/pay-scales/${SCALE}`)).body;
	assert.deepEqual(mine.points.map((p) => [p.point, p.annual_pence]), [['1', 2100000], ['2', 2200000], ['3', 2300000]]);
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('the finance director reads the on-costs and LGPS rates, and saves a tax year with If-Match', async () => {
	const rates = (await api('GET', '/api/v1/staff-rates')).body.items;
	const page = await signIn('finance_director');
	await page.getByRole('navigation').getByRole('link', { name: 'Staff rates' }).click();
	await page.getByRole('heading', { level: 1, name: 'Staff rates' }).waitFor();
	await page.locator('#rates').waitFor();
	for (const r of rates)
		await page.locator('#rates th', { hasText: r.tax_year }).first().waitFor();
	await page.locator('#lgps, #lgps-heading ~ p').first().waitFor();
	await checked(page, 'staff-rates');

	// the latest tax year saved again as it is (so no cost moves): her error first, then If-Match
	const last = [...rates].sort((a, b) => a.tax_year.localeCompare(b.tax_year)).at(-1);
	await page.getByRole('button', { name: `Change ${last.tax_year}` }).click();
	const form = page.locator('#rates-form');
	const tps = form.getByLabel('Teachers’ Pension Scheme employer rate (%)');
	const was = await tps.inputValue();
	await tps.fill('30.6.8');
	await form.getByRole('button', { name: /^Save/ }).click();
	await form.locator('.govuk-error-summary').getByRole('link', { name: /^Teachers’ Pension Scheme employer rate/ }).waitFor();
	assert.match(await tps.getAttribute('class'), /govuk-input--error/);
	await checked(page, 'staff-rates-error');
	await tps.fill(was);
	await form.getByRole('button', { name: /^Save/ }).click();
	await page.getByText(`The rates for ${last.tax_year} are saved.`).waitFor();
	const saved = (await api('GET', '/api/v1/staff-rates')).body.items.find((r) => r.tax_year === last.tax_year);
	for (const k of ['ni_bp', 'ni_threshold_pence', 'ni_upper_pence', 'tps_bp', 'levy_bp', 'levy_allowance_pence', 'employment_allowance_pence'])
		assert.equal(saved[k], last[k], k);
	assert.equal(saved.version, last.version + 1);
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('the finance director downloads the on-costs and imports them: a bad row refused on its row, then as downloaded', async () => {
	const rates = (await api('GET', '/api/v1/staff-rates')).body.items;
	assert.ok(rates.length >= 2, 'the demo trust has on-costs for two tax years or more');
	const page = await signIn('finance_director');
	await page.goto(`${d.url}/trust/staff-rates`);
	await page.locator('#rates').waitFor();

	// the CSV download is the API's: a row per tax year, the rates as it holds them
	const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV of the on-cost rates' }).click()]);
	assert.equal(dl.suggestedFilename(), 'staff-rates.csv');
	const csv = fs.readFileSync(await dl.path(), 'utf8').replace(/^\uFEFF/, '');
	const lines = csv.split(/\r?\n/).filter((l) => l !== '');
	assert.equal(lines[0], 'tax_year,ni_bp,ni_threshold,ni_upper,tps_bp,levy_bp,levy_allowance,employment_allowance');
	assert.equal(lines.length, rates.length + 1);
	for (const r of rates) {
		const row = lines.find((l) => l.startsWith(`${r.tax_year},`));
		assert.ok(row, `${r.tax_year} is in the download`);
		assert.equal(row.split(',')[4], String(r.tps_bp));
	}
	const [xl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download XLSX of the on-cost rates' }).click()]);
	assert.equal(xl.suggestedFilename(), 'staff-rates.xlsx');
	assert.equal(fs.readFileSync(await xl.path()).subarray(0, 2).toString('latin1'), 'PK', 'a workbook (a zip)');

	// the download with row 3's TPS rate not a number: nothing imported, the problem on its row
	const bad = path.join(DIR, `web-staff-rates-${RUN}-bad.csv`);
	fs.writeFileSync(bad, lines.map((l, i) => (i === 2 ? l.split(',').map((c, j) => (j === 4 ? 'lots' : c)).join(',') : l)).join('\r\n') + '\r\n');
	await page.getByLabel('Import a spreadsheet').setInputFiles(bad);
	await page.getByRole('heading', { name: `Nothing was imported from web-staff-rates-${RUN}-bad.csv` }).waitFor();
	await page.locator('.govuk-error-summary').getByRole('link', { name: /^Row 3/ }).waitFor();
	assert.ok((await page.locator('#import-row-3').innerText()).length > 0, 'the row says what is wrong');
	assert.equal(await page.locator('.bursar-row--error').count(), 1, 'one row refused');
	assert.deepEqual((await api('GET', '/api/v1/staff-rates')).body.items.map((r) => r.version), rates.map((r) => r.version), 'nothing imported');
	await checked(page, 'staff-rates-import-refused');

	// the download as it came: every tax year replaced by the same rates (no cost moves), the table the API's
	const good = path.join(DIR, `web-staff-rates-${RUN}.csv`);
	fs.writeFileSync(good, csv);
	await page.getByLabel('Import a spreadsheet').setInputFiles(good);
	await page.getByText(`web-staff-rates-${RUN}.csv is imported.`).waitFor();
	const after1 = (await api('GET', '/api/v1/staff-rates')).body.items;
	for (const r of rates) {
		const a = after1.find((x) => x.tax_year === r.tax_year);
		for (const k of ['ni_bp', 'ni_threshold_pence', 'ni_upper_pence', 'tps_bp', 'levy_bp', 'levy_allowance_pence', 'employment_allowance_pence'])
			assert.equal(a[k], r[k], `${r.tax_year} ${k}`);
	}
	await page.locator('#rates th', { hasText: rates[0].tax_year }).first().waitFor();
	await checked(page, 'staff-rates-imported');
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('a business manager reads the pay scales and staff rates with nothing to change', async () => {
	const page = await signIn('business_manager');
	await page.goto(`${d.url}/trust/pay-scales`);
	await page.locator('#scales').waitFor();
	assert.equal(await page.getByLabel('Import a spreadsheet').count(), 0);
	await checked(page, 'payscales-business-manager');
	await page.goto(`${d.url}/trust/staff-rates`);
	await page.locator('#rates').waitFor();
	assert.equal(await page.getByRole('button', { name: /^(Change|Add) / }).count(), 0);
	await checked(page, 'staff-rates-business-manager');
	assert.deepEqual(page.problems, []);
	await page.context().close();
});
