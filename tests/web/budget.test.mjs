// budget.test.mjs - the school's budget page beyond school.test.mjs's journey:
// one page for a school's budget at /schools/:urn and /schools/:urn/budgets/:year
// (a link to a year, followed before signing in, lands on it); an export while the
// grid holds unsaved edits asks first (save then export, or the saved version).
// axe on each state; screenshots.
//
// State: the business manager's school (159901) in 2025-26, a year the seed gives
// no budget: this file makes it (a copy of 2026-27's typed lines, through the API)
// and owns it; 2026-27 is school.test.mjs's and workflow.test.mjs's.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import { apiBytes, apiFetch, Bursard, checked, gridReady, launchBrowser, newPage, pounds, screenshot, signInAs } from './harness.mjs';

const URN = '159901';
const YEAR = '2025-26';
const FROM = '2026-27';

let d;
let browser;

/* The API as the seeded token of role sees it (ifMatch: a version). */
const apiCall = (method, path, { body, ifMatch, accept = 'application/json', role = 'finance_director' } = {}) =>
	apiFetch(d, method, path, body, ifMatch === undefined ? {} : { 'If-Match': `"${ifMatch}"` }, role, accept);

const budgetPath = (year = YEAR) => `/api/v1/schools/${URN}/budgets/${year}`;

async function budgetNow(year = YEAR) {
	const r = await apiCall('GET', budgetPath(year));
	return r.status === 404 ? null : r.body;
}

/* 2025-26 as a draft holding 2026-27's lines (a GET's lines can be PUT back). */
async function freshBudget() {
	const from = await budgetNow(FROM);
	const lines = from.lines.map(({ id: _id, ...l }) => l);
	let b = await budgetNow();
	if (b !== null && b.status !== 'draft') {
		const t = await apiCall('POST', `${budgetPath()}/transitions`,
			{ body: b.status === 'approved' ? { action: 'reopen', reason: 'budget.test.mjs' } : { action: 'return', reason: 'budget.test.mjs' }, ifMatch: b.version });
		assert.equal(t.status, 200, JSON.stringify(t.body));
		b = t.body;
	}
	const r = await apiCall('PUT', budgetPath(), { body: { lines }, ...(b ? { ifMatch: b.version } : {}) });
	assert.ok(r.status === 200 || r.status === 201, JSON.stringify(r.body));
	return r.body;
}

before(async () => {
	d = await new Bursard('budget').start();
	browser = await launchBrowser();
	await freshBudget();
});
after(async () => {
	await browser?.close();
	assert.equal(await d.stop(), 0);
});

async function run(page, name, body) {
	try {
		await body();
	} catch (e) {
		await screenshot(page, `${name}-failure`);
		throw new Error(`${e.message}\nat ${page.url()}; browser problems: ${page.problems.join('; ')}`, { cause: e });
	}
	assert.deepEqual(page.problems, [], 'no CSP violation or script error');
}

/* The business manager, signed in through a link to the year's budget. */
async function openYear() {
	const page = await newPage(browser, { acceptDownloads: true });
	await page.goto(`${d.url}/schools/${URN}/budgets/${YEAR}`);
	await page.waitForURL(/\/sign-in\?next=/);
	await signInAs(page, d, 'business_manager');
	await page.waitForURL(new RegExp(`/schools/${URN}/budgets/${YEAR}$`));
	await page.getByRole('heading', { level: 2, name: new RegExp(`Budget ${YEAR}`) }).waitFor();
	await gridReady(page);
	return page;
}

/* The line's amount cell in the grid, edited as a person types. */
async function typeAmount(page, line, text) {
	const cell = page.locator('.tabulator-row').nth(line).locator('.tabulator-cell[tabulator-field="amount"]');
	await cell.click();
	const input = cell.locator('input');
	await input.fill(text);
	await input.press('Enter');
}

async function downloaded(page, click) {
	const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
	return { name: dl.suggestedFilename(), text: fs.readFileSync(await dl.path(), 'utf8') };
}

test('a year\'s address is the school page for that year; its year picker goes to each year\'s address', async () => {
	const page = await openYear();
	await run(page, 'budget-year', async () => {
		assert.equal(await page.locator('#year').inputValue(), YEAR);
		const nav = page.getByRole('navigation', { name: 'Menu' });
		assert.equal(await nav.getByRole('link', { name: 'My school' }).getAttribute('aria-current'), 'true');
		const b = await budgetNow();
		assert.equal(await page.locator('.tabulator-row').count(), b.lines.length);
		assert.equal(await page.locator('#total-income').innerText(), pounds(b.totals.income_pence));
		await checked(page, 'budget-year');
		await page.locator('#year').selectOption(FROM);
		await page.waitForURL(new RegExp(`/schools/${URN}/budgets/${FROM}$`));
		await page.getByRole('heading', { level: 2, name: new RegExp(`Budget ${FROM}`) }).waitFor();
		await page.goBack();
		await page.getByRole('heading', { level: 2, name: new RegExp(`Budget ${YEAR}`) }).waitFor();
	});
	await page.context().close();
});

test('an export with unsaved edits asks first: the saved version, or save then export', async () => {
	const before = await freshBudget();
	const page = await openYear();
	await run(page, 'budget-export-dirty', async () => {
		const line = 1;
		const was = before.lines[line];
		const saved = (await apiCall('GET', budgetPath(), { accept: 'text/csv' })).body;

		await typeAmount(page, line, pounds(was.amount_pence + 12345).replace('£', ''));
		await page.getByText('You have unsaved changes.').first().waitFor();
		await page.getByRole('button', { name: 'Export CSV' }).click();
		const ask = page.getByRole('alert').filter({ hasText: 'You have unsaved changes. An export is the budget as it is saved' });
		await ask.waitFor();
		await checked(page, 'budget-export-ask');

		// the saved version: what the API holds, not the edit (which stays on the page, unsaved)
		const first = await downloaded(page, () => ask.getByRole('button', { name: 'Export the saved version without my changes' }).click());
		assert.equal(first.name, `budget-${URN}-${YEAR}.csv`);
		assert.equal(first.text.replace(/^\uFEFF/, ''), saved.replace(/^\uFEFF/, ''));
		assert.equal(await ask.count(), 0);
		assert.equal((await budgetNow()).version, before.version, 'nothing saved');
		await page.getByText('You have unsaved changes.').first().waitFor();

		// save, then export: the file has the edit
		await page.getByRole('button', { name: 'Export CSV' }).click();
		await ask.waitFor();
		const second = await downloaded(page, () => ask.getByRole('button', { name: 'Save my changes, then export CSV' }).click());
		await page.getByText('Your changes are saved.').waitFor();
		await gridReady(page);
		const now = await budgetNow();
		assert.ok(now.version > before.version);
		assert.equal(now.lines[line].amount_pence, was.amount_pence + 12345);
		assert.equal(second.text.replace(/^\uFEFF/, ''), (await apiCall('GET', budgetPath(), { accept: 'text/csv' })).body.replace(/^\uFEFF/, ''));
		assert.notEqual(second.text, first.text);

		// Excel: the API's workbook, by Accept (not written in the browser)
		const [xl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export Excel (.xlsx)' }).click()]);
		assert.equal(xl.suggestedFilename(), `budget-${URN}-${YEAR}.xlsx`);
		const bytes = fs.readFileSync(await xl.path());
		assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a zip (XLSX) file');
		await apiBytes(d, budgetPath(), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
		assert.ok(bytes.includes(Buffer.from('xl/worksheets/')), 'worksheets inside');

		// nothing unsaved: an export goes straight out
		const third = await downloaded(page, () => page.getByRole('button', { name: 'Export CSV' }).click());
		assert.equal(third.text, second.text);
		assert.equal(await ask.count(), 0);
		await checked(page, 'budget-export-saved');
	});
	await page.context().close();
});

test('the finance director reads the school\'s year at the same address', async () => {
	const page = await newPage(browser);
	await run(page, 'budget-fd', async () => {
		await page.goto(`${d.url}/schools/${URN}/budgets/${YEAR}`);
		await signInAs(page, d, 'finance_director');
		await page.waitForURL(new RegExp(`/schools/${URN}/budgets/${YEAR}$`));
		await gridReady(page);
		assert.equal(await page.getByRole('button', { name: 'Save changes' }).count(), 1, 'a draft: the finance director may edit it');
		await checked(page, 'budget-fd');
	});
	await page.context().close();
});

/* 2026-27 of the business manager's school back in draft (school.test.mjs and
 * workflow.test.mjs leave it submitted or approved). */
async function draft2026() {
	for (let i = 0; i < 2; i++) {
		const b = await budgetNow(FROM);
		if (b.status === 'draft')
			return b;
		const body = b.status === 'approved' ? { action: 'reopen', reason: 'budget.test.mjs' } : { action: 'return', reason: 'budget.test.mjs' };
		const t = await apiCall('POST', `${budgetPath(FROM)}/transitions`, { body, ifMatch: b.version });
		assert.equal(t.status, 200, JSON.stringify(t.body));
	}
	return budgetNow(FROM);
}

test('recharges beside their lines; "Fill to the recharge" copies the API\'s amount; the statement says what the retention pays for', async () => {
	const before = await draft2026();
	const short = before.recharges.find((r) => r.short_pence > 0);
	assert.ok(short, 'the seed has a code below its recharge');
	const on = before.lines.filter((l) => l.account_code === short.account_code);
	assert.equal(on.length, 1, 'one line on the code');
	const page = await newPage(browser);
	await run(page, 'budget-recharges', async () => {
		await page.goto(`${d.url}/schools/${URN}/budgets/${FROM}`);
		await signInAs(page, d, 'business_manager');
		await page.waitForURL(new RegExp(`/schools/${URN}/budgets/${FROM}$`));
		await gridReady(page);

		// the table: each code's recharge, budgeted and short as the API gave them
		const row = page.locator(`#recharges tr[data-code="${short.account_code}"]`);
		await row.waitFor();
		const text = await row.innerText();
		for (const p of [short.recharge_pence, short.budgeted_pence, short.short_pence])
			assert.ok(text.includes(pounds(p)), `${pounds(p)} in ${text}`);
		for (const s of short.services)
			assert.ok(text.includes(s.explanation), s.explanation);
		// beside the line in the grid
		const i = before.lines.indexOf(on[0]);
		const notes = page.locator('.tabulator-row').nth(i).locator('.tabulator-cell[tabulator-field="problems"]');
		assert.match(await notes.innerText(), new RegExp(`Recharged ${pounds(short.recharge_pence).replace(/[£.]/g, '\\$&')}`));
		// what the school's retention (or top-slice) pays for
		const statement = (await apiCall('GET', `/api/v1/central-services-statement?year=${FROM}`, { role: 'finance_director' })).body;
		const mine = statement.schools.find((s) => s.urn === URN);
		await page.getByRole('heading', { name: /What your (pool retention|top-slice) pays for/ }).waitFor();
		assert.equal(await page.locator('#statement-amount').innerText(), pounds(mine.amount_pence));
		// her schools' charges against the core services and the central team's budgeted spending (issue 15)
		const hers = (await apiCall('GET', `/api/v1/central-services-statement?year=${FROM}`, { role: 'business_manager' })).body;
		for (const c of hers.comparisons) {
			assert.equal(await page.locator(`#statement-comparisons p[data-against="${c.against}"]`).innerText(), c.explanation);
			assert.ok((await page.locator('#statement-comparisons table').innerText()).includes(pounds(c.difference_pence)));
		}
		await checked(page, 'budget-recharges');

		// fill: the line takes the recharge (unsaved), saved it reconciles
		await row.getByRole('button', { name: /Fill to the recharge/ }).click();
		await page.getByText(`The line on ${short.account_code} is now its recharge`).waitFor();
		const amount = page.locator('.tabulator-row').nth(i).locator('.tabulator-cell[tabulator-field="amount"]');
		assert.equal(await amount.innerText(), pounds(short.recharge_pence));
		assert.equal((await budgetNow(FROM)).version, before.version, 'nothing saved yet');
		await page.getByRole('button', { name: 'Save changes' }).click();
		await page.getByText('Your changes are saved.').waitFor();
		await gridReady(page);
		const now = await budgetNow(FROM);
		assert.equal(now.lines[i].amount_pence, short.recharge_pence);
		assert.equal(now.recharges.find((r) => r.account_code === short.account_code).short_pence, 0);
		await page.locator(`#recharges tr[data-code="${short.account_code}"]`).getByRole('button', { name: /Fill/ }).waitFor({ state: 'detached' });
		await checked(page, 'budget-recharges-filled');

		// back as it was
		const back = await apiCall('PUT', `${budgetPath(FROM)}/lines/${on[0].id}`, {
			body: { account_code: on[0].account_code, description: on[0].description, amount_pence: on[0].amount_pence,
				driver: on[0].driver, excluded_from_central: on[0].excluded_from_central },
			ifMatch: now.version,
		});
		assert.equal(back.status, 200, JSON.stringify(back.body));
	});
	await page.context().close();
});

test('a draft made by mistake is deleted after a confirmation; the year is started again from another year\'s budget', async () => {
	await freshBudget();
	const source = await budgetNow(FROM);
	const page = await openYear();
	await run(page, 'budget-delete-start', async () => {
		await page.getByRole('button', { name: `Delete the ${YEAR} draft` }).click();
		const ask = page.getByRole('alertdialog');
		await ask.waitFor();
		assert.match(await ask.innerText(), new RegExp(`Delete the draft budget for ${YEAR}`));
		await checked(page, 'budget-delete-confirm');
		await ask.getByRole('button', { name: 'No, keep it' }).click();
		assert.notEqual(await budgetNow(), null, 'kept');

		await page.getByRole('button', { name: `Delete the ${YEAR} draft` }).click();
		await page.getByRole('alertdialog').getByRole('button', { name: 'Yes, delete it' }).click();
		await page.getByText(`The draft budget for ${YEAR} is deleted.`).waitFor();
		assert.equal(await budgetNow(), null, 'gone');
		await page.getByRole('heading', { name: `No budget for ${YEAR} yet` }).waitFor();
		await checked(page, 'budget-start');

		// the forecast option lists the runs that reach the year (or says there are none)
		await page.getByLabel('A forecast run').check();
		await page.locator('#start-run').waitFor();

		await page.getByLabel('Another year’s budget').check();
		await page.locator('#start-year').selectOption(FROM);
		await page.getByRole('button', { name: `Start the ${YEAR} budget` }).click();
		await page.getByText(`A draft budget for ${YEAR} is ready, copied from the ${FROM} budget.`).waitFor();
		const made = await budgetNow();
		assert.equal(made.status, 'draft');
		const typed = source.lines.filter((l) => !l.computed && !/^INT/.test(l.account_code));
		assert.deepEqual(made.lines.filter((l) => !l.computed).map((l) => [l.account_code, l.amount_pence]),
			typed.map((l) => [l.account_code, l.amount_pence]), 'the typed lines copied');
		await gridReady(page);
		assert.equal(await page.locator('.tabulator-row').count(), made.lines.length);
		await checked(page, 'budget-started');
	});
	await page.context().close();
});

test('files go to the API as they are: its own XLSX back, and a CSV as Excel saves it (Windows-1252)', async () => {
	const before = await freshBudget();
	const page = await openYear();
	await run(page, 'budget-import-files', async () => {
		const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
		const workbook = await apiBytes(d, budgetPath(), XLSX);
		await page.locator('#import-file').setInputFiles({ name: 'budget.xlsx', mimeType: XLSX, buffer: workbook });
		await page.getByText('budget.xlsx is the budget as it is: nothing changed.').waitFor();
		await gridReady(page);
		let now = await budgetNow();
		assert.equal(now.version, before.version, 'an unchanged workbook changes nothing');
		assert.deepEqual(now.lines.map((l) => [l.account_code, l.description, l.amount_pence]),
			before.lines.map((l) => [l.account_code, l.description, l.amount_pence]), 'the same lines back');

		// Excel's "CSV (Comma delimited)": Windows-1252, no BOM; a £ is the byte 0xA3
		const csv = (await apiCall('GET', budgetPath(), { accept: 'text/csv' })).body.replace(/^\uFEFF/, '');
		const bytes = Buffer.from(csv.replace(/Pupil premium: (\d+) pupils at £1,515/, 'Pupil premium: $1 pupils at £1,516'), 'latin1');
		assert.ok(bytes.includes(0xa3), 'a single-byte pound sign');
		await page.locator('#import-file').setInputFiles({ name: 'budget-excel.csv', mimeType: 'text/csv', buffer: bytes });
		await page.getByText(/budget-excel\.csv is imported: .* read as Windows-1252/).waitFor();
		await gridReady(page);
		now = await budgetNow();
		assert.ok(now.lines.some((l) => / pupils at £1,516$/.test(l.description)), 'the pound sign kept, the edit taken');
		await checked(page, 'budget-imported-1252');
	});
	await page.context().close();
});

test('the grid by keyboard: Tab and Shift+Tab from cell to cell; computed lines read-only, explained, never sent back', async () => {
	const before = await freshBudget();
	const computed = before.lines.filter((l) => l.computed);
	const typed = before.lines.filter((l) => !l.computed);
	const page = await openYear();
	await run(page, 'budget-keyboard', async () => {
		const rows = page.locator('.tabulator-row');
		const cell = (i, field) => rows.nth(i).locator(`.tabulator-cell[tabulator-field="${field}"]`);
		const focusedField = () => page.evaluate(() => {
			const c = document.activeElement?.closest('.tabulator-cell');
			const r = c?.closest('.tabulator-row');
			return c ? { field: c.getAttribute('tabulator-field'), row: [...r.parentElement.children].indexOf(r),
				editing: document.activeElement.tagName === 'INPUT' } : null;
		});

		await cell(0, 'description').click();
		assert.deepEqual(await focusedField(), { field: 'description', row: 0, editing: true });
		await page.keyboard.press('Tab');
		assert.deepEqual(await focusedField(), { field: 'amount', row: 0, editing: true }, 'Tab: the next cell, editing');
		await page.keyboard.press('Shift+Tab');
		assert.deepEqual(await focusedField(), { field: 'description', row: 0, editing: true }, 'Shift+Tab: back');
		await page.keyboard.press('Escape');

		// the last typed line's last cell: Tab goes on (to its Profile select and Months button, issue 17, then its Remove button), never stuck in the grid
		const last = typed.length - 1;
		await cell(last, 'driver').click();
		await page.keyboard.press('Tab');
		assert.equal((await focusedField())?.field, 'excluded_from_central');
		await page.keyboard.press('Tab');
		assert.equal((await focusedField())?.field, 'profile_source');
		assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'SELECT', 'the Profile cell edits with a select');
		await page.keyboard.press('Tab');
		assert.match(await page.evaluate(() => document.activeElement?.textContent ?? ''), /^Months of line/);
		await page.keyboard.press('Tab');
		assert.match(await page.evaluate(() => document.activeElement?.textContent ?? ''), /^Remove line/);

		// computed lines: marked, no editor, out of the tab order but for the amount, which is explained
		assert.equal(await page.locator('.bursar-row--computed').count(), computed.length);
		for (let k = 0; k < computed.length; k++) {
			const i = typed.length + k;
			assert.equal(await cell(i, 'description').getAttribute('tabindex'), null);
			const amount = cell(i, 'amount');
			assert.equal(await amount.getAttribute('tabindex'), '0');
			assert.equal(await amount.getAttribute('title'), computed[k].explanation);
			const described = await amount.getAttribute('aria-describedby');
			assert.match(await page.locator(`#${described}`).innerText(), new RegExp(computed[k].explanation.slice(0, 20).replace(/[.*+?^${}()|[\]\\£]/g, '\\$&')));
			await amount.focus();
			assert.deepEqual(await focusedField(), { field: 'amount', row: i, editing: false }, 'no editor on a computed line');
			await amount.click();
			assert.equal(await amount.locator('input').count(), 0);
		}
		if (computed.length > 0) {
			await cell(typed.length, 'amount').focus();
			await page.keyboard.press('Shift+Tab');
			assert.match(await page.evaluate(() => document.activeElement?.textContent ?? ''), /^Remove line/, 'Shift+Tab out of the computed lines');
		}
		await checked(page, 'budget-keyboard');

		// an edit saved: only the typed lines go to the API
		const sent = [];
		page.on('request', (req) => { if (req.method() === 'PUT' && req.url().includes('/budgets/')) sent.push(JSON.parse(req.postData())); });
		await typeAmount(page, 0, pounds(typed[0].amount_pence + 100).replace('£', ''));
		await page.getByRole('button', { name: 'Save changes' }).click();
		await page.getByText('Your changes are saved.').waitFor();
		await gridReady(page);
		assert.equal(sent.length, 1);
		assert.equal(sent[0].lines.length, typed.length);
		assert.ok(sent[0].lines.every((l) => l.computed === undefined), 'no computed line sent');
		const now = await budgetNow();
		assert.equal(now.lines[0].amount_pence, typed[0].amount_pence + 100);
		assert.equal(await page.locator('#total-income').innerText(), pounds(now.totals.income_pence), 'the totals are the API\'s answer');
	});
	await page.context().close();
});

test('a submit\'s findings are shown on their lines, with the spreadsheet row', async () => {
	const before = await draft2026();
	const short = before.recharges.find((r) => r.short_pence > 0);
	const i = before.lines.findIndex((l) => l.account_code === short.account_code);
	const page = await newPage(browser);
	await run(page, 'budget-findings', async () => {
		await page.goto(`${d.url}/schools/${URN}/budgets/${FROM}`);
		await signInAs(page, d, 'business_manager');
		await gridReady(page);
		await page.getByRole('button', { name: 'Submit for approval' }).click();
		await page.getByText('Your budget is submitted').waitFor();
		const b = await budgetNow(FROM);
		const f = b.findings.find((x) => x.code === 'recharge_short' && x.line_id === before.lines[i].id);
		assert.ok(f, JSON.stringify(b.findings));
		assert.equal(f.row, i + 2);
		const link = page.locator('#findings').getByRole('link', { name: `line ${i + 1}, spreadsheet row ${i + 2}` });
		assert.equal(await link.getAttribute('href'), `#grid-line-${i + 1}`);
		const notes = page.locator('.tabulator-row').nth(i).locator('.tabulator-cell[tabulator-field="problems"]');
		assert.match(await notes.innerText(), /^Warning: /);
		assert.ok((await notes.innerText()).includes(f.message));
		await link.click();
		assert.equal(await page.evaluate(() => document.activeElement?.id), `grid-line-${i + 1}`);
		await checked(page, 'budget-findings');
	});
	await page.context().close();
	await draft2026();
});
