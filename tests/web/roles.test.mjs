// roles.test.mjs - people sign in as themselves: each role lands on its own page
// showing the API's data (axe-checked, screenshotted); a wrong password gets one
// generic message; another school's page is refused; signing out ends the session.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { apiFetch, Bursard, checked, gridReady, launchBrowser, newPage, signInAs } from './harness.mjs';

let d;
let browser;

before(async () => {
	d = await new Bursard('roles').start();
	browser = await launchBrowser();
});
after(async () => {
	await browser?.close();
	assert.equal(await d.stop(), 0);
});

async function signedIn(role) {
	const page = await newPage(browser);
	await page.goto(`${d.url}/`);
	await page.waitForURL(/\/sign-in\?next=%2F$/);
	await signInAs(page, d, role);
	return page;
}

const checkPage = (page, name) => checked(page, name, { problems: true });

test('a business manager lands on their school: its details and its budgets by year', async () => {
	const page = await signedIn('business_manager');
	await page.waitForURL(/\/schools\/\d{6}$/);
	const urn = page.url().match(/(\d{6})$/)[1];
	const me = await page.evaluate(async () => (await fetch('/api/v1/me')).json());
	assert.equal(me.role, 'business_manager');
	assert.equal(me.schools[0].urn, urn);
	await page.getByRole('heading', { level: 1, name: me.schools[0].name }).waitFor();
	await page.getByRole('heading', { level: 2, name: /Budget 2026-27/ }).waitFor();
	assert.match(await page.locator('#total-income').innerText(), /£[\d,]+/, 'income shown in pounds');
	assert.equal(await page.getByRole('link', { name: 'My school' }).getAttribute('aria-current'), 'page');
	assert.match(await page.locator('.bursar-header__who').innerText(), /Business manager/);
	await checkPage(page, 'landing-business-manager');

	// the year's address is the same page for that year: its totals, groups and lines, as the API computed them
	await page.goto(`${d.url}/schools/${urn}/budgets/2026-27`);
	await page.waitForURL(new RegExp(`/schools/${urn}/budgets/2026-27$`));
	await page.getByRole('heading', { level: 2, name: /Budget 2026-27/ }).waitFor();
	await gridReady(page);
	assert.equal(await page.locator('#year').inputValue(), '2026-27');
	assert.equal(await page.getByRole('link', { name: 'My school' }).getAttribute('aria-current'), 'true', 'in the school\'s section');
	const budget = await page.evaluate(async (u) => (await fetch(`/api/v1/schools/${u}/budgets/2026-27`)).json(), urn);
	assert.equal(await page.locator('.tabulator-row').count(), budget.lines.length);
	const income = page.locator('.govuk-summary-list__row', { hasText: 'Income' }).first();
	assert.equal((await income.locator('dd').innerText()).replace(/[£,]/g, ''),
		`${Math.trunc(budget.totals.income_pence / 100)}.${String(budget.totals.income_pence % 100).padStart(2, '0')}`);
	await checkPage(page, 'budget-business-manager');
	await page.goBack();
	await page.getByRole('heading', { level: 2, name: /Budget 2026-27/ }).waitFor();

	// another school's address: refused with the API's reason, not shown
	const all = (await apiFetch(d, 'GET', '/api/v1/schools')).body;
	const other = all.items.find((s) => s.kind === 'school' && s.urn !== urn).urn;
	const r = await page.evaluate(async (u) => (await fetch(`/api/v1/schools/${u}/years`)).status, other);
	assert.equal(r, 403);
	await page.goto(`${d.url}/schools/${other}`);
	await page.getByRole('heading', { level: 1, name: 'This is not your school' }).waitFor();
	assert.equal(await page.getByRole('table').count(), 0);
	await checkPage(page, 'business-manager-other-school');
	await page.context().close();
});

test('the finance director lands on the budgets by status, then filters the contract register', async () => {
	const page = await signedIn('finance_director');
	await page.waitForURL(/\/trust\/budgets$/);
	const table = page.getByRole('table', { name: /^Budgets for \d{4}-\d{2}$/ });
	await table.waitFor();
	const rows = await table.locator('tbody tr').count();
	assert.ok(rows >= 9, `a row per school and the central team (${rows})`);
	await page.getByRole('list', { name: 'Budgets by status' }).waitFor();
	await checkPage(page, 'landing-finance-director');

	await page.getByRole('link', { name: 'Contracts' }).click();
	await page.waitForURL(/\/trust\/contracts$/);
	const register = page.getByRole('table', { name: 'Contracts' });
	await register.waitFor();
	const all = await register.locator('tbody tr').count();
	assert.ok(all > 0, 'the demo register has contracts');
	await checkPage(page, 'contracts');
	await page.getByLabel('Status').selectOption('active');
	await page.getByRole('button', { name: 'Filter' }).click();
	await page.waitForFunction(() => {
		const cells = [...document.querySelectorAll('table tbody tr td:nth-child(5)')];
		return cells.length > 0 && cells.every((c) => c.textContent === 'Active');
	});
	await checkPage(page, 'contracts-active');
	await page.context().close();
});

test('an auditor lands on the audit log, which names who made each change', async () => {
	const page = await signedIn('auditor');
	await page.waitForURL(/\/audit$/);
	const table = page.getByRole('table', { name: 'Audit entries, newest first' });
	await table.waitFor();
	assert.ok(await table.locator('tbody tr').count() > 0);
	// the auditor's own sign-in is the newest entry, by name
	const first = await table.locator('tbody tr').first().innerText();
	assert.match(first, new RegExp(d.users.auditor.email.replace(/[.+]/g, '\\$&')));
	await checkPage(page, 'landing-auditor');
	await page.context().close();
});

test('an administrator lands on people\'s accounts, and has their account page', async () => {
	const page = await signedIn('admin');
	await page.waitForURL(/\/admin\/accounts$/);
	await page.getByRole('heading', { level: 1, name: 'People\'s accounts' }).waitFor();
	await page.goto(`${d.url}/account`);
	await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
	await page.getByText(d.users.admin.email).waitFor();
	await checkPage(page, 'landing-admin');
	await page.context().close();
});

test('a wrong password: one generic message, the password cleared, nobody signed in', async () => {
	const page = await newPage(browser);
	await page.goto(`${d.url}/sign-in`);
	await page.getByLabel('Email address').fill(d.users.finance_director.email);
	await page.getByLabel('Password').fill('not the password at all');
	await page.getByRole('button', { name: 'Sign in' }).click();
	const summary = page.locator('.govuk-error-summary');
	await summary.waitFor();
	assert.match(await summary.innerText(), /The email address or password is not right/);
	assert.equal(await page.getByLabel('Password').inputValue(), '');
	assert.equal(page.url(), `${d.url}/sign-in`);
	assert.equal(await page.evaluate(async () => (await fetch('/api/v1/me')).status), 401);
	// an unknown address gets the very same words
	const text = await summary.innerText();
	await page.getByLabel('Email address').fill('nobody@example.org');
	await page.getByLabel('Password').fill('not the password at all');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForFunction(() => document.querySelector('.govuk-error-summary') !== null &&
		(document.getElementById('password')).value === '');
	assert.equal(await page.locator('.govuk-error-summary').innerText(), text);
	await checkPage(page, 'sign-in-failed');
	await page.context().close();
});

test('signing out ends the session: the API says 401 and app pages go to sign-in', async () => {
	const page = await signedIn('auditor');
	await page.waitForURL(/\/audit$/);
	await page.getByRole('link', { name: 'Sign out' }).click();
	await page.waitForURL(/\/sign-in$/);
	assert.equal(await page.evaluate(async () => (await fetch('/api/v1/me')).status), 401);
	const cookies = await page.context().cookies();
	assert.equal(cookies.filter((c) => c.name === 'bursar_session' && c.value !== '').length, 0);
	await page.goto(`${d.url}/audit`);
	await page.waitForURL(/\/sign-in\?next=%2Faudit$/);
	assert.deepEqual(page.problems, []);
	await page.context().close();
});
