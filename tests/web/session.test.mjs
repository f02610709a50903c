// session.test.mjs - a session that has ended fails properly in the browser: when the
// idle clock runs out (the session's last request made old in the database, as
// session.idle_timeout_s would), the next page goes to the sign-in page rather than
// showing an error or stale data, and signing in again works.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { axeCheck, Bursard, launchBrowser, newPage, screenshot, signInAs, sql } from './harness.mjs';

let d;
let browser;

before(async () => {
	d = await new Bursard('session').start();
	browser = await launchBrowser();
});
after(async () => {
	await browser?.close();
	assert.equal(await d.stop(), 0);
});

test('an expired session goes to the sign-in page, and signing in again works', async () => {
	const page = await newPage(browser);
	await page.goto(`${d.url}/sign-in`);
	await signInAs(page, d, 'auditor');
	await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
	const me = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
	assert.equal(me, 200);

	// the idle clock runs out
	sql(`UPDATE sessions s JOIN users u ON u.id = s.user_id SET s.last_seen_at = UTC_TIMESTAMP(6) - INTERVAL 1 DAY
	     WHERE u.email = '${d.users.auditor.email}' AND s.ended_at IS NULL`);
	const after = await page.evaluate(async () => (await fetch('/api/v1/me')).status);
	assert.equal(after, 401, 'the API refuses the ended session');

	await page.goto(`${d.url}/audit`);
	await page.waitForURL(/\/sign-in/);
	await page.getByRole('button', { name: 'Sign in' }).waitFor();
	assert.deepEqual(await axeCheck(page), [], 'axe');
	await screenshot(page, 'session-expired');

	await signInAs(page, d, 'auditor');
	await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
	assert.equal(await page.evaluate(async () => (await fetch('/api/v1/me')).status), 200);
	assert.deepEqual(page.problems, [], 'no CSP violation or script error');
	await page.context().close();
});
