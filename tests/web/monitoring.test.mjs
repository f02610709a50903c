// monitoring.test.mjs - a school's budget monitoring in Chromium (issue 17).
// The business manager opens her school's Monitoring from the header, picks
// November 2026 (closed months marked, open ones said so; the page starts at
// the latest closed month) and reads every line's figures, the full-year
// variance's favourable/adverse tag (the API's full_year_favourable, on lines and
// totals), the totals, reserves and KPIs exactly as GET
// /schools/{urn}/monitoring gives them, and the chart's months from that one
// answer (one request per month shown, not one per month of the year);
// she enters a line's forecast outturn with its note and the totals on the page
// become the API's new ones (the outturn total moved by exactly the outturn's
// change); she comments on the line's variance; a change someone else made
// meanwhile is refused (412: "changed by someone else", nothing saved). The
// finance director reaches the page from the school's budget page. axe-core on
// every state, a screenshot of each.
//
// The actuals: the demo's (schema/seed/080_monitoring.sql) when the school has
// November's; otherwise this file writes a few of its own (removed at the end).
// Its outturn and comment are removed at the end.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { apiFetch, Bursard, checked, launchBrowser, signedIn, sql } from './harness.mjs';

const YEAR = '2026-27';
const MONTH = '2026-11';
let d;
let browser;
let urn;
let code;                  /* the line this file enters an outturn and a comment on */
let own = [];              /* the codes whose September-November actuals are this file's (to remove) */

const api = (method, p, body, headers = {}, role = 'finance_director', accept = 'application/json') =>
	apiFetch(d, method, p, body, headers, role, accept);

const signIn = (role) => signedIn(browser, d, role);

const checkedClean = (page, name) => checked(page, name, { problems: true });

async function monitoring() {
	const r = await api('GET', `/api/v1/schools/${urn}/monitoring?month=${MONTH}`);
	assert.equal(r.status, 200, JSON.stringify(r.body));
	return r.body;
}

/* Every figure on the page is the API's: the lines, the totals, reserves and KPIs. */
async function sameAsApi(page, m) {
	for (const l of m.lines) {
		const row = page.locator(`#monitoring-lines tr[data-code="${l.account_code}"]`);
		const cells = Object.fromEntries(await row.locator('td[data-col]').evaluateAll((tds) => tds.map((t) => [t.getAttribute('data-col'), Number(t.getAttribute('data-pence'))])));
		assert.deepEqual(cells, {
			budget: l.budget_pence, profile_to_date: l.profile_to_date_pence, actual_to_date: l.actual_to_date_pence,
			commitment_to_date: l.commitment_to_date_pence, variance_to_date: l.variance_to_date_pence,
			outturn: l.outturn_pence, full_year_variance: l.full_year_variance_pence,
		}, l.account_code);
		assert.match(await row.locator('td[data-col="variance_to_date"]').innerText(), l.favourable ? /Favourable/ : /Adverse/);
		assert.match(await row.locator('td[data-col="full_year_variance"]').innerText(), l.full_year_favourable ? /Favourable/ : /Adverse/,
			`${l.account_code}: the full-year tag is the API's`);
	}
	for (const [k, f] of [['income_pence', 'income'], ['expenditure_pence', 'expenditure'], ['balance_pence', 'balance'], ['staff_pence', 'staff']]) {
		const cell = page.locator(`#monitoring-totals tr[data-total="${k}"] td[data-col="full_year_variance"]`);
		assert.equal(Number(await cell.getAttribute('data-pence')), m.totals.full_year_variance[k], `full-year variance ${k}`);
		assert.match(await cell.innerText(), m.totals.full_year_favourable[f] ? /Favourable/ : /Adverse/, `full-year tag ${k}`);
	}
	/* the chart's table: the API's months (the totals to the end of each month) */
	for (const mo of m.months) {
		const tr = page.locator(`#monitoring-chart-table tr[data-month="${mo.month}"]`);
		const got = Object.fromEntries(await tr.locator('td[data-col]').evaluateAll((tds) => tds.map((t) => [t.getAttribute('data-col'), t.getAttribute('data-pence')])));
		assert.deepEqual(got, {
			profile_income: String(mo.profile_to_date.income_pence), profile_expenditure: String(mo.profile_to_date.expenditure_pence),
			actual_income: mo.actual_to_date === null ? '' : String(mo.actual_to_date.income_pence),
			actual_expenditure: mo.actual_to_date === null ? '' : String(mo.actual_to_date.expenditure_pence),
		}, mo.month);
	}
	for (const col of ['budget', 'profile_to_date', 'actual_to_date', 'outturn'])
		for (const k of ['income_pence', 'expenditure_pence', 'balance_pence', 'staff_pence'])
			assert.equal(Number(await page.locator(`#monitoring-totals tr[data-total="${k}"] td[data-col="${col}"]`).getAttribute('data-pence')),
				m.totals[col][k], `${col} ${k}`);
	for (const [k, v] of Object.entries({ ...m.reserves, ...m.kpis }))
		assert.equal(await page.locator(`#monitoring-reserves [data-key="${k}"]`).getAttribute('data-value'), v === null ? '' : String(v), k);
}

before(async () => {
	d = await new Bursard('monitoring').start();
	browser = await launchBrowser();
	const me = await api('GET', '/api/v1/me', undefined, {}, 'business_manager');
	urn = me.body.schools[0].urn;
	const actuals = await api('GET', `/api/v1/schools/${urn}/actuals?year=${YEAR}`);
	assert.equal(actuals.status, 200, JSON.stringify(actuals.body));
	if (!actuals.body.items.some((a) => a.month === MONTH && a.kind === 'actual')) {
		/* no demo actuals: a few of this file's own, September to November, around the budget's months */
		const b = await api('GET', `/api/v1/schools/${urn}/budgets/${YEAR}`);
		assert.equal(b.status, 200, JSON.stringify(b.body));
		/* one per code (a code may have several lines), income and expenditure */
		const byCode = new Map();
		for (const l of b.body.lines.filter((x) => !x.computed && x.amount_pence > 0))
			if (!byCode.has(l.account_code))
				byCode.set(l.account_code, l);
		const all = [...byCode.values()];
		const lines = [...all.filter((l) => l.kind === 'income').slice(0, 2), ...all.filter((l) => l.kind === 'expenditure').slice(0, 3)];
		const values = [];
		for (const l of lines)
			for (let m = 1; m <= 3; m++)
				values.push(`((SELECT id FROM schools WHERE urn = '${urn}'), 2026, ${m}, 'actual', (SELECT id FROM accounts WHERE code = '${l.account_code}'), ${l.months_pence[m - 1] + 12345 * m})`);
		sql(`INSERT INTO actuals (school_id, year, month, kind, account_id, amount_pence) VALUES ${values.join(', ')}`);
		own = lines.map((l) => l.account_code);
	}
	const m = await monitoring();
	const line = m.lines.find((l) => l.kind === 'expenditure' && l.budget_pence > 0 && l.actual_to_date_pence !== 0 && l.outturn === null && l.comment === null);
	assert.ok(line, 'a line with a budget and actuals');
	code = line.account_code;
});
after(async () => {
	if (code !== undefined) {
		const m = await monitoring().catch(() => null);
		const l = m?.lines.find((x) => x.account_code === code);
		if (l?.outturn)
			await api('DELETE', `/api/v1/schools/${urn}/outturns/${YEAR}/${code}`, undefined, { 'If-Match': `"${l.outturn.version}"` });
		if (l?.comment)
			await api('DELETE', `/api/v1/schools/${urn}/comments/${MONTH}/${code}`, undefined, { 'If-Match': `"${l.comment.version}"` });
	}
	if (own.length > 0)
		sql(`DELETE FROM actuals WHERE school_id = (SELECT id FROM schools WHERE urn = '${urn}') AND year = 2026 AND month BETWEEN 1 AND 3
			AND kind = 'actual' AND import_id IS NULL AND account_id IN (SELECT id FROM accounts WHERE code IN (${own.map((c) => `'${c}'`).join(', ')}))`);
	await browser?.close();
	assert.equal(await d.stop(), 0);
});

test('a business manager reads November\'s monitoring, enters an outturn with a note and comments on a variance', async () => {
	const m0 = await monitoring();
	const page = await signIn('business_manager');
	/* the monitoring's requests: one per month shown (the chart's months come with it) */
	const reads = [];
	page.on('request', (r) => { if (/\/api\/v1\/schools\/[^/]+\/monitoring/.test(r.url())) reads.push(r.url()); });
	await page.getByRole('navigation').getByRole('link', { name: 'Monitoring' }).click();
	await page.waitForURL(new RegExp(`/schools/${urn}/monitoring`));
	await page.getByRole('heading', { level: 1, name: /^Monitoring: / }).waitFor();
	/* the month picker: the year's twelve months, the closed ones marked and the open ones said so;
	 * it starts at the latest closed month (the API's default) */
	const periods = (await api('GET', `/api/v1/periods?year=${YEAR}`)).body.items;
	await page.locator(`#month option[value="${periods[11].month}"]`).waitFor({ state: 'attached' });
	for (const p of periods)
		assert.match(await page.locator(`#month option[value="${p.month}"]`).innerText(), p.closed ? /\(closed\)$/ : /\(open\)$/, p.month);
	const latestClosed = periods.filter((p) => p.closed).at(-1)?.month ?? periods[0].month;
	assert.equal(await page.locator('#month').inputValue(), latestClosed, 'the latest closed month first');
	await page.locator('#monitoring-chart-table tr[data-month]').first().waitFor();
	assert.equal(reads.length, 1, `one read of the monitoring for the month shown: ${reads.join(' ')}`);
	/* an open month can be chosen: the page says it is open */
	const open = periods.find((p) => !p.closed);
	if (open !== undefined) {
		await page.locator('#month').selectOption(open.month);
		await page.waitForURL(new RegExp(`month=${open.month}`));
		await page.locator('#monitoring-status').getByText('Open', { exact: true }).waitFor();
		await checkedClean(page, 'monitoring-open-month');
	}
	reads.length = 0;
	await page.locator('#month').selectOption(MONTH);
	await page.waitForURL(new RegExp(`month=${MONTH}`));
	/* November's figures on the page, not the month shown before (kept while November loads) */
	await page.waitForFunction(() => document.querySelector('#monitoring-status')?.textContent?.startsWith('November 2026 is'));
	await page.locator(`#monitoring-lines tr[data-code="${code}"]`).waitFor();
	await sameAsApi(page, m0);
	assert.deepEqual(reads, [`${d.url}/api/v1/schools/${urn}/monitoring?month=${MONTH}`], 'one request for the month and its chart');
	/* the chart's figures: the API's totals to date at each month (November's are the page's own) */
	await page.locator('#monitoring-chart').waitFor();
	const nov = page.locator(`#monitoring-chart-table tr[data-month="${MONTH}"]`);
	await nov.waitFor();
	assert.equal(Number(await nov.locator('td[data-col="actual_expenditure"]').getAttribute('data-pence')), m0.totals.actual_to_date.expenditure_pence);
	assert.equal(Number(await nov.locator('td[data-col="profile_income"]').getAttribute('data-pence')), m0.totals.profile_to_date.income_pence);
	const oct = (await api('GET', `/api/v1/schools/${urn}/monitoring?month=2026-10`)).body;
	assert.equal(Number(await page.locator('#monitoring-chart-table tr[data-month="2026-10"] td[data-col="actual_expenditure"]').getAttribute('data-pence')),
		oct.totals.actual_to_date.expenditure_pence);
	assert.equal(await page.locator('#monitoring-chart-table tr[data-month="2026-12"] td[data-col="actual_expenditure"]').getAttribute('data-pence'), '',
		'no actuals after the month');
	await checkedClean(page, 'monitoring');

	// an outturn with its note: saved, the page's totals are the API's new ones
	const l0 = m0.lines.find((l) => l.account_code === code);
	const row = page.locator(`#monitoring-lines tr[data-code="${code}"]`);
	await row.getByRole('button', { name: `Enter outturn of ${code}` }).click();
	const form = page.locator('#line-notes');
	await form.waitFor();
	const outturn = l0.budget_pence + 500012;          /* £5,000.12 over the budget */
	const pounds = `${Math.trunc(outturn / 100)}.${String(outturn % 100).padStart(2, '0')}`;
	await form.getByLabel('Forecast outturn for the year').fill(pounds);
	await form.getByRole('button', { name: 'Save the outturn' }).click();
	const err = form.locator('.govuk-error-summary');
	await err.waitFor();        /* the note is required: the API's error on its field */
	assert.equal((await monitoring()).lines.find((l) => l.account_code === code).outturn, null, 'nothing saved');
	await checkedClean(page, 'monitoring-outturn-error');
	await form.getByLabel(/^Note/).fill('Supply cover for two long-term absences to Easter.');
	await form.getByRole('button', { name: 'Save the outturn' }).click();
	await page.locator('#monitoring-done').waitFor();
	const m1 = await monitoring();
	const l1 = m1.lines.find((l) => l.account_code === code);
	assert.equal(l1.outturn_pence, outturn);
	assert.equal(l1.outturn.note, 'Supply cover for two long-term absences to Easter.');
	assert.equal(m1.totals.outturn.expenditure_pence - m0.totals.outturn.expenditure_pence, outturn - l0.outturn_pence,
		'the outturn total moved by exactly the outturn\'s change');
	await page.locator(`#monitoring-totals tr[data-total="expenditure_pence"] td[data-col="outturn"][data-pence="${m1.totals.outturn.expenditure_pence}"]`).waitFor();
	await sameAsApi(page, m1);
	assert.match(await row.innerText(), /Entered/);
	await checkedClean(page, 'monitoring-outturn');

	// a comment on the variance
	await row.getByRole('button', { name: `Comment on ${code}` }).click();
	await form.getByLabel('Comment on the variance').fill('Two teachers off sick since October.');
	await form.getByRole('button', { name: 'Save the comment' }).click();
	await page.locator('#monitoring-done').getByText(`The comment on ${code}`).waitFor();
	const l2 = (await monitoring()).lines.find((l) => l.account_code === code);
	assert.equal(l2.comment.text, 'Two teachers off sick since October.');
	await row.locator('[data-note="comment"]').getByText('Two teachers off sick since October.').waitFor();

	// a stale change: someone else changed the outturn since the form opened
	await row.getByRole('button', { name: `Change outturn of ${code}` }).click();
	await form.waitFor();
	const other = await api('PUT', `/api/v1/schools/${urn}/outturns/${YEAR}/${code}`, { amount_pence: outturn + 100, note: 'Changed elsewhere' },
		{ 'If-Match': `"${l2.outturn.version}"` });
	assert.equal(other.status, 200, JSON.stringify(other.body));
	await form.getByLabel(/^Note/).fill('My change');
	await form.getByRole('button', { name: 'Save the outturn' }).click();
	await form.getByText('This was changed by someone else since you opened the page.').waitFor();
	const l3 = (await monitoring()).lines.find((l) => l.account_code === code);
	assert.equal(l3.outturn.note, 'Changed elsewhere', 'nothing of theirs overwritten');
	await checkedClean(page, 'monitoring-stale');
	await form.getByRole('button', { name: 'Reload the monitoring' }).click();
	await row.locator('[data-note="outturn"]').getByText('Changed elsewhere').waitFor();
	await sameAsApi(page, await monitoring());
	await page.context().close();
});

test('the finance director reaches a school\'s monitoring from its budget page', async () => {
	const page = await signIn('finance_director');
	await page.goto(`${d.url}/schools/${urn}`);
	await page.getByRole('link', { name: 'Monitoring: the budget against the actuals' }).click();
	await page.waitForURL(new RegExp(`/schools/${urn}/monitoring`));
	await page.locator('#monitoring-totals').waitFor();
	await checkedClean(page, 'monitoring-finance-director');
	await page.context().close();
});
