// bfr.test.mjs - the BFR page in Chromium (issue 17): the finance director
// publishes a run of her own (expected, base year 2026-27, three years: through
// the API), opens the BFR of 2027-28 from the header, chooses that run; every
// cell of the trust's lines and of a school's is the API's (GET /bfr/2027-28?run=),
// as are the pay awards and the 20% reserves test; she writes a school's reserves
// explanation (her error first, then saved; If-Match on the next change) and the
// page shows the API's; the CSV download is the API's. The auditor reads it with
// nothing to change. axe-core on every view, a screenshot of each.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import { apiBytes, apiFetch, Bursard, checked, launchBrowser, signedIn } from './harness.mjs';

const RUN = Date.now().toString(36).slice(-5);
const YEAR = '2027-28';
let d;
let browser;
let runId;

const api = (method, p, body, headers = {}, role = 'finance_director', accept = 'application/json') =>
	apiFetch(d, method, p, body, headers, role, accept);

const signIn = (role) => signedIn(browser, d, role);

async function sameLines(page, table, lines, periods) {
	await page.locator(`#${table}`).waitFor();
	assert.equal(await page.locator(`#${table} tbody tr`).count(), lines.length, `${table}: every line`);
	for (const l of lines) {
		const values = l.values_pence ?? l.values;
		for (const p of periods) {
			const cell = page.locator(`#${table} tr[data-line="${l.line_no}"] td[data-period="${p.key}"]`);
			assert.equal(await cell.getAttribute('data-value'), String(values[p.key]), `${table} ${l.line_no} ${p.key}`);
		}
	}
}

before(async () => {
	d = await new Bursard('bfr').start();
	browser = await launchBrowser();
	const made = await api('POST', '/api/v1/forecasts', { scenario: 'expected', base_year: '2026-27', horizon: 3, label: `web bfr ${RUN}` });
	assert.equal(made.status, 201, JSON.stringify(made.body));
	runId = made.body.id;
	const tag = (await api('GET', `/api/v1/forecasts/${runId}`)).etag;
	const pub = await api('POST', `/api/v1/forecasts/${runId}/transitions`, { action: 'publish' }, { 'If-Match': tag });
	assert.equal(pub.status, 200, JSON.stringify(pub.body));
});
after(async () => {
	await browser?.close();
	assert.equal(await d.stop(), 0);
});

test('the finance director reads the BFR of a published run: every figure the API\'s; a reserves explanation', async () => {
	const page = await signIn('finance_director');
	await page.getByRole('navigation').getByRole('link', { name: 'BFR' }).click();
	await page.getByRole('heading', { level: 1, name: 'Budget forecast return' }).waitFor();
	await page.getByLabel('Budget year').selectOption(YEAR);
	await page.locator(`#bfr-run option[value="${runId}"]`).waitFor({ state: 'attached' });
	await page.getByLabel('Published forecast run').selectOption(String(runId));
	await page.waitForURL(new RegExp(`run=${runId}`));
	const bfr = (await api('GET', `/api/v1/bfr/${YEAR}?run=${runId}`)).body;
	await page.getByText(`${YEAR}, from ${bfr.run.label}`).waitFor();
	await sameLines(page, 'bfr-trust', bfr.trust.lines, bfr.periods);
	assert.equal(await page.locator('#reserves-trust [data-over]').getAttribute('data-over'), String(bfr.reserves.over_20pct));
	for (const y of Object.keys(bfr.pay_awards.teacher_pay_bp))
		await page.locator(`#pay-awards tr[data-year="${y}"]`).waitFor();
	await checked(page, 'bfr');

	// a school's lines
	const school = bfr.entities.find((e) => e.urn !== 'central') ?? bfr.entities[0];
	await page.getByLabel('School or central team').selectOption(school.urn);
	await page.locator('#bfr-entity-lines-caption', { hasText: school.name }).waitFor();
	await sameLines(page, 'bfr-entity-lines', school.lines, bfr.periods);

	// its reserves explanation: too long refused on its field, then saved
	const sec = page.locator(`#reserves-${school.urn}`);
	await sec.getByRole('button', { name: /the explanation/ }).click();
	const box = sec.getByLabel(`Why ${school.name} holds its reserves and how they will be used`);
	await box.fill('x'.repeat(4001));
	await sec.getByRole('button', { name: 'Save the explanation' }).click();
	await sec.locator('.govuk-error-summary').waitFor();
	const text = `Held for the roof (web test ${RUN}).`;
	await box.fill(text);
	await sec.getByRole('button', { name: 'Save the explanation' }).click();
	await sec.getByText('The explanation is saved.').waitFor();
	await sec.locator(`#explanation-text-${school.urn}`, { hasText: text }).waitFor();
	const again = (await api('GET', `/api/v1/bfr/${YEAR}?run=${runId}`)).body.entities.find((e) => e.urn === school.urn);
	assert.equal(again.reserves.explanation, text);
	assert.ok(again.reserves.note_version >= 1);
	await checked(page, 'bfr-school');

	// the CSV is the API's
	const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Download CSV of the BFR of ${YEAR}` }).click()]);
	assert.ok(fs.readFileSync(await dl.path()).equals(await apiBytes(d, `/api/v1/bfr/${YEAR}?run=${runId}`, 'text/csv')), "the API's CSV");
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('the auditor reads the BFR with nothing to change', async () => {
	const page = await signIn('auditor');
	await page.goto(`${d.url}/trust/bfr?year=${YEAR}&run=${runId}`);
	await page.locator('#bfr-trust').waitFor();
	assert.equal(await page.getByRole('button', { name: /the explanation/ }).count(), 0);
	await checked(page, 'bfr-auditor');
	assert.deepEqual(page.problems, []);
	await page.context().close();
});
