// payscales.test.mjs - the pay scales and staff rates pages in Chromium (issue
// 16): the finance director reads the scales as the API lists them and opens
// one as a table of its points by year (each value the API's); she reads the
// on-costs by tax year and an entity's LGPS rates, and saves the latest tax
// year's rates again unchanged (If-Match; her error on its field first). A
// business manager reads both pages with no button to change. axe-core on
// every page, a screenshot of each. (The pay scales' import with a bad row
// waits for POST /api/v1/pay-scales/import.)
//
// The seeded scales are read, never changed, and the rates are saved as they were.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { axeCheck, Bursard, launchBrowser, newPage, screenshot, signInAs } from './harness.mjs';

let d;
let browser;

async function api(method, p, body, headers = {}, role = 'finance_director') {
	const r = await fetch(`${d.url}${p}`, {
		method,
		headers: { Authorization: `Bearer ${d.tokens[role]}`, Accept: 'application/json',
			...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
		body: body !== undefined ? JSON.stringify(body) : undefined,
	});
	const text = await r.text();
	return { status: r.status, body: text ? JSON.parse(text) : null, etag: r.headers.get('etag') };
}

function gbp(pence) {
	const digits = Math.abs(pence).toString().padStart(3, '0');
	return `${pence < 0 ? '-' : ''}£${digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${digits.slice(-2)}`;
}

async function signIn(role) {
	const page = await newPage(browser);
	await page.goto(`${d.url}/sign-in`);
	await signInAs(page, d, role);
	await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'), { timeout: 15000 });
	return page;
}

async function checked(page, name) {
	assert.deepEqual(await axeCheck(page), [], `axe on ${name}`);
	await screenshot(page, name);
}

before(async () => {
	d = await new Bursard('payscales').start();
	browser = await launchBrowser();
});
after(async () => {
	await browser?.close();
	assert.equal(await d.stop(), 0);
});

test('the finance director reads the pay scales, and a scale by year', async () => {
	const list = (await api('GET', '/api/v1/pay-scales')).body.items;
	assert.ok(list.length > 0, 'the demo trust has pay scales');
	const page = await signIn('finance_director');
	await page.getByRole('navigation').getByRole('link', { name: 'Pay scales' }).click();
	await page.getByRole('heading', { level: 1, name: 'Pay scales' }).waitFor();
	for (const s of list)
		await page.locator(`#scales tr[data-scale="${s.name}"]`).waitFor();
	await checked(page, 'payscales');

	// one scale as a table of its points by year, every value the API's
	const name = list.find((s) => s.name === 'teachers_main_inner_london')?.name ?? list[0].name;
	const scale = (await api('GET', `/api/v1/pay-scales/${name}`)).body;
	await page.locator(`#scales tr[data-scale="${name}"]`).getByRole('link').click();
	await page.waitForURL(new RegExp(`/trust/pay-scales/${name}$`));
	await page.locator('#points').waitFor();
	for (const p of scale.points) {
		const cell = page.locator(`#points tr[data-point="${p.point}"] td[data-year="${p.year}"]`);
		assert.equal(await cell.getAttribute('data-pence'), String(p.annual_pence));
		assert.equal((await cell.innerText()).trim(), gbp(p.annual_pence));
	}
	await checked(page, 'payscale');

	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('the finance director reads the on-costs and LGPS rates, and saves a tax year with If-Match', async () => {
	const rates = (await api('GET', '/api/v1/staff-rates')).body.items;
	const page = await signIn('finance_director');
	await page.getByRole('navigation').getByRole('link', { name: 'Staff rates' }).click();
	await page.getByRole('heading', { level: 1, name: 'Staff rates' }).waitFor();
	await page.locator('#rates').waitFor();
	for (const r of rates)
		await page.locator('#rates th', { hasText: r.tax_year }).first().waitFor();
	await page.locator('#lgps, #lgps-heading ~ p').first().waitFor();
	await checked(page, 'staff-rates');

	// the latest tax year saved again as it is (so no cost moves): her error first, then If-Match
	const last = [...rates].sort((a, b) => a.tax_year.localeCompare(b.tax_year)).at(-1);
	await page.getByRole('button', { name: `Change ${last.tax_year}` }).click();
	const form = page.locator('#rates-form');
	const tps = form.getByLabel('Teachers’ Pension Scheme employer rate (%)');
	const was = await tps.inputValue();
	await tps.fill('30.6.8');
	await form.getByRole('button', { name: /^Save/ }).click();
	await form.locator('.govuk-error-summary').getByRole('link', { name: /^Teachers’ Pension Scheme employer rate/ }).waitFor();
	assert.match(await tps.getAttribute('class'), /govuk-input--error/);
	await checked(page, 'staff-rates-error');
	await tps.fill(was);
	await form.getByRole('button', { name: /^Save/ }).click();
	await page.getByText(`The rates for ${last.tax_year} are saved.`).waitFor();
	const saved = (await api('GET', '/api/v1/staff-rates')).body.items.find((r) => r.tax_year === last.tax_year);
	for (const k of ['ni_bp', 'ni_threshold_pence', 'ni_upper_pence', 'tps_bp', 'levy_bp', 'levy_allowance_pence', 'employment_allowance_pence'])
		assert.equal(saved[k], last[k], k);
	assert.equal(saved.version, last.version + 1);
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('a business manager reads the pay scales and staff rates with nothing to change', async () => {
	const page = await signIn('business_manager');
	await page.goto(`${d.url}/trust/pay-scales`);
	await page.locator('#scales').waitFor();
	await checked(page, 'payscales-business-manager');
	await page.goto(`${d.url}/trust/staff-rates`);
	await page.locator('#rates').waitFor();
	assert.equal(await page.getByRole('button', { name: /^(Change|Add) / }).count(), 0);
	await checked(page, 'staff-rates-business-manager');
	assert.deepEqual(page.problems, []);
	await page.context().close();
});
