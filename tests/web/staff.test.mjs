// staff.test.mjs - staffing by post in Chromium (issue 16): the business manager
// opens her school's Staff page from the header, reads the posts, the totals by
// code and the ICFP measures as the API gives them, adds a vacancy (the API's
// error on its field first), and sees the post's cost for the year and the
// totals move by exactly that cost; on a school planning by post (the finance
// director switches hers on through the API first when the seed has not), the
// budget page's generated E01 line and the expenditure total move by the same
// cost, read-only with a link to the Staff page. She changes the post, ends it
// and deletes it (If-Match; a stale one saves nothing). An auditor reads the
// page with no button. axe-core on every page, a screenshot of each.
//
// Its own post (WEB-V<run>), deleted at the end; the school's staff_by_post is
// put back as it was, and its budget left in draft, for the other files.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { apiFetch, budgetInDraft, Bursard, checked, gridReady, launchBrowser, pounds, signedIn } from './harness.mjs';

const YEAR = '2026-27';
const RUN = Date.now().toString(36).slice(-5).toUpperCase();
const REF = `WEB-V${RUN}`;
let d;
let browser;
let urn;
let wasByPost;

const api = (method, p, body, headers = {}, role = 'finance_director') => apiFetch(d, method, p, body, headers, role);

const signIn = (role) => signedIn(browser, d, role);

async function setByPost(on) {
	const s = await api('GET', `/api/v1/schools/${urn}`);
	if (s.body.staff_by_post === on)
		return;
	const { name, phase, local_authority, finance_model, floor_area_m2, periods_per_cycle } = s.body;
	const r = await api('PUT', `/api/v1/schools/${urn}`, { name, phase, local_authority, finance_model, floor_area_m2, periods_per_cycle,
		staff_by_post: on }, { 'If-Match': `"${s.body.version}"` });
	assert.equal(r.status, 200, JSON.stringify(r.body));
}

async function mine() {
	const r = await api('GET', `/api/v1/schools/${urn}/posts?year=${YEAR}&limit=1000`);
	assert.equal(r.status, 200, JSON.stringify(r.body));
	return r.body.items.find((p) => p.reference === REF);
}

before(async () => {
	d = await new Bursard('staff').start();
	browser = await launchBrowser();
	const me = await api('GET', '/api/v1/me', undefined, {}, 'business_manager');
	urn = me.body.schools[0].urn;
	wasByPost = (await api('GET', `/api/v1/schools/${urn}`)).body.staff_by_post;
	await setByPost(true);
	await budgetInDraft(d, urn, YEAR, 'staff test');
});
after(async () => {
	const p = await mine().catch(() => undefined);
	if (p !== undefined)
		await api('DELETE', `/api/v1/schools/${urn}/posts/${p.id}`, undefined, { 'If-Match': `"${p.version}"` });
	if (wasByPost !== undefined)
		await setByPost(wasByPost);
	await browser?.close();
	assert.equal(await d.stop(), 0);
});

test('a business manager adds a vacancy: its cost, the totals and the budget move by it', async () => {
	const staffing0 = (await api('GET', `/api/v1/schools/${urn}/staffing?year=${YEAR}`)).body;
	const budget0 = await budgetInDraft(d, urn, YEAR, 'staff test');
	/* the generated E01 line before (none when the school has no teaching posts yet) */
	const e01Before = budget0.lines.find((l) => l.source === 'posts' && l.account_code === 'E01')?.amount_pence ?? 0;

	const page = await signIn('business_manager');
	await page.getByRole('navigation').getByRole('link', { name: 'Staff' }).click();
	await page.waitForURL(new RegExp(`/schools/${urn}/staff`));
	await page.getByRole('heading', { level: 1, name: 'Staff' }).waitFor();
	await page.locator('#staff-total').waitFor();
	assert.equal(await page.locator('#staff-total').getAttribute('data-pence'), String(staffing0.total_pence));
	for (const l of staffing0.lines)
		assert.equal(await page.locator(`#staff-totals tr[data-code="${l.account_code}"] td[data-pence]`).getAttribute('data-pence'), String(l.total_pence));
	if (staffing0.metrics !== null)
		await page.locator('#staff-measures').waitFor();
	assert.equal(await page.getByRole('navigation').getByRole('link', { name: 'Staff' }).getAttribute('aria-current'), 'page');
	await checked(page, 'staff');

	// a vacancy, prefilled vacant: the API's error on its field first (FTE over 1.00)
	await page.getByRole('button', { name: 'Add a vacancy' }).click();
	const form = page.locator('#post-form');
	await form.waitFor();
	assert.equal(await form.getByLabel('Vacant (budgeted, not filled)').isChecked(), true);
	assert.equal(await form.getByLabel('Holder').count(), 0, 'no holder for a vacancy');
	await form.getByLabel('Reference').fill(REF);
	await form.getByLabel('Title').fill(`Class teacher (web test ${RUN})`);
	await form.getByLabel('Role').selectOption('teacher');
	await form.getByLabel('Account code').selectOption('E01');
	const scales = (await api('GET', '/api/v1/pay-scales')).body.items;
	const scale = scales.find((s) => s.name === 'teachers_main_inner_london') ?? scales.find((s) => s.kind === 'teacher');
	await form.getByLabel('Pay scale').selectOption(scale.name);
	await form.locator('#post-point option[value="M1"]').waitFor({ state: 'attached' });
	await form.getByLabel('Point', { exact: true }).selectOption('M1');
	await form.getByLabel('FTE').fill('1.5');
	await form.getByRole('button', { name: 'Add the post' }).click();
	const err = form.locator('.govuk-error-summary').getByRole('link', { name: /^FTE:/ });
	await err.waitFor();
	await err.click();
	assert.equal(await page.evaluate(() => document.activeElement?.id), 'post-fte');
	assert.match(await form.getByLabel('FTE').getAttribute('class'), /govuk-input--error/);
	assert.equal(await mine(), undefined, 'nothing saved');
	await checked(page, 'staff-error');

	await form.getByLabel('FTE').fill('1.00');
	await form.getByRole('button', { name: 'Add the post' }).click();
	await page.locator('#staff-banner').getByText(`${REF}`, { exact: false }).waitFor();
	const post = await mine();
	assert.ok(post, 'the post is saved');
	assert.equal(post.vacant, true);
	assert.equal(post.holder_name, null);
	assert.equal(post.fte_h, 100);
	assert.ok(post.cost.total_pence > 0);
	const row = page.locator(`#posts tr[data-post="${REF}"]`);
	await row.waitFor();
	assert.equal(await row.locator('td[data-cost]').getAttribute('data-cost'), String(post.cost.total_pence));
	assert.equal((await row.locator('td[data-cost]').innerText()).trim(), pounds(post.cost.total_pence));
	assert.match(await row.innerText(), /Vacant/);
	// the totals moved by exactly the post's cost
	const staffing1 = (await api('GET', `/api/v1/schools/${urn}/staffing?year=${YEAR}`)).body;
	assert.equal(staffing1.total_pence, staffing0.total_pence + post.cost.total_pence);
	await page.locator(`#staff-total[data-pence="${staffing1.total_pence}"]`).waitFor();
	const e01 = (s) => s.lines.find((l) => l.account_code === 'E01')?.total_pence ?? 0;
	assert.equal(e01(staffing1), e01(staffing0) + post.cost.total_pence);
	// the measures, as the API gives them (a teacher more)
	assert.ok(staffing1.metrics !== null);
	await page.locator('#staff-measures [data-measure="teacher_fte"] dd').waitFor();
	assert.equal((await page.locator('#staff-measures [data-measure="teacher_fte"] dd').innerText()).trim(),
		`${Math.trunc(staffing1.metrics.teacher_fte_h / 100)}.${String(staffing1.metrics.teacher_fte_h % 100).padStart(2, '0')}`);
	await checked(page, 'staff-added');

	// the budget: its generated E01 line and the expenditure total moved by the same cost
	const budget1 = (await api('GET', `/api/v1/schools/${urn}/budgets/${YEAR}`)).body;
	const line1 = budget1.lines.find((l) => l.source === 'posts' && l.account_code === 'E01');
	assert.ok(line1, 'a generated E01 line');
	assert.equal(line1.amount_pence, e01Before + post.cost.total_pence);
	assert.equal(budget1.totals.expenditure_pence, budget0.totals.expenditure_pence + post.cost.total_pence);
	await page.getByRole('navigation').getByRole('link', { name: 'My school' }).click();
	await gridReady(page);
	const i = budget1.lines.indexOf(line1);
	const gridRow = page.locator('.tabulator-row').nth(i);
	assert.equal((await gridRow.locator('.tabulator-cell[tabulator-field="amount"]').innerText()).trim(), pounds(line1.amount_pence));
	assert.match(await gridRow.innerText(), /from posts/);
	assert.match(await gridRow.innerText(), new RegExp(`pay ${pounds(line1.staff.pay_pence).replace(/[.$]/g, '\\$&')}`));
	assert.equal((await page.locator('#total-expenditure').innerText()).trim(), pounds(budget1.totals.expenditure_pence));
	assert.equal(await gridRow.locator('.tabulator-cell[tabulator-field="amount"]').getAttribute('aria-readonly'), 'true');
	await page.locator('#staff-lines-note').waitFor();
	await checked(page, 'staff-budget');
	await gridRow.getByRole('link', { name: /Change the posts/ }).click();
	await page.waitForURL(new RegExp(`/schools/${urn}/staff`));
	await page.locator(`#posts tr[data-post="${REF}"]`).waitFor();

	// change it: 0.60 FTE, saved with If-Match; its cost and the total follow
	await page.getByRole('button', { name: `Change ${REF}` }).click();
	await form.getByLabel('FTE').fill('0.60');
	await form.getByRole('button', { name: 'Save the post' }).click();
	await page.locator('#staff-banner').getByText(`${REF} is saved.`).waitFor();
	const changed = await mine();
	assert.equal(changed.fte_h, 60);
	assert.equal(changed.version, post.version + 1);
	await page.locator(`#posts tr[data-post="${REF}"] td[data-cost="${changed.cost.total_pence}"]`).waitFor();
	const staffing2 = (await api('GET', `/api/v1/schools/${urn}/staffing?year=${YEAR}`)).body;
	assert.equal(staffing2.total_pence, staffing0.total_pence + changed.cost.total_pence);

	// end it on 31 March 2027: a stale version first saves nothing
	await page.getByRole('button', { name: `End ${REF}` }).click();
	const other = await api('PUT', `/api/v1/schools/${urn}/posts/${changed.id}`, { ...writable(changed), title: `${changed.title} (elsewhere)` },
		{ 'If-Match': `"${changed.version}"` });
	assert.equal(other.status, 200, JSON.stringify(other.body));
	await page.getByLabel('Last day of the post').fill('2027-03-31');
	await page.getByRole('button', { name: 'End the post' }).click();
	await page.getByText('Someone else changed this post since you opened it, so nothing was saved.').waitFor();
	assert.equal((await mine()).ends_on, null);
	await page.getByRole('button', { name: 'Reload the posts' }).click();
	// the reload is done when the row shows the other change (else the form would hold the old version)
	await page.locator(`#posts tr[data-post="${REF}"]`).getByText(`${changed.title} (elsewhere)`).waitFor();
	await page.getByRole('button', { name: `End ${REF}` }).click();
	await page.getByLabel('Last day of the post').fill('2027-03-31');
	await page.getByRole('button', { name: 'End the post' }).click();
	await page.locator('#staff-banner').getByText(`${REF} ends on 2027-03-31.`).waitFor();
	const ended = await mine();
	assert.equal(ended.ends_on, '2027-03-31');
	assert.ok(ended.cost.total_pence < changed.cost.total_pence, 'seven months cost less than twelve');
	await page.locator(`#posts tr[data-post="${REF}"] td[data-cost="${ended.cost.total_pence}"]`).waitFor();

	// delete it: the totals are back where they were
	await page.getByRole('button', { name: `Delete ${REF}` }).first().click();
	await page.locator('#delete-post').getByRole('button', { name: `Delete ${REF}` }).click();
	await page.locator('#staff-banner').getByText(`${REF} is deleted.`).waitFor();
	assert.equal(await mine(), undefined);
	await page.locator(`#staff-total[data-pence="${staffing0.total_pence}"]`).waitFor();
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

function writable(p) {
	const out = { ...p };
	for (const k of ['id', 'urn', 'version', 'created_at', 'updated_at', 'cost'])
		delete out[k];
	return out;
}

test('an auditor reads a school\'s staff with no button to change them; the finance director has the switch', async () => {
	const page = await signIn('auditor');
	await page.goto(`${d.url}/schools/${urn}/staff?year=${YEAR}`);
	await page.locator('#staff-total').waitFor();
	assert.equal(await page.getByRole('button', { name: 'Add a vacancy' }).count(), 0);
	assert.equal(await page.getByRole('button', { name: /^(Change|End|Delete) / }).count(), 0);
	assert.equal(await page.getByRole('button', { name: /Plan staff by post|Stop planning/ }).count(), 0);
	await checked(page, 'staff-auditor');
	assert.deepEqual(page.problems, []);
	await page.context().close();

	const fd = await signIn('finance_director');
	await fd.goto(`${d.url}/schools/${urn}/staff?year=${YEAR}`);
	await fd.locator('#staff-total').waitFor();
	await fd.getByRole('button', { name: 'Stop planning staff by post' }).click();
	await fd.getByText('no longer plans its staff by post', { exact: false }).waitFor();
	assert.equal((await api('GET', `/api/v1/schools/${urn}`)).body.staff_by_post, false);
	await fd.getByRole('button', { name: 'Plan staff by post' }).click();
	await fd.getByText('now plans its staff by post', { exact: false }).waitFor();
	assert.equal((await api('GET', `/api/v1/schools/${urn}`)).body.staff_by_post, true);
	await checked(fd, 'staff-finance-director');
	assert.deepEqual(fd.problems, []);
	await fd.context().close();
});
