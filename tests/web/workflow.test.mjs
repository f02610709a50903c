// workflow.test.mjs - a budget from the school to the board, in the browser: the
// business manager submits it from the school's budget page (a forged CSRF token
// changes nothing), the finance director follows it to the review page and
// approves it with the board minute, and the auditor finds who did it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { budgetInDraft, Bursard, checked, launchBrowser, newPage, signInAs } from './harness.mjs';

const YEAR = '2026-27';
let d;
let browser;
let urn;

before(async () => {
	d = await new Bursard('workflow').start();
	browser = await launchBrowser();
});
after(async () => {
	await browser?.close();
	assert.equal(await d.stop(), 0);
});

async function signedIn(role, next) {
	const page = await newPage(browser);
	await page.goto(`${d.url}${next}`);
	await page.waitForURL(/\/sign-in\?next=/);
	await signInAs(page, d, role);
	return page;
}

const checkPage = (page, name) => checked(page, name, { problems: true });

test('the business manager submits their draft; a forged CSRF token is refused', async () => {
	const page = await signedIn('business_manager', '/');
	await page.waitForURL(/\/schools\/\d{6}$/);
	urn = page.url().match(/(\d{6})$/)[1];
	await budgetInDraft(d, urn, YEAR, 'workflow test');
	await page.goto(`${d.url}/schools/${urn}/budgets/${YEAR}`);
	await page.getByRole('button', { name: 'Submit for approval' }).waitFor();

	const forged = await page.evaluate(async ({ u, y }) => {
		const b = await (await fetch(`/api/v1/schools/${u}/budgets/${y}`)).json();
		const send = (token) => fetch(`/api/v1/schools/${u}/budgets/${y}/transitions`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'If-Match': `"${b.version}"`, ...(token ? { 'X-CSRF-Token': token } : {}) },
			body: JSON.stringify({ action: 'submit' }),
		});
		const wrong = await send('A'.repeat(43));
		const none = await send(null);
		const after = await (await fetch(`/api/v1/schools/${u}/budgets/${y}`)).json();
		return { wrong: wrong.status, none: none.status, status: after.status, same: after.version === b.version };
	}, { u: urn, y: YEAR });
	assert.deepEqual(forged, { wrong: 403, none: 403, status: 'draft', same: true });

	await page.getByRole('button', { name: 'Submit for approval' }).click();
	await page.locator('.govuk-tag', { hasText: 'Submitted' }).waitFor();
	assert.equal(await page.getByRole('button', { name: 'Submit for approval' }).count(), 0);
	await checkPage(page, 'budget-submitted');
	await page.context().close();
});

test('the finance director sees it submitted, is told the minute is needed, and approves it', async () => {
	assert.ok(urn, 'the previous test found the school');
	const page = await signedIn('finance_director', '/trust/budgets');
	await page.waitForURL(/\/trust\/budgets$/);
	await page.goto(`${d.url}/schools/${urn}/budgets/${YEAR}`);
	await page.locator('.govuk-tag', { hasText: 'Submitted' }).waitFor();
	await page.getByRole('link', { name: 'Review this budget and approve or return it' }).click();
	await page.waitForURL(new RegExp(`/trust/budgets/${YEAR}/${urn}$`));
	await page.getByLabel('Approve for the board').check();
	await page.getByRole('button', { name: 'Confirm decision' }).click();
	await page.locator('.govuk-error-summary').getByRole('link', { name: 'Enter the board minute reference' }).waitFor();
	await checkPage(page, 'budget-approve-error');
	await page.getByLabel('Board minute reference').fill('FB-2026-07');
	await page.getByRole('button', { name: 'Confirm decision' }).click();
	await page.getByText('The budget was approved (board minute FB-2026-07).').waitFor();
	await page.goto(`${d.url}/schools/${urn}/budgets/${YEAR}`);
	await page.locator('.govuk-tag', { hasText: 'Approved' }).waitFor();
	await checkPage(page, 'budget-approved');
	await page.context().close();
});

test('the auditor finds who approved it, by name', async () => {
	const page = await signedIn('auditor', '/audit');
	await page.waitForURL(/\/audit$/);
	await page.getByLabel('Action').fill('approve');
	await page.getByRole('button', { name: 'Filter' }).click();
	const row = page.getByRole('row', { name: new RegExp(`${urn}/${YEAR}`) }).first();
	await row.waitFor();
	assert.match(await row.innerText(), new RegExp(d.users.finance_director.email.replace(/[.+]/g, '\\$&')));
	await checkPage(page, 'audit-approved');
	await page.context().close();
});
