// trust.test.mjs - the finance director's trust pages and the admin's accounts
// page in Chromium: budgets by status, approving one submitted budget and
// returning another with a reason (two Southend schools' 2026-27 budgets this
// file puts in the submitted state itself, through the API); the contract
// register's filters (a supplier and contract of its own); the contract form's
// live procurement check crossing the statutory threshold, and saving it; a
// forged CSRF header failing visibly; the admin creating a business manager's
// account whose shown password signs in. axe-core on every page; screenshots.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { apiFetch, axeCheck, Bursard, checked, DIR, launchBrowser, newPage, ROOT, screenshot } from './harness.mjs';

const YEAR = '2026-27';
const APPROVE_URN = '159908';                  /* Samphire Junior Academy */
const RETURN_URN = '159909';                   /* Oystercatcher Primary Academy */
const RUN = crypto.randomBytes(4).toString('hex');

let d;
let browser;
const people = {};

/* An account made on the server, as an operator would (finance directors and admins are). */
function serverAccount(role, name) {
	const email = `${role.replace('_', '-')}-${RUN}@trust.example`;
	const password = `web trust ${role} ${RUN} pass`;
	execFileSync(path.join(ROOT, 'daemon', 'bursard'),
		['-c', d.conf, 'user', 'create', '--email', email, '--name', name, '--role', role, '--password-stdin'],
		{ cwd: DIR, input: `${password}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
	return { email, password, name };
}

/* The API with the harness's tokens. */
const call = (method, p, { role = 'finance_director', body, headers = {} } = {}) => apiFetch(d, method, p, body, headers, role);

async function must(method, p, opts) {
	const r = await call(method, p, opts);
	assert.ok(r.status >= 200 && r.status < 300, `${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
	return r;
}

/* A school's budget for YEAR in the submitted state, whatever state an earlier run left it in. */
async function submitted(urn) {
	const p = `/api/v1/schools/${urn}/budgets/${YEAR}`;
	let b = await must('GET', p);
	const move = async (body) => {
		b = await must('POST', `${p}/transitions`, { body, headers: { 'If-Match': b.etag } });
	};
	if (b.body.status === 'approved')
		await move({ action: 'reopen', reason: 'Reopened by the trust pages test' });
	if (b.body.status === 'draft')
		await move({ action: 'submit' });
	assert.equal(b.body.status, 'submitted');
}

async function signIn(page, who) {
	await page.goto(`${d.url}/sign-in`);
	await page.getByLabel('Email address').fill(who.email);
	await page.getByLabel('Password').fill(who.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.locator('.bursar-header__who').getByText(who.name).waitFor();
}

before(async () => {
	d = await new Bursard('trust').start();
	browser = await launchBrowser();
	people.fd = serverAccount('finance_director', `Fran Director ${RUN}`);
	people.admin = serverAccount('admin', `Ada Admin ${RUN}`);
});
after(async () => {
	await browser?.close();
	assert.equal(await d.stop(), 0);
});

test('budgets by status: the finance director approves one submitted budget and returns another with a reason', async () => {
	await submitted(APPROVE_URN);
	await submitted(RETURN_URN);
	const page = await newPage(browser);
	await signIn(page, people.fd);
	await page.waitForURL(/\/trust\/budgets$/);
	await page.getByRole('heading', { level: 1, name: 'Budgets' }).waitFor();
	await page.getByRole('table').waitFor();
	assert.ok(Number(await page.locator('[data-status="submitted"]').textContent()) >= 2);
	const approveRow = page.getByRole('row').filter({ hasText: 'Samphire Junior Academy' });
	assert.match(await approveRow.textContent(), /Submitted/);
	await checked(page, 'trust-budgets');

	// approve: the minute reference is needed (the page says so before asking the API)
	await approveRow.getByRole('link').click();
	await page.waitForURL(new RegExp(`/trust/budgets/${YEAR}/${APPROVE_URN}$`));
	await page.getByRole('heading', { name: 'Your decision' }).waitFor();
	await checked(page, 'trust-budget-review');
	await page.getByLabel('Approve for the board').check();
	await page.getByRole('button', { name: 'Confirm decision' }).click();
	await page.locator('.govuk-error-summary').getByRole('link', { name: 'Enter the board minute reference' }).waitFor();
	assert.deepEqual(await axeCheck(page), []);
	await page.getByLabel('Board minute reference').fill(`FB-${RUN}/4`);
	await page.getByRole('button', { name: 'Confirm decision' }).click();
	await page.getByText(`The budget was approved (board minute FB-${RUN}/4).`).waitFor();
	await page.locator('.govuk-summary-list').getByText('Approved', { exact: true }).first().waitFor();
	assert.equal((await call('GET', `/api/v1/schools/${APPROVE_URN}/budgets/${YEAR}`)).body.status, 'approved');
	await checked(page, 'trust-budget-approved');

	// return the other with a reason, which the business manager will see
	await page.getByRole('link', { name: `Back to budgets for ${YEAR}` }).click();
	await page.getByRole('row').filter({ hasText: 'Oystercatcher Primary Academy' }).getByRole('link').click();
	await page.getByLabel('Return it to the school').check();
	await page.getByLabel('Reason').fill(`Staff costs need the September pay award (${RUN}).`);
	await page.getByRole('button', { name: 'Confirm decision' }).click();
	await page.getByText('The budget was returned to the school with your reason.').waitFor();
	const back = (await call('GET', `/api/v1/schools/${RETURN_URN}/budgets/${YEAR}`)).body;
	assert.equal(back.status, 'draft');
	assert.equal(back.return_reason, `Staff costs need the September pay award (${RUN}).`);
	await page.getByText(`Staff costs need the September pay award (${RUN}).`).waitFor();
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('the contract register: renewals to do, filters by supplier and status, a contract\'s page', async () => {
	const supplier = (await must('POST', '/api/v1/suppliers', { body: { name: `Trust Pages ${RUN} Ltd` } })).body;
	const base = {
		title: `Trust pages cleaning ${RUN}`, supplier_id: supplier.id, category: 'cleaning', contract_type: 'goods_services',
		school: null, route: 'single_quote', procurement_started_on: '2026-06-01',
		evidence: { quotes: [{ supplier: supplier.name, amount_pence: 500000, chosen: true }] },
		start_date: '2026-09-01', end_date: '2027-08-31', annual_value_pence: 500000, vat_pence: 0,
	};
	const a = (await must('POST', '/api/v1/contracts', { body: { ...base, reference: `TP-${RUN}-A` } })).body;
	await must('POST', '/api/v1/contracts', { body: { ...base, reference: `TP-${RUN}-B`, category: 'grounds' } });

	const page = await newPage(browser);
	await signIn(page, people.fd);
	await page.goto(`${d.url}/trust/contracts/renewals`);
	await page.getByRole('heading', { level: 1, name: 'Renewals to do' }).waitFor();
	const renewals = page.getByRole('table', { name: 'Renewals to do, soonest first' });
	await renewals.waitFor();
	assert.ok(await renewals.locator('tbody tr').count() > 0, 'the demo register has renewals coming up');
	await checked(page, 'trust-renewals');
	await page.goto(`${d.url}/trust/contracts`);
	await page.locator('#f-supplier option', { hasText: supplier.name }).waitFor({ state: 'attached' });
	await checked(page, 'trust-contracts');

	await page.getByLabel('Supplier', { exact: true }).selectOption(String(supplier.id));
	await page.getByRole('button', { name: 'Filter', exact: true }).click();
	const register = page.getByRole('table', { name: 'Contracts', exact: true });
	// the rows shown before the answer stay until it comes: wait for the filtered list itself
	await page.waitForFunction((run) => {
		const rows = [...document.querySelectorAll('table tbody tr')].filter((r) => r.closest('table')?.querySelector('caption')?.textContent === 'Contracts');
		return rows.length === 2 && rows.every((r) => r.textContent.includes(`TP-${run}`));
	}, RUN);
	await register.getByRole('link', { name: `TP-${RUN}-B` }).waitFor();
	await page.getByLabel('Category', { exact: true }).selectOption('grounds');
	await page.getByRole('button', { name: 'Filter', exact: true }).click();
	await register.getByRole('link', { name: `TP-${RUN}-A` }).waitFor({ state: 'detached' });
	assert.equal(await register.locator('tbody tr').filter({ hasText: `TP-${RUN}-B` }).count(), 1);
	await page.getByLabel('Status', { exact: true }).selectOption('active');
	await page.getByRole('button', { name: 'Filter', exact: true }).click();
	await page.getByText('No contracts match.').waitFor();
	await screenshot(page, 'trust-contracts-filtered');

	await page.getByRole('button', { name: 'Show all' }).click();
	await page.goto(`${d.url}/trust/contracts/${a.id}`);
	await page.getByRole('heading', { level: 1, name: `TP-${RUN}-A: ${base.title}` }).waitFor();
	await page.getByRole('heading', { name: 'Procurement check' }).waitFor();
	await checked(page, 'trust-contract');
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('the contract form shows the procurement check as it is filled in, and saves a draft', async () => {
	const supplier = (await must('POST', '/api/v1/suppliers', { body: { name: `Form Check ${RUN} Ltd` } })).body;
	const page = await newPage(browser);
	await signIn(page, people.fd);
	await page.goto(`${d.url}/trust/contracts/new`);
	await page.getByRole('heading', { level: 1, name: 'Add a contract' }).waitFor();
	await page.locator('#check-incomplete').waitFor();
	await checked(page, 'trust-contract-form-empty');

	await page.getByLabel('Reference').fill(`TF-${RUN}`);
	await page.getByLabel('Title').fill('Catering for the Southend schools');
	await page.getByLabel('Supplier').selectOption(String(supplier.id));
	await page.getByLabel('Category').selectOption('catering');
	await page.getByLabel('Start date').fill('2027-01-01');
	await page.getByLabel('End of the initial term').fill('2027-12-31');
	await page.getByLabel('Procurement route').selectOption('open_tender');
	await page.getByLabel('Procurement started on').fill('2026-06-01');
	// one year, no VAT, no indexation: the estimate is the annual value; £207,720 is the threshold
	await page.getByLabel('Annual value, net of VAT').fill('207,719.99');
	const threshold = page.locator('#compliance-threshold');
	await threshold.getByText('below it').waitFor();
	assert.match(await page.locator('#compliance-verdict').textContent(), /£207,719\.99/);
	assert.equal(await page.locator('#compliance-missing [data-item="award_notice"]').count(), 0);
	await checked(page, 'trust-contract-form-below');

	await page.getByLabel('Annual value, net of VAT').fill('207,720.00');
	await threshold.getByText('at or above it').waitFor();
	await page.locator('#compliance-missing [data-item="award_notice"]').waitFor();
	assert.match(await page.locator('#compliance-verdict').textContent(), /Does not meet the rules.*£207,720\.00/);
	await checked(page, 'trust-contract-form-above');

	// a value the page cannot read is said by the field, before anything is sent
	await page.getByLabel('Annual value, net of VAT').fill('12.345');
	await page.locator('#check-incomplete').getByText('Annual value must have no more than 2 decimal places').waitFor();
	await page.getByLabel('Annual value, net of VAT').fill('£9,500');
	await threshold.getByText('below it').waitFor();
	await page.getByRole('button', { name: 'Add a quote' }).click();
	await page.getByLabel('Quote 1: supplier').fill('Form Check Ltd');
	await page.getByLabel('Quote 1: amount').fill('9500');
	await page.getByRole('button', { name: 'Save as a draft' }).click();
	await page.getByRole('heading', { level: 1, name: `TF-${RUN}: Catering for the Southend schools` }).waitFor();
	const saved = (await call('GET', `/api/v1/contracts?q=TF-${RUN}`)).body.items[0];
	assert.equal(saved.annual_value_pence, 950000);
	assert.equal(saved.evidence.quotes[0].amount_pence, 950000);

	// edit the draft: the form holds what was saved, and the save sends the version it read (If-Match)
	await page.getByRole('button', { name: 'Edit the contract' }).click();
	await page.getByRole('heading', { level: 1, name: 'Edit the contract' }).waitFor();
	await page.locator('#compliance-verdict').waitFor();
	assert.equal(await page.getByLabel('Annual value, net of VAT').inputValue(), '9500.00');
	assert.equal(await page.getByLabel('Quote 1: amount').inputValue(), '9500.00');
	await page.getByLabel('Title').fill('Catering for the Southend schools, 2027');
	await page.getByRole('button', { name: 'Save the contract' }).click();
	await page.getByRole('heading', { level: 1, name: `TF-${RUN}: Catering for the Southend schools, 2027` }).waitFor();
	const edited = (await call('GET', `/api/v1/contracts/${saved.id}`)).body;
	assert.equal(edited.version, saved.version + 1);
	assert.equal(edited.annual_value_pence, 950000);

	// the API's own errors come back GOV.UK-style: the same reference again is 409 on /reference
	await page.goto(`${d.url}/trust/contracts/new`);
	await page.getByLabel('Reference').fill(`TF-${RUN}`);
	await page.getByLabel('Title').fill('A second one');
	await page.getByLabel('Supplier').selectOption(String(supplier.id));
	await page.getByLabel('Start date').fill('2027-01-01');
	await page.getByLabel('End of the initial term').fill('2027-12-31');
	await page.getByLabel('Procurement started on').fill('2026-06-01');
	await page.getByLabel('Annual value, net of VAT').fill('100');
	await page.getByRole('button', { name: 'Save as a draft' }).click();
	const summary = page.locator('.govuk-error-summary');
	await summary.getByRole('link', { name: /another contract has this reference/ }).waitFor();
	assert.equal(await summary.getByRole('link', { name: /another contract has this reference/ }).getAttribute('href'), '#reference');
	assert.match(await page.locator('#reference-error').textContent(), /another contract has this reference/);
	await checked(page, 'trust-contract-form-errors');
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('a forged CSRF header on a write fails, and the page says so; the real one then works', async () => {
	const supplier = (await must('POST', '/api/v1/suppliers', { body: { name: `Csrf ${RUN} Ltd` } })).body;
	const c = (await must('POST', '/api/v1/contracts', { body: {
		reference: `TC-${RUN}`, title: 'Copier lease', supplier_id: supplier.id, category: 'copiers', contract_type: 'goods_services',
		route: 'single_quote', procurement_started_on: '2026-06-01', start_date: '2026-09-01', end_date: '2027-08-31',
		annual_value_pence: 300000, evidence: { quotes: [{ supplier: 'Csrf Ltd', amount_pence: 300000, chosen: true }] },
	} })).body;
	const page = await newPage(browser);
	await signIn(page, people.fd);
	await page.goto(`${d.url}/trust/contracts/${c.id}`);
	await page.getByRole('heading', { name: 'Move the contract on' }).waitFor();
	await page.route('**/api/v1/contracts/*/transitions', (route) =>
		route.continue({ headers: { ...route.request().headers(), 'x-csrf-token': 'forged-token-value' } }));
	await page.getByLabel('Submit for approval').check();
	await page.getByRole('button', { name: 'Confirm' }).click();
	const summary = page.locator('.govuk-error-summary');
	await summary.waitFor();
	assert.match(await summary.textContent(), /CSRF|cross-site|token/i);
	assert.equal((await call('GET', `/api/v1/contracts/${c.id}`)).body.status, 'draft', 'nothing changed');
	await checked(page, 'trust-csrf-refused');
	await page.unroute('**/api/v1/contracts/*/transitions');
	await page.getByRole('button', { name: 'Confirm' }).click();
	await page.getByText('The contract is now awaiting approval.').waitFor();
	assert.equal((await call('GET', `/api/v1/contracts/${c.id}`)).body.status, 'awaiting_approval');
	await page.context().close();
});

test('the admin creates a business manager\'s account; its shown password signs in', async () => {
	const page = await newPage(browser);
	await signIn(page, people.admin);
	await page.waitForURL(/\/admin\/accounts$/);
	await page.getByRole('heading', { level: 1, name: 'People\'s accounts' }).waitFor();
	await page.getByRole('table').first().waitFor();
	await checked(page, 'admin-accounts');

	const email = `sbm-${RUN}@samphire.example`;
	await page.getByLabel('Email address').fill(email);
	await page.getByLabel('Name', { exact: true }).fill(`Sam Manager ${RUN}`);
	await page.getByLabel('Business manager').check();
	await page.getByLabel('Their schools').fill(APPROVE_URN);
	await page.getByRole('button', { name: 'Create the account' }).click();
	await page.getByRole('heading', { name: 'Copy this password now' }).waitFor();
	const password = await page.locator('#once-password').inputValue();
	assert.ok(password.length >= 12, password);
	await page.getByRole('row').filter({ hasText: email }).waitFor();
	await checked(page, 'admin-account-created');
	await page.getByRole('button', { name: 'I have copied it' }).click();
	assert.equal(await page.locator('#once-password').count(), 0, 'shown once');

	// a new password, shown once too (the person signs in with it below)
	await page.getByRole('row').filter({ hasText: email }).getByRole('button', { name: /^New password/ }).click();
	await page.getByRole('heading', { name: 'Copy this password now' }).waitFor();
	const second = await page.locator('#once-password').inputValue();
	assert.notEqual(second, password);
	await page.getByRole('button', { name: 'I have copied it' }).click();

	// disable and enable again (If-Match from the list)
	const row = page.getByRole('row').filter({ hasText: email });
	await row.getByRole('button', { name: /^Disable/ }).click();
	await row.getByText('Disabled').waitFor();
	await row.getByRole('button', { name: /^Enable/ }).click();
	await row.getByText('Active').waitFor();
	assert.deepEqual(page.problems, []);
	await page.context().close();

	const sbm = await newPage(browser);
	await signIn(sbm, { email, password: second, name: `Sam Manager ${RUN}` });
	await sbm.waitForURL(new RegExp(`/schools/${APPROVE_URN}$`));
	await sbm.context().close();
});
