// signin.test.mjs - the sign-in page in Chromium: it renders under the strict
// CSP with no errors, axe-core finds nothing serious, the form's own checks use
// GOV.UK's error summary, and its script is small.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { axeCheck, Bursard, launchBrowser, newPage, OUT, ROOT, screenshot, signInAs } from './harness.mjs';

let d;
let browser;

before(async () => {
	d = await new Bursard('signin').start();
	browser = await launchBrowser();
});
after(async () => {
	await browser?.close();
	assert.equal(await d.stop(), 0);
});

test('an app page when nobody is signed in goes to the sign-in page, which passes axe', async () => {
	const page = await newPage(browser);
	const scripts = [];
	page.on('requestfinished', async (req) => {
		if (req.resourceType() === 'script') {
			const res = await req.response();
			const sizes = await req.sizes();
			scripts.push({ url: new URL(req.url()).pathname, encoding: res.headers()['content-encoding'] ?? 'identity',
				bytes: sizes.responseBodySize });
		}
	});
	await page.goto(`${d.url}/trust/contracts`);
	await page.waitForURL(/\/sign-in\?next=%2Ftrust%2Fcontracts$/);
	await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
	assert.equal(await page.title(), 'Sign in – bursar');
	assert.equal(await page.getByRole('link', { name: 'Skip to main content' }).count(), 1);
	assert.equal(await page.locator('main#main-content').count(), 1);
	assert.equal(await page.getByText('bursar', { exact: true }).count(), 1);
	assert.deepEqual(await axeCheck(page), []);
	await screenshot(page, 'sign-in');
	assert.deepEqual(page.problems, [], 'no CSP violation or script error');
	await page.waitForLoadState('networkidle');
	const total = scripts.reduce((n, s) => n + s.bytes, 0);
	// the same files' gzip copies, for browsers that do not take br
	const dist = path.join(ROOT, 'daemon', 'web', 'dist');
	const gzip = scripts.reduce((n, s) => n + fs.statSync(path.join(dist, `${s.url}.gz`)).size, 0);
	fs.writeFileSync(path.join(OUT, 'first-page.json'),
		JSON.stringify({ page: '/sign-in', sent_bytes: total, gzip_bytes: gzip, scripts }, null, 1) + '\n');
	assert.ok(gzip < 300 * 1024, `the first page's script is ${gzip} bytes gzipped`);
	assert.ok(total > 0 && total < 300 * 1024, `the first page's script is ${total} bytes`);
	await page.context().close();
});

test('an empty form: the error summary links to each field, and axe passes', async () => {
	const page = await newPage(browser);
	await page.goto(`${d.url}/sign-in`);
	await page.getByRole('button', { name: 'Sign in' }).click();
	const summary = page.locator('.govuk-error-summary');
	await summary.waitFor();
	assert.equal(await summary.getByRole('link', { name: 'Enter your email address' }).getAttribute('href'), '#email');
	assert.equal(await summary.getByRole('link', { name: 'Enter your password' }).getAttribute('href'), '#password');
	assert.ok(await summary.evaluate((el) => el === document.activeElement), 'the summary has the focus');
	await summary.getByRole('link', { name: 'Enter your password' }).click();
	assert.equal(await page.evaluate(() => document.activeElement?.id), 'password');
	assert.equal(await page.locator('#email').getAttribute('aria-describedby'), 'email-error');
	assert.deepEqual(await axeCheck(page), []);
	await screenshot(page, 'sign-in-errors');
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('the sign-in page at a tablet\'s width passes axe', async () => {
	const page = await newPage(browser, { viewport: { width: 768, height: 1024 } });
	await page.goto(`${d.url}/sign-in`);
	await page.getByLabel('Email address').waitFor();
	assert.deepEqual(await axeCheck(page), []);
	await screenshot(page, 'sign-in-tablet');
	await page.context().close();
});

test('a link followed before signing in is where signing in lands, and the nav marks its section', async () => {
	const page = await newPage(browser);
	await page.goto(`${d.url}/trust/contracts/renewals`);
	await page.waitForURL(/\/sign-in\?next=%2Ftrust%2Fcontracts%2Frenewals$/);
	await signInAs(page, d, 'finance_director');
	await page.waitForURL(/\/trust\/contracts\/renewals$/);
	await page.getByRole('heading', { level: 1 }).waitFor();
	const nav = page.getByRole('navigation', { name: 'Menu' });
	assert.equal(await nav.getByRole('link', { name: 'Renewals' }).getAttribute('aria-current'), 'page');
	assert.equal(await nav.getByRole('link', { name: 'Contracts' }).getAttribute('aria-current'), null, 'one section marked');
	assert.equal(await nav.locator('.govuk-service-navigation__item--active').count(), 1);
	assert.deepEqual(await axeCheck(page), []);
	await screenshot(page, 'sign-in-next-renewals');
	assert.deepEqual(page.problems, []);
	await page.context().close();
});

test('a ?next= that leads off the site is ignored: signing in lands on the person\'s own page', async () => {
	for (const next of ['//evil.example/x', '/\\evil.example/x', 'https://evil.example/', '/\t/evil.example']) {
		const page = await newPage(browser);
		await page.goto(`${d.url}/sign-in?next=${encodeURIComponent(next)}`);
		await signInAs(page, d, 'auditor');
		await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
		const u = new URL(page.url());
		assert.equal(u.origin, d.url, next);
		assert.equal(u.pathname, '/audit', next);
		assert.deepEqual(page.problems, [], next);
		await page.context().close();
	}
});
