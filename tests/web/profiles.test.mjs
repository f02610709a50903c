// profiles.test.mjs - monthly profiles in Chromium (issue 17). The business
// manager opens a line's months on her school's budget grid (the API's
// months_pence), changes the line's profile to another named one and saves: the
// grid's Profile column and the drawer's months are the API's new ones. Own
// weights that do not add up to 100% are refused by the API, its error shown on
// the line, nothing saved; weights in basis points that do are saved and their
// months shown. In the grid's Profile cell itself she chooses a named profile
// from a select (saved, the months the API's), and one deleted meanwhile is
// refused by the API with its error on the row. The finance director's profiles page lists the API's profiles,
// adds one (the API's error on the weights first), changes it, meets a stale
// change (412: nothing saved) and deletes it. axe-core on every page, a
// screenshot of each.
//
// Its own profile (web_<run>), deleted at the end; the line's profile put back
// through the API, and the budget left in draft, for the other files.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { apiFetch, Bursard, checked, gridReady, launchBrowser, signedIn } from './harness.mjs';

const YEAR = '2026-27';
const RUN = Date.now().toString(36).slice(-5);
const NAME = `web_${RUN}`;
const GONE = `web_${RUN}_gone`;     /* a profile chosen in the grid, then deleted before the save */
let d;
let browser;
let urn;
let original;            /* the line we change, as it was: {id, profile, profile_bp} */

const api = (method, p, body, headers = {}, role = 'finance_director', accept = 'application/json') =>
	apiFetch(d, method, p, body, headers, role, accept);

const signIn = (role) => signedIn(browser, d, role, { acceptDialogs: true });

const checkedClean = (page, name) => checked(page, name, { problems: true });

/* The school's budget for YEAR in draft, whatever an earlier file left it in. */
async function draft() {
	for (let i = 0; i < 2; i++) {
		const r = await api('GET', `/api/v1/schools/${urn}/budgets/${YEAR}`);
		assert.equal(r.status, 200, JSON.stringify(r.body));
		if (r.body.status === 'draft')
			return r.body;
		const body = r.body.status === 'approved' ? { action: 'reopen', reason: 'profiles test' } : { action: 'return', reason: 'profiles test' };
		const t = await api('POST', `/api/v1/schools/${urn}/budgets/${YEAR}/transitions`, body, { 'If-Match': r.etag });
		assert.equal(t.status, 200, JSON.stringify(t.body));
	}
	throw new Error('the budget could not be put back in draft');
}

/* The typed lines as the PUT takes them, with change(line) applied. */
function inputs(budget, change = (l) => l) {
	return budget.lines.filter((l) => !l.computed).map((l) => change({
		id: l.id, account_code: l.account_code, description: l.description, amount_pence: l.amount_pence,
		driver: l.driver, excluded_from_central: l.excluded_from_central, profile: l.profile, profile_bp: l.profile_bp,
	}));
}

before(async () => {
	d = await new Bursard('profiles').start();
	browser = await launchBrowser();
	const me = await api('GET', '/api/v1/me', undefined, {}, 'business_manager');
	urn = me.body.schools[0].urn;
	const b = await draft();
	/* a typed line with an amount, on the account's default profile or a named one */
	const line = b.lines.find((l) => !l.computed && l.amount_pence > 100000 && l.profile_bp === null);
	assert.ok(line, 'a typed line to profile');
	original = { id: line.id, profile: line.profile, profile_bp: line.profile_bp };
});
after(async () => {
	if (original !== undefined) {
		const b = await draft();
		const r = await api('PUT', `/api/v1/schools/${urn}/budgets/${YEAR}`,
			{ lines: inputs(b, (l) => (l.id === original.id ? { ...l, profile: original.profile, profile_bp: original.profile_bp } : l)) },
			{ 'If-Match': `"${b.version}"` });
		assert.equal(r.status, 200, JSON.stringify(r.body));
	}
	for (const n of [NAME, GONE]) {
		const p = await api('GET', `/api/v1/profiles/${n}`);
		if (p.status === 200)
			await api('DELETE', `/api/v1/profiles/${n}`, undefined, { 'If-Match': p.etag });
	}
	await browser?.close();
	assert.equal(await d.stop(), 0);
});

/* Save changes on the page; once saved and the grid rebuilt, the budget as the API now has it. */
async function saved(page) {
	await page.getByRole('button', { name: 'Save changes' }).click();
	await page.getByText('Your changes are saved.').waitFor();
	await gridReady(page);
	return (await api('GET', `/api/v1/schools/${urn}/budgets/${YEAR}`)).body;
}

async function monthsShown(page) {
	const cells = page.locator('#line-months-table td[data-pence]');
	await cells.first().waitFor();
	return (await cells.evaluateAll((tds) => tds.map((td) => td.getAttribute('data-pence')))).map(Number);
}

test('a business manager changes a line\'s profile in the grid and sees its months change to the API\'s', async () => {
	const b0 = await draft();
	const i = b0.lines.findIndex((l) => l.id === original.id);
	const line0 = b0.lines[i];
	/* another named profile than the one the line uses now */
	const accounts = (await api('GET', '/api/v1/accounts?limit=1000')).body.items;
	const using = line0.profile ?? accounts.find((a) => a.code === line0.account_code)?.default_profile ?? 'even';
	const target = using === 'heating' ? 'term_time' : 'heating';

	const page = await signIn('business_manager');
	await page.goto(`${d.url}/schools/${urn}/budgets/${YEAR}`);
	await gridReady(page);
	const row = page.locator('.tabulator-row').nth(i);
	assert.equal((await row.locator('.tabulator-cell[tabulator-field="profile_source"]').innerText()).trim(),
		line0.profile ?? `Account’s (${using})`);
	await row.getByRole('button', { name: `Months of line ${i + 1}` }).click();
	await page.locator('#line-months').waitFor();
	assert.deepEqual(await monthsShown(page), line0.months_pence, 'the months are the API\'s');
	assert.equal(await page.evaluate(() => document.activeElement?.id), 'line-months-title');
	await checkedClean(page, 'profiles-grid-months');

	// a named profile: saved, the months are the API's new ones
	await page.getByLabel('Split the line’s amount by').selectOption(target);
	await page.getByRole('button', { name: 'Use this profile' }).click();
	await page.locator('#line-months-none').waitFor();
	assert.equal((await row.locator('.tabulator-cell[tabulator-field="profile_source"]').innerText()).trim(), target);
	const b1 = await saved(page);
	const line1 = b1.lines.find((l) => l.id === original.id);
	assert.equal(line1.profile, target);
	assert.equal(line1.profile_source, 'line');
	assert.notDeepEqual(line1.months_pence, line0.months_pence, 'another profile splits the year differently');
	await page.locator('#line-months-table').waitFor();
	assert.deepEqual(await monthsShown(page), line1.months_pence, 'the months are the API\'s after the save');
	await page.locator('.tabulator-row').nth(i).locator('.tabulator-cell[tabulator-field="profile_source"]').getByText(target).waitFor();
	await checkedClean(page, 'profiles-grid-named');

	// own weights adding up to 120%: the API's error on the line, nothing saved
	await page.getByLabel('Split the line’s amount by').selectOption({ label: 'Own weights' });
	for (let m = 0; m < 12; m++)
		await page.locator(`#weight-${m}`).fill('10');
	await page.getByRole('button', { name: 'Use this profile' }).click();
	await page.getByRole('button', { name: 'Save changes' }).click();
	const summary = page.locator('.govuk-error-summary').first();
	await summary.waitFor();
	assert.match(await summary.innerText(), new RegExp(`Line ${i + 1}: Profile weights:`));
	const notes = page.locator('.tabulator-row').nth(i).locator('.bursar-grid-problem');
	await notes.waitFor();
	assert.match(await notes.innerText(), /Profile weights:/);
	const b2 = (await api('GET', `/api/v1/schools/${urn}/budgets/${YEAR}`)).body;
	assert.equal(b2.version, b1.version, 'nothing saved');
	await checkedClean(page, 'profiles-grid-refused');

	// own weights in basis points that add up to 10,000: saved; the months are the API's
	await page.getByLabel('Basis points').check();
	const bp = [1000, 1000, 1000, 1000, 750, 750, 750, 750, 750, 750, 750, 750];
	for (let m = 0; m < 12; m++)
		await page.locator(`#weight-${m}`).fill(String(bp[m]));
	await page.getByRole('button', { name: 'Use this profile' }).click();
	const b3 = await saved(page);
	const line3 = b3.lines.find((l) => l.id === original.id);
	assert.deepEqual(line3.profile_bp, bp);
	assert.equal(line3.profile_source, 'own');
	await page.locator('#line-months-table').waitFor();
	assert.deepEqual(await monthsShown(page), line3.months_pence);
	assert.equal((await page.locator('#line-months-profile').innerText()).trim(), 'Own weights');
	await checkedClean(page, 'profiles-grid-own');
	await page.context().close();
});

test('the grid\'s Profile cell: a named profile chosen in the cell is saved; a profile gone meanwhile is the API\'s error on the row', async () => {
	const b0 = await draft();
	const i = b0.lines.findIndex((l) => l.id === original.id);
	const line0 = b0.lines[i];
	const target = line0.profile === 'term_time' ? 'heating' : 'term_time';
	const profileCell = (page) => page.locator('.tabulator-row').nth(i).locator('.tabulator-cell[tabulator-field="profile_source"]');

	const page = await signIn('business_manager');
	await page.goto(`${d.url}/schools/${urn}/budgets/${YEAR}`);
	await gridReady(page);
	await profileCell(page).click();
	const select = page.getByLabel(`Profile of line ${i + 1}`);
	await select.waitFor();
	/* the API's profiles to choose from, the account's default first */
	const names = (await api('GET', '/api/v1/profiles')).body.items.map((p) => p.name);
	const options = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));
	assert.deepEqual(options.filter((v) => v !== '' && v !== '__own'), names);
	assert.equal(options[0], '');
	await checkedClean(page, 'profiles-grid-cell');
	await select.selectOption(target);
	await profileCell(page).getByText(target, { exact: true }).waitFor();
	const b1 = await saved(page);
	const line1 = b1.lines.find((l) => l.id === original.id);
	assert.equal(line1.profile, target);
	assert.equal(line1.profile_bp, null);
	assert.equal(line1.profile_source, 'line');
	await profileCell(page).getByText(target, { exact: true }).waitFor();
	await page.locator('.tabulator-row').nth(i).getByRole('button', { name: `Months of line ${i + 1}` }).click();
	assert.deepEqual(await monthsShown(page), line1.months_pence, 'the months are the API\'s');
	await page.getByRole('button', { name: 'Close the months' }).click();

	// a profile chosen in the cell and deleted before the save: the API's error on the row, nothing saved
	const made = await api('POST', '/api/v1/profiles', { name: GONE, description: 'Web test: deleted before the save',
		weights_bp: [834, 834, 834, 834, 833, 833, 833, 833, 833, 833, 833, 833] });
	assert.equal(made.status, 201, JSON.stringify(made.body));
	await page.reload();
	await gridReady(page);
	await profileCell(page).click();
	await page.getByLabel(`Profile of line ${i + 1}`).locator(`option[value="${GONE}"]`).waitFor({ state: 'attached' });
	await page.getByLabel(`Profile of line ${i + 1}`).selectOption(GONE);
	await profileCell(page).getByText(GONE, { exact: true }).waitFor();
	const del = await api('DELETE', `/api/v1/profiles/${GONE}`, undefined, { 'If-Match': made.etag });
	assert.equal(del.status, 204, JSON.stringify(del.body));
	/* what the API says of such a line */
	const refused = await api('PUT', `/api/v1/schools/${urn}/budgets/${YEAR}`,
		{ lines: inputs(b1, (l) => (l.id === original.id ? { ...l, profile: GONE, profile_bp: null } : l)) }, { 'If-Match': `"${b1.version}"` });
	assert.equal(refused.status, 422, JSON.stringify(refused.body));
	const message = refused.body.errors.find((e) => e.field.endsWith('/profile')).message;
	await page.getByRole('button', { name: 'Save changes' }).click();
	const notes = page.locator('.tabulator-row').nth(i).locator('.bursar-grid-problem');
	await notes.waitFor();
	assert.ok((await notes.innerText()).includes(message), `the API's message on the row: ${await notes.innerText()} / ${message}`);
	await page.locator('.govuk-error-summary').first().getByText(new RegExp(`^Line ${i + 1}:`)).waitFor();
	assert.equal((await api('GET', `/api/v1/schools/${urn}/budgets/${YEAR}`)).body.version, b1.version, 'nothing saved');
	await checkedClean(page, 'profiles-grid-cell-refused');
	await page.context().close();
});

test('the finance director adds, changes and deletes a profile; a stale change saves nothing', async () => {
	const list = (await api('GET', '/api/v1/profiles')).body.items;
	const page = await signIn('finance_director');
	await page.getByRole('navigation').getByRole('link', { name: 'Profiles' }).click();
	await page.getByRole('heading', { level: 1, name: 'Monthly profiles' }).waitFor();
	await page.locator('#profiles tbody tr').first().waitFor();
	assert.equal(await page.locator('#profiles tbody tr').count(), list.length);
	for (const p of list) {
		const bps = await page.locator(`#profiles tr[data-profile="${p.name}"] td[data-bp]`).evaluateAll((tds) => tds.map((t) => Number(t.getAttribute('data-bp'))));
		assert.deepEqual(bps, p.weights_bp, p.name);
	}
	await checkedClean(page, 'profiles-list');

	// a new one whose weights add up to 99.98%: the API's error on the weights
	await page.getByRole('button', { name: 'Add a profile' }).click();
	const form = page.locator('#profile-form');
	await form.getByLabel('Name').fill(NAME);
	await form.getByLabel('Description').fill('Web test: spring-heavy');
	const pct = ['8.33', '8.33', '8.33', '8.33', '8.33', '8.33', '8.33', '8.33', '8.33', '8.33', '8.33', '8.35'];
	for (let m = 0; m < 12; m++)
		await form.locator(`#profile-weight-${m}`).fill(pct[m]);
	await form.getByRole('button', { name: 'Add the profile' }).click();
	await form.locator('.govuk-error-summary').waitFor();
	assert.equal((await api('GET', `/api/v1/profiles/${NAME}`)).status, 404, 'nothing saved');
	await checkedClean(page, 'profiles-refused');
	await form.locator('#profile-weight-11').fill('8.37');
	await form.getByRole('button', { name: 'Add the profile' }).click();
	await page.getByText(`The profile ${NAME} is added.`).waitFor();
	const made = (await api('GET', `/api/v1/profiles/${NAME}`)).body;
	assert.deepEqual(made.weights_bp, [833, 833, 833, 833, 833, 833, 833, 833, 833, 833, 833, 837]);
	await page.locator(`#profiles tr[data-profile="${NAME}"]`).waitFor();

	// changed with If-Match
	await page.getByRole('button', { name: `Change ${NAME}` }).click();
	await form.getByLabel('Description').fill('Web test: changed');
	await form.getByRole('button', { name: 'Save the profile' }).click();
	await page.getByText(`The profile ${NAME} is saved.`).waitFor();
	const changed = (await api('GET', `/api/v1/profiles/${NAME}`));
	assert.equal(changed.body.description, 'Web test: changed');
	assert.equal(changed.body.version, made.version + 1);

	// someone else changes it meanwhile: 412, nothing saved
	await page.getByRole('button', { name: `Change ${NAME}` }).click();
	const other = await api('PUT', `/api/v1/profiles/${NAME}`, { description: 'Changed elsewhere', weights_bp: changed.body.weights_bp },
		{ 'If-Match': changed.etag });
	assert.equal(other.status, 200, JSON.stringify(other.body));
	await form.getByLabel('Description').fill('Web test: stale');
	await form.getByRole('button', { name: 'Save the profile' }).click();
	await form.getByText('Someone else changed this profile since you opened it.').waitFor();
	assert.equal((await api('GET', `/api/v1/profiles/${NAME}`)).body.description, 'Changed elsewhere');
	await checkedClean(page, 'profiles-stale');
	await form.getByRole('button', { name: 'Reload the profiles' }).click();

	// deleted with If-Match
	await page.locator(`#profiles tr[data-profile="${NAME}"]`).getByText('Changed elsewhere').waitFor();
	await page.getByRole('button', { name: `Delete ${NAME}` }).click();
	await page.getByText(`The profile ${NAME} is deleted.`).waitFor();
	assert.equal((await api('GET', `/api/v1/profiles/${NAME}`)).status, 404);
	// the list reloads after the message: wait for the row to go rather than count at once
	await page.locator(`#profiles tr[data-profile="${NAME}"]`).waitFor({ state: 'detached' });
	await checkedClean(page, 'profiles-deleted');
	await page.context().close();
});
