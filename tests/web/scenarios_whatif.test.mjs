// scenarios_whatif.test.mjs - what-ifs from a scenario's page in Chromium: the
// finance director makes a copy of the seeded `expected` scenario with one
// change (a management action typed in pounds, read to pence exactly; her
// error and its link first), runs a forecast under the copy and finds the
// action's line in the run; on the copy she changes a school's finance model,
// a finance rule's setting and the actions (one added, one removed), saved
// with If-Match, and a stale version saves nothing; the schools' live records
// are untouched. An auditor reads the overrides with no button to change them.
// axe-core on every page, a screenshot of each, no CSP violation or script error.
//
// Its own objects: the copy (named "wi ..."), its run; the seeded scenarios,
// schools and configuration are read, never changed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { apiFetch, apiGet, Bursard, checked, launchBrowser, signedIn } from './harness.mjs';

let d;
let browser;
let copyId;                   /* the what-if copy this file makes */

const api = (method, p, body, headers = {}) => apiFetch(d, method, p, body, headers);

const signIn = (role) => signedIn(browser, d, role);

before(async () => {
	d = await new Bursard('whatif').start();
	browser = await launchBrowser();
});
after(async () => {
	await browser?.close();
	assert.equal(await d.stop(), 0);
});

test('the finance director makes a what-if copy with an action from the scenario page and runs it', async () => {
	const schools = (await apiGet(d, '/api/v1/schools?limit=200')).items.filter((s) => s.kind === 'school');
	const school = schools[0];
	const liveBefore = JSON.stringify(schools);
	const expected = (await apiGet(d, '/api/v1/scenarios?limit=200')).items.find((s) => s.name === 'expected' && !s.deleted);
	const source = await apiGet(d, `/api/v1/scenarios/${expected.id}`);

	const page = await signIn('finance_director');
	await page.goto(`${d.url}/trust/scenarios`);
	await page.getByRole('link', { name: 'expected', exact: true }).click();
	await page.getByRole('heading', { level: 1, name: 'expected' }).waitFor();
	await page.getByRole('heading', { name: 'For this scenario’s runs only' }).waitFor();
	await page.getByRole('button', { name: 'What if…' }).click();
	const form = page.locator('#what-if');
	await form.waitFor();
	await checked(page, 'scenario-whatif');

	await form.getByLabel('Name of the copy', { exact: true }).fill('wi agency cut');
	await form.getByLabel('A management action').check();
	await form.getByLabel('School', { exact: true }).selectOption(school.urn);
	await form.getByLabel('Account code', { exact: true }).fill('E02');
	await form.getByLabel('From', { exact: true }).fill('2027-09-01');
	await form.getByLabel('What it is', { exact: true }).fill('Cut agency supply');
	// three decimal places: the page's own check, linked to the field, nothing sent
	await form.getByLabel('Change a year (£)').fill('-40,000.505');
	await form.getByRole('button', { name: 'Make the copy' }).click();
	const link = form.locator('.govuk-error-summary').getByRole('link', { name: /Change a year: .*no more than 2 decimal places/ });
	await link.waitFor();
	await link.click();
	assert.equal(await page.evaluate(() => document.activeElement?.id), 'wi-amount');
	await checked(page, 'scenario-whatif-error');

	await form.getByLabel('Change a year (£)').fill('-£40,000.50');
	await form.getByRole('button', { name: 'Make the copy' }).click();
	await page.waitForURL(/\/trust\/scenarios\/\d+\?created=1$/);
	await page.getByRole('heading', { level: 1, name: 'wi agency cut' }).waitFor();
	await page.getByText('The scenario was added.').waitFor();
	copyId = Number(new URL(page.url()).pathname.split('/').pop());
	assert.notEqual(copyId, expected.id);

	// the copy: the source's members, its actions and this one (pounds to pence exactly)
	const copy = await apiGet(d, `/api/v1/scenarios/${copyId}`);
	assert.deepEqual(copy.assumptions, source.assumptions);
	assert.deepEqual(copy.overrides, source.overrides);
	assert.deepEqual(copy.actions.slice(0, -1), source.actions);
	assert.deepEqual(copy.actions.at(-1), { type: 'line', entity: school.urn, account_code: 'E02', from: '2027-09-01', to: null,
		annual_pence: -4000050, note: 'Cut agency supply' });
	const row = page.locator('#actions tr', { hasText: 'Cut agency supply' });
	await row.getByText('£40,000.50').waitFor();
	await checked(page, 'scenario-whatif-copy');

	// run it: the action is a line of its own in each forecast year it covers
	await page.getByRole('button', { name: 'Run a forecast' }).click();
	await page.waitForURL(/\/trust\/forecasts\?scenario=\d+$/);
	const opt = page.locator('#run-scenario option', { hasText: /^wi agency cut/ });
	await opt.waitFor({ state: 'attached' });
	assert.equal(await opt.evaluate((o) => o.selected), true, 'the run form has the copy chosen');
	await page.getByRole('button', { name: 'Run forecast' }).click();
	await page.waitForURL(/\/trust\/forecasts\/\d+$/);
	const runId = Number(new URL(page.url()).pathname.split('/').pop());
	await page.locator('#chart-closing_reserves_pence').waitFor();
	await checked(page, 'scenario-whatif-run');
	const run = await apiGet(d, `/api/v1/forecasts/${runId}`);
	assert.equal(run.scenario.id, copyId);
	const years = run.entities.find((e) => e.urn === school.urn).years;
	const y2728 = years.find((y) => y.year === '2027-28');
	const line = y2728.lines.find((l) => l.description === 'Management action: Cut agency supply');
	assert.ok(line, 'the action is a line of the run in 2027-28');
	assert.equal(line.account_code, 'E02');
	assert.equal(line.amount_pence, -4000050, 'twelve months of it in 2027-28');
	assert.equal((years.find((y) => y.year === '2026-27').lines ?? []).some((l) => l.description.startsWith('Management action:')), false,
		'the base year is untouched');

	// nothing live changed
	assert.equal(JSON.stringify((await apiGet(d, '/api/v1/schools?limit=200')).items.filter((s) => s.kind === 'school')), liveBefore);
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('on the copy she changes a finance model, a setting and the actions, saved with If-Match', async () => {
	assert.ok(copyId, 'the first test made the copy');
	const schools = (await apiGet(d, '/api/v1/schools?limit=200')).items.filter((s) => s.kind === 'school');
	const local = schools.find((s) => s.finance_model === 'local');
	assert.ok(local, 'the demo trust has a school under local');
	const liveBefore = JSON.stringify(schools);
	const plugins = await apiGet(d, '/api/v1/plugins');
	const before = await apiGet(d, `/api/v1/scenarios/${copyId}`);

	const page = await signIn('finance_director');
	await page.goto(`${d.url}/trust/scenarios/${copyId}`);
	await page.getByRole('heading', { level: 1, name: 'wi agency cut' }).waitFor();
	await page.getByRole('button', { name: 'Change overrides and actions' }).click();
	const form = page.locator('#overrides-form');
	await form.waitFor();
	await checked(page, 'scenario-overrides-form');

	// the school's finance model for these runs only; a setting of the pool's rules
	await form.getByLabel(`Finance model of ${local.name}`).selectOption('central');
	await form.getByRole('button', { name: 'Add a setting' }).click();
	const n = before.actions.length;
	const settings = Object.entries(before.overrides.plugin_settings ?? {}).reduce((k, [, kv]) => k + Object.keys(kv).length, 0);
	const s = settings + 1;
	await form.getByLabel(`Setting ${s}: finance rules`).selectOption('central');
	await form.getByLabel(`Setting ${s}: name`).fill('retention_bp');
	await form.getByLabel(`Setting ${s}: value`).fill('500');

	// a new action (a cost from a date to a date); the first one removed
	await form.getByRole('button', { name: 'Add an action' }).click();
	const a = n + 1;
	await form.getByLabel(`Action ${a}: school`).selectOption('central');
	await form.getByLabel(`Action ${a}: account code`).fill('E27');
	await form.getByLabel(`Action ${a}: from`).fill('2028-01-01');
	await form.getByLabel(`Action ${a}: to`).fill('2028-12-31');
	await form.getByLabel(`Action ${a}: what it is`).fill('Board software');
	await form.getByLabel(`Action ${a}: change a year (£)`).fill('1,234.5x');
	await form.getByRole('button', { name: 'Save overrides and actions' }).click();
	const err = form.locator('.govuk-error-summary').getByRole('link', { name: new RegExp(`^Action ${a}, change a year \\(£\\): .*must be a number`) });
	await err.waitFor();
	await err.click();
	assert.equal(await page.evaluate(() => document.activeElement?.id), `ov-act-${a - 1}-amount`);
	await checked(page, 'scenario-overrides-error');
	await form.getByLabel(`Action ${a}: change a year (£)`).fill('12,000.07');

	// the API's own check: a setting the plugin refuses comes back on its row, nothing saved
	await form.getByLabel(`Setting ${s}: value`).fill('-7');
	await form.getByRole('button', { name: 'Save overrides and actions' }).click();
	await form.locator('.govuk-error-summary').getByRole('link', { name: /^Setting \d+ \(central/ }).waitFor();
	assert.match(await form.getByLabel(`Setting ${s}: value`).getAttribute('class'), /govuk-input--error/);
	assert.equal((await apiGet(d, `/api/v1/scenarios/${copyId}`)).version, before.version);
	await form.getByLabel(`Setting ${s}: value`).fill('500');

	await form.getByRole('button', { name: 'Remove action 1' }).click();
	await form.getByRole('button', { name: 'Save overrides and actions' }).click();
	await page.getByText('The overrides and management actions were saved.').waitFor();
	await checked(page, 'scenario-overrides-saved');

	const after1 = await apiGet(d, `/api/v1/scenarios/${copyId}`);
	assert.equal(after1.version, before.version + 1);
	assert.equal(after1.overrides.finance_model[local.urn], 'central');
	assert.equal(after1.overrides.plugin_settings.central.retention_bp, '500');
	assert.deepEqual(after1.actions, [...before.actions.slice(1), { type: 'line', entity: 'central', account_code: 'E27',
		from: '2028-01-01', to: '2028-12-31', annual_pence: 1200007, note: 'Board software' }]);
	assert.deepEqual(after1.assumptions, before.assumptions, 'the rest of the scenario as it was');
	await page.locator('#overrides-finance-model').getByRole('row', { name: new RegExp(local.name) }).getByText('central').waitFor();
	await page.locator('#overrides-plugin-settings').getByText('retention_bp').waitFor();

	// someone else saves in between: her stale version saves nothing and she is told
	await page.getByRole('button', { name: 'Change overrides and actions' }).click();
	const other = await api('PUT', `/api/v1/scenarios/${copyId}`, { ...after1, description: 'changed elsewhere' },
		{ 'If-Match': `"${after1.version}"` });
	assert.equal(other.status, 200);
	await form.getByRole('button', { name: 'Remove action 1' }).click();
	await form.getByRole('button', { name: 'Save overrides and actions' }).click();
	await form.locator('.govuk-error-summary').getByText('Someone else changed this scenario after you opened it, so nothing was saved.', { exact: false }).waitFor();
	const after2 = await apiGet(d, `/api/v1/scenarios/${copyId}`);
	assert.equal(after2.version, after1.version + 1);
	assert.deepEqual(after2.actions, after1.actions);

	// the live school records and the configured plugins are as they were
	assert.equal(JSON.stringify((await apiGet(d, '/api/v1/schools?limit=200')).items.filter((x) => x.kind === 'school')), liveBefore);
	assert.deepEqual(await apiGet(d, '/api/v1/plugins'), plugins);
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('an auditor reads the overrides and actions with no button to change them', async () => {
	assert.ok(copyId, 'the first test made the copy');
	const page = await signIn('auditor');
	await page.goto(`${d.url}/trust/scenarios/${copyId}`);
	await page.getByRole('heading', { level: 1, name: 'wi agency cut' }).waitFor();
	await page.locator('#actions').getByText('Board software').waitFor();
	assert.equal(await page.getByRole('button', { name: 'Change overrides and actions' }).count(), 0);
	assert.equal(await page.getByRole('button', { name: 'What if…' }).count(), 0);
	await checked(page, 'scenario-overrides-auditor');
	assert.deepEqual(page.problems, []);
	await page.context().close();
});
