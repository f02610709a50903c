// forecast_runs.test.mjs - named runs in Chromium (issue 15, items 6 and 7): the
// finance director runs a forecast with a label and notes, sees its summary
// and charts with each school's first deficit year marked as the API's summary
// dates it, edits the notes, publishes it after confirming, compares three
// runs and downloads the summary as XLSX; a business manager then finds only
// published runs, and in them only her school, and a draft's address tells
// her it is not hers to see. axe-core on every page, a screenshot of each, no
// CSP violation or script error.
//
// Its own runs (made here, through the page and the API); other files' runs are
// left alone (they stay drafts, which the business manager must not see).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import { apiBytes, apiFetch, apiGet, Bursard, checked, launchBrowser, pounds, signedIn } from './harness.mjs';

let d;
let browser;
const runs = {};             /* name -> run id */

const apiAs = (role, method, p, body, headers = {}) => apiFetch(d, method, p, body, headers, role);

const signIn = (role) => signedIn(browser, d, role, { pageOptions: { acceptDownloads: true } });

before(async () => {
	d = await new Bursard('forecast-runs').start();
	browser = await launchBrowser();
});
after(async () => {
	await browser?.close();
	assert.equal(await d.stop(), 0);
});

test('the finance director runs a labelled forecast, sees its deficits marked, publishes it, compares three runs and downloads the summary', async () => {
	const page = await signIn('finance_director');
	await page.goto(`${d.url}/trust/forecasts`);
	await page.locator('#run-scenario option', { hasText: /^cautious / }).waitFor({ state: 'attached' });
	await page.getByLabel('Scenario').selectOption('cautious');
	await page.getByLabel('Label').fill('Board pack: cautious');
	await page.getByLabel('Notes').fill('For the finance committee.\nCautious pay and funding.');
	await page.getByRole('button', { name: 'Run forecast' }).click();
	await page.waitForURL(/\/trust\/forecasts\/\d+$/);
	runs.board = Number(new URL(page.url()).pathname.split('/').pop());
	await page.getByRole('heading', { level: 1, name: 'Board pack: cautious' }).waitFor();
	await page.locator('#run-status').getByText('Draft').waitFor();

	// the summary's figures and first deficit years, as the API gives them
	const s = await apiGet(d, `/api/v1/forecasts/${runs.board}/summary`);
	assert.equal(s.run.label, 'Board pack: cautious');
	assert.equal(s.run.status, 'draft');
	assert.equal(s.run.notes, 'For the finance committee.\nCautious pay and funding.');
	const withDeficit = s.entities.filter((e) => e.first_deficit_year !== null && e.kind !== 'trust');
	assert.ok(withDeficit.length > 0, 'the cautious case has an in-year deficit');
	await page.locator('#chart-in_year_balance_pence').waitFor();
	for (const e of s.entities) {
		assert.equal(await page.locator(`#overview tr[data-entity="${e.entity}"] td[data-first-deficit]`).getAttribute('data-first-deficit'), e.first_deficit_year ?? '');
		const last = e.years.at(-1);
		const cell = page.locator(`#table-closing_reserves_pence tr[data-entity="${e.entity}"] td[data-year="${last.year}"]`);
		assert.equal(await cell.getAttribute('data-pence'), String(last.closing_reserves_pence));
		assert.ok((await cell.textContent()).startsWith(pounds(last.closing_reserves_pence)));
	}
	for (const e of withDeficit) {
		await page.locator(`#table-in_year_balance_pence tr[data-entity="${e.entity}"] td[data-year="${e.first_deficit_year}"] [data-mark="first-deficit"]`).waitFor();
		await page.locator('#chart-in_year_balance_pence-marks').getByText(`${e.name} in ${e.first_deficit_year}`).waitFor();
	}
	assert.ok(await page.locator('#chart-in_year_balance_pence').evaluate((c) => c.width > 0 && c.height > 0), 'the chart was drawn');
	await checked(page, 'run-draft');

	// edit the notes (If-Match: the run's version)
	await page.getByRole('button', { name: 'Edit label and notes' }).click();
	await page.getByLabel('Notes').fill('For the finance committee on 3 December.');
	await page.getByRole('button', { name: 'Save label and notes' }).click();
	await page.getByText('The label and notes were saved.').waitFor();
	await page.locator('#run-notes').getByText('For the finance committee on 3 December.').waitFor();

	// publish, after confirming
	await page.getByRole('button', { name: 'Publish' }).click();
	await page.locator('#run-confirm').getByText('Publish “Board pack: cautious”?').waitFor();
	await checked(page, 'run-publish-confirm');
	await page.getByRole('button', { name: 'Yes, publish it' }).click();
	await page.getByText('The run was published').waitFor();
	await page.locator('#run-status').getByText('Published').waitFor();
	const head = (await apiGet(d, `/api/v1/forecasts/${runs.board}/summary`)).run;
	assert.equal(head.status, 'published');
	assert.equal(head.notes, 'For the finance committee on 3 December.');
	assert.ok(head.published_at);
	await checked(page, 'run-published');

	// the summary as XLSX, the API's bytes
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: /^Download XLSX of the summary/ }).click(),
	]);
	const xlsx = fs.readFileSync(await download.path());
	assert.equal(xlsx.subarray(0, 2).toString('latin1'), 'PK');
	assert.ok(xlsx.equals(await apiBytes(d, `/api/v1/forecasts/${runs.board}/summary`,
		'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')), 'the XLSX downloaded is the API\'s');
	assert.match(download.suggestedFilename(), /\.xlsx$/);

	// two more runs (one a draft kept as such), then compare the three from the list
	for (const [name, scenario] of [['expected', 'expected'], ['second', 'cautious']]) {
		const r = await apiAs('finance_director', 'POST', '/api/v1/forecasts', { scenario, label: `Runs test ${name}` });
		assert.equal(r.status, 201, JSON.stringify(r.body));
		runs[name] = r.body.id;
	}
	await page.goto(`${d.url}/trust/forecasts`);
	await page.locator(`tr[data-run="${runs.board}"]`).getByText('Published').waitFor();
	await page.locator(`tr[data-run="${runs.expected}"]`).getByText('Draft').waitFor();
	await checked(page, 'runs-list');
	for (const id of [runs.board, runs.expected, runs.second])
		await page.locator(`#cmp-${id}`).check();
	await page.getByRole('button', { name: 'Compare chosen runs' }).click();
	await page.waitForURL(/\/trust\/forecasts\/compare\?runs=/);
	await page.locator('#cmp-chart-trust').waitFor();
	await page.locator('#cmp-chart-closing_reserves_pence').waitFor();
	const ids = [runs.board, runs.expected, runs.second];
	const cmp = await apiGet(d, `/api/v1/forecasts/compare?runs=${ids.join(',')}`);
	assert.deepEqual(cmp.runs.map((r) => r.id), ids);
	const school = withDeficit.find((e) => e.kind === 'school') ?? withDeficit[0];
	await page.getByLabel('School').selectOption(school.entity);
	const item = cmp.items.filter((i) => i.entity === school.entity).at(-1);
	for (const [i, id] of ids.entries()) {
		const c = page.locator(`#cmp-closing_reserves_pence tr[data-year="${item.year}"] td[data-run="${id}"]`);
		assert.equal(await c.getAttribute('data-pence'), String(item.values[i].closing_reserves_pence));
		if (i > 0)
			assert.equal(await c.locator('.bursar-secondary').textContent(), `${item.diff[i].closing_reserves_pence > 0 ? '+' : ''}${pounds(item.diff[i].closing_reserves_pence)}`);
	}
	const trust = cmp.items.filter((i) => i.entity === 'trust').at(-1);
	assert.equal(await page.locator(`#cmp-trust tr[data-year="${trust.year}"] td[data-run="${runs.second}"]`).getAttribute('data-pence'),
		String(trust.values[2].closing_reserves_pence));
	await checked(page, 'runs-compare');
	const [csv] = await Promise.all([
		page.waitForEvent('download'),
		page.getByRole('button', { name: 'Download CSV of the comparison' }).click(),
	]);
	assert.match(fs.readFileSync(await csv.path(), 'utf8'), /^\ufeff?entity,name,year,measure,/);

	// a draft goes after confirming
	await page.goto(`${d.url}/trust/forecasts/${runs.second}`);
	await page.getByRole('button', { name: 'Delete draft' }).click();
	await page.getByRole('button', { name: 'Yes, delete it' }).click();
	await page.getByRole('heading', { level: 1, name: 'Forecasts' }).waitFor();
	assert.equal((await apiAs('finance_director', 'GET', `/api/v1/forecasts/${runs.second}`)).status, 404);
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('a business manager sees published runs only, and her school only', async () => {
	assert.ok(runs.board && runs.expected, 'the first test made the runs');
	const page = await signIn('business_manager');
	const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
	const mine = me.schools.map((s) => s.urn);
	await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Forecasts' }).click();
	await page.getByRole('heading', { level: 1, name: 'Forecasts' }).waitFor();
	await page.locator(`tr[data-run="${runs.board}"]`).waitFor();
	assert.equal(await page.getByRole('button', { name: 'Run forecast' }).count(), 0, 'no run form');
	assert.equal(await page.locator('#run-status').count(), 0, 'no status filter: she sees published runs only');
	assert.equal(await page.locator(`tr[data-run="${runs.expected}"]`).count(), 0, 'a draft is not listed');
	assert.equal(await page.locator('#runs').getByText('Draft', { exact: true }).count(), 0);
	await checked(page, 'runs-list-business-manager');

	await page.locator(`tr[data-run="${runs.board}"]`).getByRole('link', { name: 'Board pack: cautious' }).click();
	await page.getByRole('heading', { level: 1, name: 'Board pack: cautious' }).waitFor();
	await page.locator('#table-closing_reserves_pence').waitFor();
	const shown = await page.locator('#table-closing_reserves_pence tbody tr').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-entity')));
	assert.ok(shown.length > 0);
	assert.deepEqual(shown.filter((u) => !mine.includes(u)), [], 'only her schools');
	for (const name of ['Publish', 'Withdraw', 'Edit label and notes', 'Delete draft'])
		assert.equal(await page.getByRole('button', { name }).count(), 0, `no ${name} for her`);
	await checked(page, 'run-business-manager');

	// a draft's address: the API's 403, said plainly
	await page.goto(`${d.url}/trust/forecasts/${runs.expected}`);
	await page.locator('#run-forbidden').waitFor();
	await checked(page, 'run-draft-business-manager');
	assert.deepEqual(page.problems, []);
	await page.context().close();
});
