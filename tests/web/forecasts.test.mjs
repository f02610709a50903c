// forecasts.test.mjs - the finance director's forecasts, scenarios and shared
// services in Chromium: she runs a forecast under two of the demo's scenarios
// and sees both charted and tabled with the API's figures, opens the warnings,
// copies and edits a scenario (the form's errors and the API's, on their
// fields), views the services and the allocation matrix and downloads it; an
// auditor reads the same pages with no button to run, edit or delete. axe-core
// on every page, a screenshot of each, no CSP violation or script error.
//
// The seeded people; its own objects (two runs, a copied scenario it deletes
// again): the other files' data is left alone.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import { apiFetch, apiGet, Bursard, checked, launchBrowser, pounds, signedIn } from './harness.mjs';

let d;
let browser;
const runs = {};             /* scenario name -> run id */

const signIn = (role) => signedIn(browser, d, role);

before(async () => {
	d = await new Bursard('forecasts').start();
	browser = await launchBrowser();
});
after(async () => {
	await browser?.close();
	assert.equal(await d.stop(), 0);
});

test('the finance director runs a forecast under two scenarios and sees both charted', async () => {
	const page = await signIn('finance_director');
	await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Forecasts' }).click();
	await page.getByRole('heading', { level: 1, name: 'Forecasts' }).waitFor();
	await page.locator('#run-scenario option', { hasText: /^expected \(/ }).waitFor({ state: 'attached' });
	await checked(page, 'forecasts');

	// the run form's own check: no scenario
	await page.getByLabel('Scenario').selectOption('');
	await page.getByRole('button', { name: 'Run forecast' }).click();
	await page.locator('.govuk-error-summary').getByRole('link', { name: 'Scenario: Choose a scenario' }).waitFor();
	await checked(page, 'forecasts-error');

	for (const name of ['expected', 'cautious']) {
		await page.goto(`${d.url}/trust/forecasts`);
		const opt = page.locator('#run-scenario option', { hasText: new RegExp(`^${name} \\(`) });
		await opt.waitFor({ state: 'attached' });
		await page.getByLabel('Scenario').selectOption(await opt.getAttribute('value'));
		await page.getByRole('button', { name: 'Run forecast' }).click();
		await page.waitForURL(/\/trust\/forecasts\/\d+$/);
		runs[name] = Number(new URL(page.url()).pathname.split('/').pop());
		await page.locator('.govuk-caption-l').getByText(`Forecast run ${runs[name]}`).waitFor();
	}

	// the last run's page: two charts, their tables with the API's figures, the KPIs, the warnings
	const api = await apiGet(d, `/api/v1/forecasts/${runs.cautious}?lines=false`);
	await page.locator('#chart-closing_reserves_pence').waitFor();
	await page.locator('#chart-in_year_balance_pence').waitFor();
	const school = api.entities.find((e) => e.urn !== 'central');
	const year = school.years.at(-1);
	const cell = page.locator(`#table-closing_reserves_pence tr[data-entity="${school.urn}"] td[data-year="${year.year}"]`);
	assert.equal(await cell.getAttribute('data-pence'), String(year.closing_reserves_pence));
	assert.ok((await cell.textContent()).startsWith(pounds(year.closing_reserves_pence)));
	const bal = page.locator(`#table-in_year_balance_pence tr[data-entity="${school.urn}"] td[data-year="${year.year}"]`);
	assert.equal(await bal.getAttribute('data-pence'), String(year.in_year_balance_pence));
	assert.ok((await bal.textContent()).startsWith(pounds(year.in_year_balance_pence)));
	// the chart was drawn (Chart.js sized its canvas)
	assert.ok(await page.locator('#chart-closing_reserves_pence').evaluate((c) => c.width > 0 && c.height > 0));

	const deficits = api.warnings.filter((w) => w.code === 'in_year_deficit');
	assert.ok(deficits.length > 0, 'the cautious case has in-year deficits (README: the demo trust)');
	await page.locator('[data-warning="in_year_deficit"]').getByText(`In-year deficit: ${deficits.length} warning`).waitFor();

	// each school's first deficit year (the run summary's) marked in the tables and said under the charts
	const summary = await apiGet(d, `/api/v1/forecasts/${runs.cautious}/summary`);
	const first = Object.fromEntries(summary.entities.filter((e) => e.first_deficit_year).map((e) => [e.entity, e.first_deficit_year]));
	const shown = api.entities.filter((e) => first[e.urn] !== undefined);
	assert.ok(shown.length > 0, 'a school or the central team has a deficit');
	for (const e of shown) {
		await page.locator(`#table-in_year_balance_pence tr[data-entity="${e.urn}"] td[data-year="${first[e.urn]}"] [data-mark="first-deficit"]`).waitFor();
		await page.locator('#chart-in_year_balance_pence-marks').getByText(`${e.name} in ${first[e.urn]}`).waitFor();
	}
	assert.equal(await page.locator('#table-in_year_balance_pence [data-mark="first-deficit"]').count(), Object.keys(first).length);
	assert.match(await page.locator('#chart-in_year_balance_pence').getAttribute('aria-label'), /A triangle marks each school’s first year of an in-year deficit: /);

	// the warnings by school and year: the first school with a deficit, its row of that year
	const e0 = shown[0];
	const byEntity = page.locator(`[data-warnings-of="${e0.urn}"]`);
	const w0 = deficits.filter((w) => w.entity === e0.urn).sort((x, y) => x.year.localeCompare(y.year))[0];
	await byEntity.getByText(`first in-year deficit ${w0.year}`).click();
	await byEntity.locator(`tr[data-year="${w0.year}"][data-code="in_year_deficit"]`).getByText(w0.message).waitFor({ state: 'visible' });
	await checked(page, 'forecast-run');

	// the CSV of the run
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: /^Download CSV of every line of / }).click(),
	]);
	const csv = fs.readFileSync(await download.path(), 'utf8');
	// a UTF-8 byte-order mark first (Excel reads £ right), then the header
	assert.match(csv, /^\ufeffentity,name,year,line_no,account_code,description,driver,base_year_amount,amount,explanation\r\n/);

	// compare the two: both on one chart and in the table, with the API's figures
	await page.goto(`${d.url}/trust/forecasts`);
	await page.locator(`#cmp-${runs.expected}`).check();
	await page.locator(`#cmp-${runs.cautious}`).check();
	await page.getByRole('button', { name: 'Compare chosen runs' }).click();
	await page.waitForURL(/\/trust\/forecasts\/compare\?runs=/);
	await page.locator('#cmp-chart-closing_reserves_pence').waitFor();
	await page.getByLabel('School').selectOption(school.urn);
	const cmp = await apiGet(d, `/api/v1/forecasts/compare?runs=${runs.expected},${runs.cautious}`);
	const item = cmp.items.find((i) => i.entity === school.urn && i.year === year.year);
	for (const [run, figures] of [[runs.expected, item.values[0]], [runs.cautious, item.values[1]]]) {
		const c = page.locator(`#cmp-closing_reserves_pence tr[data-year="${year.year}"] td[data-run="${run}"]`);
		assert.equal(await c.getAttribute('data-pence'), String(figures.closing_reserves_pence));
		assert.ok((await c.textContent()).startsWith(pounds(figures.closing_reserves_pence)));
		const b = page.locator(`#cmp-in_year_balance_pence tr[data-year="${year.year}"] td[data-run="${run}"]`);
		assert.equal(await b.getAttribute('data-pence'), String(figures.in_year_balance_pence));
	}
	const diff = page.locator(`#cmp-closing_reserves_pence tr[data-year="${year.year}"] td[data-run="${runs.cautious}"] .bursar-secondary`);
	assert.equal(await diff.textContent(), `${item.diff[1].closing_reserves_pence > 0 ? '+' : ''}${pounds(item.diff[1].closing_reserves_pence)}`);
	assert.deepEqual(await page.locator('#cmp-chart-closing_reserves_pence').evaluate((c) => c.width > 0), true);
	await checked(page, 'forecast-compare');
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('the finance director copies a scenario, sees her errors and the API\'s on their fields, saves and deletes it', async () => {
	const page = await signIn('finance_director');
	await page.goto(`${d.url}/trust/scenarios`);
	await page.getByRole('link', { name: 'expected', exact: true }).click();
	await page.getByRole('heading', { level: 1, name: 'expected' }).waitFor();
	await page.getByRole('region', { name: 'What-ifs by year' }).getByText('2.5%').first().waitFor();
	await checked(page, 'scenario');
	await page.getByRole('button', { name: 'Copy' }).click();
	await page.getByRole('heading', { level: 1, name: 'Copy expected' }).waitFor();
	assert.equal(await page.getByLabel('Name').inputValue(), 'expected (copy)');
	await page.getByLabel('Name').fill('fc what-if');

	// a cell that is not a number: our check, linked to the cell
	const cellLabel = 'Teachers’ pay award (September), 2028-29 (%)';
	await page.getByLabel(cellLabel).fill('two');
	await page.getByRole('button', { name: 'Save scenario' }).click();
	const summary = page.locator('.govuk-error-summary');
	const link = summary.getByRole('link', { name: /Teachers’ pay award \(September\), 2028-29: Percentage must be a number/ });
	await link.waitFor();
	await link.click();
	assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('id')),
		await page.getByLabel(cellLabel).getAttribute('id'));
	await checked(page, 'scenario-form-errors');

	// a number past the API's limit (1000% = 100000 bp is the most): the API's 422, on the same cell
	await page.getByLabel(cellLabel).fill('1001');
	await page.getByRole('button', { name: 'Save scenario' }).click();
	await summary.getByRole('link', { name: /Teachers’ pay award \(September\), 2028-29:/ }).waitFor();
	assert.equal(await page.getByLabel(cellLabel).getAttribute('class').then((c) => c.includes('govuk-input--error')), true);

	await page.getByLabel(cellLabel).fill('3.25');
	await page.getByRole('button', { name: 'Save scenario' }).click();
	await page.getByRole('heading', { level: 1, name: 'fc what-if' }).waitFor();
	await page.getByText('The scenario was added.').waitFor();
	const id = Number(new URL(page.url()).pathname.split('/').pop());
	const saved = await apiGet(d, `/api/v1/scenarios/${id}`);
	assert.equal(saved.assumptions.teacher_pay_bp['2028-29'], 325);
	const original = (await apiGet(d, '/api/v1/scenarios?limit=200')).items.find((s) => s.name === 'expected');
	assert.deepEqual(saved.pupils, (await apiGet(d, `/api/v1/scenarios/${original.id}`)).pupils, 'the copy keeps the projections');

	// edit it (If-Match: its version); someone else's change in between is not overwritten
	await page.getByRole('button', { name: 'Edit' }).click();
	await page.getByLabel('Description').fill('A copy to try a higher award');
	const other = await apiFetch(d, 'PUT', `/api/v1/scenarios/${id}`, { ...saved, description: 'changed by someone else' },
		{ 'If-Match': `"${saved.version}"` });
	assert.equal(other.status, 200);
	await page.getByRole('button', { name: 'Save changes' }).click();
	await summary.getByText(/Someone else changed this scenario/).waitFor();
	assert.equal((await apiGet(d, `/api/v1/scenarios/${id}`)).description, 'changed by someone else');
	await checked(page, 'scenario-stale');
	await page.reload();
	await page.getByRole('button', { name: 'Edit' }).click();
	await page.getByLabel('Description').fill('A copy to try a higher award');
	await page.getByRole('button', { name: 'Save changes' }).click();
	await page.getByText('The scenario was saved.').waitFor();
	const edited = await apiGet(d, `/api/v1/scenarios/${id}`);
	assert.equal(edited.version, saved.version + 2);
	assert.equal(edited.description, 'A copy to try a higher award');
	assert.equal(edited.assumptions.teacher_pay_bp['2028-29'], 325);
	await checked(page, 'scenario-saved');

	await page.getByRole('button', { name: 'Delete' }).click();
	await page.getByRole('button', { name: 'Yes, delete it' }).click();
	await page.getByRole('heading', { level: 1, name: 'Scenarios' }).waitFor();
	assert.equal((await apiFetch(d, 'GET', `/api/v1/scenarios/${id}`)).status, 404);
	await checked(page, 'scenarios');
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('the finance director views the shared services and the allocation matrix, and downloads it', async () => {
	const page = await signIn('finance_director');
	await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Shared services' }).click();
	await page.getByRole('heading', { level: 1, name: 'Shared services' }).waitFor();
	const year = await page.getByLabel('Year').inputValue();
	const services = (await apiGet(d, `/api/v1/services?year=${year}&limit=200`)).items;
	assert.ok(services.length > 0);
	await page.getByRole('link', { name: services[0].name, exact: true }).waitFor();
	await checked(page, 'services');
	await page.getByRole('link', { name: services[0].name, exact: true }).click();
	await page.getByRole('heading', { level: 1, name: services[0].name }).waitFor();
	await page.getByRole('heading', { level: 2, name: `Allocation in ${year}` }).waitFor();
	await page.locator('main table').first().waitFor();
	await checked(page, 'service');

	await page.goto(`${d.url}/trust/allocations?year=${year}`);
	const m = await apiGet(d, `/api/v1/allocations?year=${year}`);
	const row = m.schools[0];
	const total = page.locator(`#matrix tr[data-urn="${row.urn}"] td[data-total]`);
	assert.equal(await total.textContent(), pounds(row.total_pence));
	await page.locator('#matrix tfoot').getByText(pounds(m.totals.total_pence)).first().waitFor();
	await checked(page, 'allocations');
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Download CSV' }).click(),
	]);
	assert.equal(download.suggestedFilename(), `allocations-${year}.csv`);
	// the file as saved: a UTF-8 byte-order mark first (Excel reads £ right), then the header
	assert.match(fs.readFileSync(await download.path(), 'utf8'), /^\ufeffurn,school,/);
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('an auditor reads runs, scenarios and the matrix, with no button to run, edit or delete', async () => {
	assert.ok(runs.expected && runs.cautious, 'the first test ran the forecasts');
	const page = await signIn('auditor');
	await page.goto(`${d.url}/trust/forecasts`);
	await page.locator(`tr[data-run="${runs.expected}"]`).getByRole('link').waitFor();
	assert.equal(await page.getByRole('button', { name: 'Run forecast' }).count(), 0);
	await checked(page, 'forecasts-auditor');
	await page.locator(`tr[data-run="${runs.expected}"]`).getByRole('link').click();
	await page.locator('#chart-closing_reserves_pence').waitFor();
	await page.locator('#warnings').waitFor();
	await checked(page, 'forecast-run-auditor');
	// at a tablet's width the wide tables scroll inside their own focusable regions
	await page.setViewportSize({ width: 768, height: 1024 });
	await page.locator('#chart-in_year_balance_pence').waitFor();
	// the charts resize on their ResizeObserver, a frame or two after the viewport: the page settles
	const fits = await page.waitForFunction(() => document.querySelector('main').scrollWidth <= document.documentElement.clientWidth,
		null, { timeout: 5000 }).then(() => true, () => false);
	assert.ok(fits, 'the page itself does not scroll sideways (once its charts have resized)');
	await checked(page, 'forecast-run-tablet');
	await page.setViewportSize({ width: 1280, height: 900 });

	await page.goto(`${d.url}/trust/scenarios`);
	await page.getByRole('link', { name: 'cautious', exact: true }).click();
	await page.getByRole('heading', { level: 1, name: 'cautious' }).waitFor();
	for (const name of ['Edit', 'Copy', 'Delete', 'Run a forecast'])
		assert.equal(await page.getByRole('button', { name }).count(), 0, `no ${name} for an auditor`);
	assert.equal(await page.getByRole('button', { name: 'Add a scenario' }).count(), 0);
	await checked(page, 'scenario-auditor');

	await page.goto(`${d.url}/trust/allocations`);
	await page.locator('#matrix').waitFor();
	await checked(page, 'allocations-auditor');
	assert.deepEqual(page.problems, []);
	await page.context().close();
});
