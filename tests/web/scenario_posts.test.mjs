// scenario_posts.test.mjs - a what-if on posts in Chromium (issue 16): the
// finance director copies the seeded `expected` scenario from its page, and on
// the copy adds a post_end action for a live post of a school planning by post
// and a TPS employer rate change from January (not April); a bad date first,
// its error on its field and nothing saved. She runs a forecast of the copy and
// of `expected` unchanged from the pages, compares the two (the school's
// in-year balance differs by the API's figures) and downloads each run's lines
// from its page: the school's E01 (teaching staff) differs between the runs and
// each is the API's. The live post is unchanged (same version). axe-core on
// every page, a screenshot of each, no script error. Then on the copy she
// plans another school by post (overrides.staff_by_post) and its run's E01 is
// costed from posts, while its live record does not change.
//
// Its own objects: the copy ("wi posts <run>") and the two runs. The school's
// staff_by_post is switched on through the API first and put back at the end,
// as staff.test.mjs does; the seeded posts and scenarios are read, never changed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import { apiFetch, apiGet, Bursard, checked, launchBrowser, pounds, signedIn } from './harness.mjs';

const RUN = Date.now().toString(36).slice(-5);
const NAME = `wi posts ${RUN}`;
const YEAR = '2027-28';               /* the first academic year the post is gone from */
let d;
let browser;
let school;                           /* the school planning by post in this file */
let wasByPost;
let post;                             /* its live E01 post, as the API gave it before */
let copyId;                           /* the what-if copy */
let runExpected;                      /* the run of expected as it is */

const api = (method, p, body, headers = {}) => apiFetch(d, method, p, body, headers);

const signIn = (role) => signedIn(browser, d, role);

async function setByPost(on) {
	const s = await apiGet(d, `/api/v1/schools/${school.urn}`);
	if (s.staff_by_post === on)
		return;
	const { name, phase, local_authority, finance_model, floor_area_m2, periods_per_cycle } = s;
	const r = await api('PUT', `/api/v1/schools/${school.urn}`, { name, phase, local_authority, finance_model, floor_area_m2, periods_per_cycle,
		staff_by_post: on }, { 'If-Match': `"${s.version}"` });
	assert.equal(r.status, 200, JSON.stringify(r.body));
}

/* RFC 4180 rows: quoted fields may hold commas, quotes ("") and line breaks. */
function csvRows(text) {
	const rows = [];
	let row = [];
	let f = '';
	let q = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (q) {
			if (ch === '"' && text[i + 1] === '"') { f += '"'; i++; } else if (ch === '"') q = false; else f += ch;
		} else if (ch === '"') q = true;
		else if (ch === ',') { row.push(f); f = ''; } else if (ch === '\r' && text[i + 1] === '\n') { row.push(f); rows.push(row); row = []; f = ''; i++; } else f += ch;
	}
	if (f !== '' || row.length > 0) { row.push(f); rows.push(row); }
	return rows;
}

/* A run's lines CSV (a BOM, then entity,name,year,line_no,account_code,...,amount,...):
 * the sum of the entity's lines on a code in a year, in pence (amounts are pounds 1234.56). */
function codeTotal(csv, urn, year, code) {
	const [head, ...rows] = csvRows(csv.replace(/^\ufeff/, ''));
	const at = (k) => head.indexOf(k);
	let total = 0n;
	let n = 0;
	for (const c of rows) {
		if (c[at('entity')] !== urn || c[at('year')] !== year || c[at('account_code')] !== code)
			continue;
		n++;
		const m = /^(-?)(\d+)\.(\d{2})$/.exec(c[at('amount')] ?? '');
		assert.ok(m, `an amount in pounds: ${c.join(',')}`);
		total += (m[1] === '-' ? -1n : 1n) * (BigInt(m[2]) * 100n + BigInt(m[3]));
	}
	assert.ok(n > 0, `the run has ${code} lines of ${urn} in ${year}`);
	return Number(total);
}

/* The API's run: the entity's lines on a code in a year, summed. */
function apiCodeTotal(run, urn, year, code) {
	const y = run.entities.find((e) => e.urn === urn).years.find((x) => x.year === year);
	return (y.lines ?? []).filter((l) => l.account_code === code).reduce((s, l) => s + l.amount_pence, 0);
}

before(async () => {
	d = await new Bursard('scenposts').start();
	browser = await launchBrowser();
	/* a school other than the business manager's (staff.test.mjs works on hers) with a live E01 post */
	const me = (await apiFetch(d, 'GET', '/api/v1/me', undefined, {}, 'business_manager')).body;
	const mine = new Set((me.schools ?? []).map((s) => s.urn));
	const schools = (await apiGet(d, '/api/v1/schools?limit=200')).items.filter((s) => s.kind === 'school');
	for (const s of [...schools.filter((x) => !mine.has(x.urn)), ...schools.filter((x) => mine.has(x.urn))]) {
		const posts = (await apiGet(d, `/api/v1/schools/${s.urn}/posts?limit=1000`)).items;
		const p = posts.find((x) => !x.deleted && x.account_code === 'E01' && x.ends_on === null && x.role === 'teacher');
		if (p !== undefined) {
			school = s;
			post = p;
			break;
		}
	}
	assert.ok(post, 'the demo trust has a school with a live teaching post on E01');
	wasByPost = (await apiGet(d, `/api/v1/schools/${school.urn}`)).staff_by_post;
	await setByPost(true);
});
after(async () => {
	if (wasByPost !== undefined)
		await setByPost(wasByPost);
	await browser?.close();
	assert.equal(await d.stop(), 0);
});

test('the finance director ends a post and raises TPS from January in a what-if, runs both and sees E01 differ', async () => {
	const expected = (await apiGet(d, '/api/v1/scenarios?limit=200')).items.find((s) => s.name === 'expected' && !s.deleted);
	const source = await apiGet(d, `/api/v1/scenarios/${expected.id}`);
	const page = await signIn('finance_director');

	// the copy: one change the what-if form takes (the school's own finance model, so nothing else moves)
	await page.goto(`${d.url}/trust/scenarios/${expected.id}`);
	await page.getByRole('heading', { level: 1, name: 'expected' }).waitFor();
	await page.getByRole('button', { name: 'What if…' }).click();
	const wi = page.locator('#what-if');
	await wi.waitFor();
	await wi.getByLabel('Name of the copy', { exact: true }).fill(NAME);
	await wi.getByLabel('Another finance model for a school').check();
	await wi.getByLabel('School', { exact: true }).selectOption(school.urn);
	await wi.getByLabel('Finance model', { exact: true }).selectOption(school.finance_model);
	await wi.getByRole('button', { name: 'Make the copy' }).click();
	await page.waitForURL(/\/trust\/scenarios\/\d+\?created=1$/);
	await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
	copyId = Number(new URL(page.url()).pathname.split('/').pop());
	const copy0 = await apiGet(d, `/api/v1/scenarios/${copyId}`);
	assert.deepEqual(copy0.actions, source.actions);

	// a post action and a rate change; a date that is no date first: its error on its field, nothing saved
	await page.getByRole('button', { name: 'Change overrides and actions' }).click();
	const form = page.locator('#overrides-form');
	await form.waitFor();
	const n = (await form.locator('#ov-post-actions > li').count());
	await form.getByRole('button', { name: 'Add a post action' }).click();
	const pa = (k) => form.locator(`#ov-post-${n}-${k}`);
	await pa('type').selectOption('post_end');
	await pa('entity').selectOption(school.urn);
	await pa('post').fill(post.reference);
	await pa('from').fill('2027-02-30');
	await pa('note').fill(`Post ${post.reference} not replaced`);
	const r = (source.assumptions.staff_rate_changes ?? []).length;
	await form.getByRole('button', { name: 'Add a rate change' }).click();
	await form.locator(`#ov-rate-${r}-scheme`).selectOption('tps');
	await form.locator(`#ov-rate-${r}-from`).fill('2027-01');
	await form.locator(`#ov-rate-${r}-rate`).fill('30.68');
	await form.getByRole('button', { name: 'Save overrides and actions' }).click();
	const err = form.locator('.govuk-error-summary').getByRole('link', { name: new RegExp(`^Post action ${n + 1}`) });
	await err.waitFor();
	await err.click();
	assert.equal(await page.evaluate(() => document.activeElement?.id), `ov-post-${n}-from`);
	assert.match(await pa('from').getAttribute('class'), /govuk-input--error/);
	assert.equal((await apiGet(d, `/api/v1/scenarios/${copyId}`)).version, copy0.version, 'nothing saved');
	await checked(page, 'scenario-posts-error');

	await pa('from').fill('2027-09-01');
	await form.getByRole('button', { name: 'Save overrides and actions' }).click();
	await page.getByText('The overrides and management actions were saved.').waitFor();
	const copy = await apiGet(d, `/api/v1/scenarios/${copyId}`);
	assert.equal(copy.version, copy0.version + 1);
	assert.deepEqual(copy.actions.filter((a) => a.type === 'post_end'), [...source.actions.filter((a) => a.type === 'post_end'),
		{ type: 'post_end', entity: school.urn, post: post.reference, from: '2027-09-01', note: `Post ${post.reference} not replaced` }]);
	assert.deepEqual(copy.assumptions.staff_rate_changes.at(-1), { scheme: 'tps', from: '2027-01', rate_bp: 3068 });
	await page.locator('#actions tr[data-action="post_end"]', { hasText: `Post ${post.reference} ends` }).waitFor();
	await page.locator('#rate-changes tr', { hasText: '2027-01' }).waitFor();
	await checked(page, 'scenario-posts-saved');

	// a run of each: the copy, then expected as it is
	const runs = {};
	for (const [key, sc] of [['copy', { id: copyId, name: NAME }], ['expected', { id: expected.id, name: 'expected' }]]) {
		await page.goto(`${d.url}/trust/forecasts?scenario=${sc.id}`);
		const opt = page.locator('#run-scenario option', { hasText: new RegExp(`^${sc.name} \\(`) });
		await opt.waitFor({ state: 'attached' });
		assert.equal(await opt.evaluate((o) => o.selected), true, `the run form has ${sc.name} chosen`);
		await page.getByRole('button', { name: 'Run forecast' }).click();
		try {
			await page.waitForURL(/\/trust\/forecasts\/\d+$/, { timeout: 60000 });
		} catch (e) {
			throw new Error(`the run of ${sc.name} did not open: ${await page.locator('main').innerText()}\n${page.problems.join('; ')}`);
		}
		runs[key] = Number(new URL(page.url()).pathname.split('/').pop());
		await page.locator('#chart-closing_reserves_pence').waitFor();
	}
	const runCopy = await apiGet(d, `/api/v1/forecasts/${runs.copy}`);
	const runExp = await apiGet(d, `/api/v1/forecasts/${runs.expected}`);
	assert.equal(runCopy.scenario.id, copyId);
	assert.equal(runExp.scenario.id, expected.id);
	const e01 = { copy: apiCodeTotal(runCopy, school.urn, YEAR, 'E01'), expected: apiCodeTotal(runExp, school.urn, YEAR, 'E01') };
	assert.notEqual(e01.copy, e01.expected, `the API's E01 of ${school.urn} in ${YEAR} differs between the runs`);

	// compare them: the school's in-year balance in each run and the difference, the API's
	await page.goto(`${d.url}/trust/forecasts/compare?runs=${runs.expected},${runs.copy}`);
	await page.locator('#cmp-chart-closing_reserves_pence').waitFor();
	await page.getByLabel('School').selectOption(school.urn);
	const cmp = await apiGet(d, `/api/v1/forecasts/compare?runs=${runs.expected},${runs.copy}`);
	const item = cmp.items.find((i) => i.entity === school.urn && i.year === YEAR);
	assert.notEqual(item.diff[1].in_year_balance_pence, 0, 'the school\'s in-year balance moves');
	for (const [run, figures] of [[runs.expected, item.values[0]], [runs.copy, item.values[1]]]) {
		const b = page.locator(`#cmp-in_year_balance_pence tr[data-year="${YEAR}"] td[data-run="${run}"]`);
		assert.equal(await b.getAttribute('data-pence'), String(figures.in_year_balance_pence));
	}
	const diff = page.locator(`#cmp-in_year_balance_pence tr[data-year="${YEAR}"] td[data-run="${runs.copy}"] .bursar-secondary`);
	assert.equal(await diff.textContent(), `${item.diff[1].in_year_balance_pence > 0 ? '+' : ''}${pounds(item.diff[1].in_year_balance_pence)}`);
	await checked(page, 'scenario-posts-compare');

	// each run's page: its lines as CSV, the school's E01 the API's, different between the two
	const shown = {};
	for (const key of ['copy', 'expected']) {
		await page.goto(`${d.url}/trust/forecasts/${runs[key]}`);
		await page.locator('#chart-closing_reserves_pence').waitFor();
		await page.locator('#kpi-entity').selectOption(school.urn);
		await page.locator('#kpis-caption', { hasText: school.name }).waitFor();
		const [dl] = await Promise.all([page.waitForEvent('download'),
			page.getByRole('button', { name: /^Download CSV of every line of / }).click()]);
		shown[key] = codeTotal(fs.readFileSync(await dl.path(), 'utf8'), school.urn, YEAR, 'E01');
		assert.equal(shown[key], e01[key], `the ${key} run's E01 as the API has it`);
		await checked(page, `scenario-posts-run-${key}`);
	}
	assert.notEqual(shown.copy, shown.expected);
	runExpected = runs.expected;

	// the live post as it was
	const live = await apiGet(d, `/api/v1/schools/${school.urn}/posts/${post.id}`);
	assert.equal(live.version, post.version);
	assert.equal(live.ends_on, null);
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('on the copy she plans another school by post for its runs only: its E01 comes from posts in the run', async () => {
	assert.ok(copyId && runExpected, 'the first test made the copy and ran expected');
	const schools = (await apiGet(d, '/api/v1/schools?limit=200')).items.filter((x) => x.kind === 'school');
	const other = schools.find((x) => x.urn !== school.urn && !x.staff_by_post);
	assert.ok(other, 'a school not planning by post');
	const liveBefore = JSON.stringify(schools);
	const before1 = await apiGet(d, `/api/v1/scenarios/${copyId}`);

	const page = await signIn('finance_director');
	await page.goto(`${d.url}/trust/scenarios/${copyId}`);
	await page.getByRole('heading', { level: 1, name: NAME }).waitFor();
	await page.getByRole('button', { name: 'Change overrides and actions' }).click();
	const form = page.locator('#overrides-form');
	await form.waitFor();
	const sel = form.getByLabel(`Staff of ${other.name}`, { exact: true });
	assert.equal(await sel.inputValue(), '', 'its own to begin with');
	assert.match(await sel.locator('option[value=""]').textContent(), /Its own \(budget lines\)/);
	await sel.selectOption('yes');
	await checked(page, 'scenario-staff-by-post-form');
	await form.getByRole('button', { name: 'Save overrides and actions' }).click();
	await page.getByText('The overrides and management actions were saved.').waitFor();
	const sc = await apiGet(d, `/api/v1/scenarios/${copyId}`);
	assert.equal(sc.version, before1.version + 1);
	assert.deepEqual(sc.overrides.staff_by_post, { [other.urn]: true });
	assert.deepEqual(sc.actions, before1.actions, 'the actions as they were');
	assert.deepEqual(sc.assumptions, before1.assumptions);
	await page.locator('#overrides-staff-by-post').getByRole('row', { name: new RegExp(other.name) }).getByText('By post').waitFor();
	await checked(page, 'scenario-staff-by-post');

	// a run of the copy: the school's E01 from its posts (driver posts); under expected, not
	await page.goto(`${d.url}/trust/forecasts?scenario=${copyId}`);
	const opt = page.locator('#run-scenario option', { hasText: new RegExp(`^${NAME} \\(`) });
	await opt.waitFor({ state: 'attached' });
	await page.getByRole('button', { name: 'Run forecast' }).click();
	await page.waitForURL(/\/trust\/forecasts\/\d+$/, { timeout: 60000 });
	const runId = Number(new URL(page.url()).pathname.split('/').pop());
	await page.locator('#chart-closing_reserves_pence').waitFor();
	const drivers = (run) => [...new Set(run.entities.find((e) => e.urn === other.urn).years.find((y) => y.year === YEAR).lines
		.filter((l) => l.account_code === 'E01').map((l) => l.driver))];
	assert.ok(drivers(await apiGet(d, `/api/v1/forecasts/${runId}`)).includes('posts'), 'E01 from posts in the copy\'s run');
	assert.ok(!drivers(await apiGet(d, `/api/v1/forecasts/${runExpected}`)).includes('posts'), 'not in expected\'s');

	// the live schools as they were
	assert.equal(JSON.stringify((await apiGet(d, '/api/v1/schools?limit=200')).items.filter((x) => x.kind === 'school')), liveBefore);
	assert.deepEqual(page.problems, []);
	await page.context().close();
});
