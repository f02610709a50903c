// downloads.test.mjs - the finance director's tables as spreadsheets in Chromium:
// "Download XLSX" and "Download CSV" on the trust's budgets, the contract
// register (carrying the page's filters), the allocation matrix and a forecast
// run. Each saved file has the API's name, is an XLSX (a zip: "PK") or a CSV
// (UTF-8 byte-order mark, then the header), and holds exactly the bytes the API
// gives for the same address and Accept. axe on each page; screenshots.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import { apiBytes, apiFetch, axeCheck, Bursard, launchBrowser, screenshot, signedIn } from './harness.mjs';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let d;
let browser;
let page;

async function apiJson(method, p, body) {
	const r = await apiFetch(d, method, p, body);
	assert.ok(r.status >= 200 && r.status < 300, `${method} ${p}: ${r.status}`);
	return r.body;
}

/* Click a download button; the saved file's name, its bytes and the API path it was fetched from. */
async function download(kind, accept, what) {
	const [file, request] = await Promise.all([
		page.waitForEvent('download'),
		page.waitForRequest((r) => r.url().includes('/api/v1/') && r.headers().accept === accept),
		page.getByRole('button', { name: what ? `Download ${kind} of ${what}` : `Download ${kind}` }).click(),
	]);
	const u = new URL(request.url());
	return { name: file.suggestedFilename(), bytes: fs.readFileSync(await file.path()), path: u.pathname + u.search };
}

/* Both buttons on the page as it is (`what`: the end of their names, where a
 * page has more than one pair): names, formats, and the API's exact bytes. */
async function both(stem, header, what) {
	const x = await download('XLSX', XLSX, what);
	assert.match(x.name, new RegExp(`^${stem}\\.xlsx$`));
	assert.equal(x.bytes.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX is a zip');
	assert.ok(x.bytes.equals(await apiBytes(d, x.path, XLSX)), `the XLSX is the API's for ${x.path}`);
	const c = await download('CSV', 'text/csv', what);
	assert.match(c.name, new RegExp(`^${stem}\\.csv$`));
	assert.match(c.bytes.toString('utf8'), new RegExp(`^\\ufeff${header}`), 'a UTF-8 byte-order mark, then the header');
	assert.ok(c.bytes.equals(await apiBytes(d, c.path, 'text/csv')), `the CSV is the API's for ${c.path}`);
	assert.equal(c.path, x.path, 'both formats from one address');
	return c;
}

async function checked(name) {
	assert.deepEqual(await axeCheck(page), [], `axe on ${name}`);
	await screenshot(page, name);
}

before(async () => {
	d = await new Bursard('downloads').start();
	browser = await launchBrowser();
	page = await signedIn(browser, d, 'finance_director', { pageOptions: { acceptDownloads: true } });
});
after(async () => {
	await browser?.close();
	assert.equal(await d.stop(), 0);
});

test('the trust budgets page downloads the year as XLSX and CSV', async () => {
	await page.goto(`${d.url}/trust/budgets`);
	await page.locator('#status-counts').waitFor();
	const year = await page.getByLabel('Year').inputValue();
	await checked('downloads-budgets');
	const c = await both(`budgets-${year}`, 'urn,name,kind,');
	assert.equal(c.path, `/api/v1/budgets/${year}`);
});

test('the contract register downloads what its filters select', async () => {
	await page.goto(`${d.url}/trust/contracts`);
	await page.getByRole('button', { name: 'Download XLSX' }).waitFor();
	const all = await both('contracts-[0-9-]+', 'reference,title,supplier,');
	assert.equal(all.path, '/api/v1/contracts');
	await page.getByLabel('Status').selectOption('active');
	await page.getByLabel('Words in the reference, title or supplier').fill('a');
	await page.getByRole('button', { name: 'Filter' }).click();
	await page.getByRole('button', { name: 'Download XLSX of the selected contracts, every page' }).waitFor();
	await checked('downloads-contracts');
	const some = await both('contracts-[0-9-]+', 'reference,title,supplier,');
	assert.equal(some.path, '/api/v1/contracts?status=active&q=a');
	assert.ok(some.bytes.length < all.bytes.length, 'the filters select fewer contracts than the whole register');
});

test('the allocation matrix and a forecast run download as XLSX and CSV', async () => {
	await page.goto(`${d.url}/trust/allocations`);
	await page.locator('#matrix').waitFor();
	const year = await page.getByLabel('Year').inputValue();
	await checked('downloads-allocations');
	const m = await both(`allocations-${year}`, 'urn,school,');
	assert.equal(m.path, `/api/v1/allocations?year=${year}`);

	const scenario = (await apiJson('GET', '/api/v1/scenarios?limit=200')).items.find((s) => s.name === 'expected');
	const run = await apiJson('POST', '/api/v1/forecasts', { scenario: scenario.id });
	await page.goto(`${d.url}/trust/forecasts/${run.id}`);
	await page.getByRole('heading', { level: 1, name: run.label }).waitFor();
	await page.locator('#chart-closing_reserves_pence').waitFor();
	await checked('downloads-forecast');
	const f = await both(`forecast-${run.id}`, 'entity,name,year,line_no,', `every line of ${run.label}`);
	assert.equal(f.path, `/api/v1/forecasts/${run.id}`);
	assert.deepEqual(page.problems, []);
});
