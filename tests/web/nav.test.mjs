// nav.test.mjs - where the header's navigation points (daemon/web/src/components/nav.ts,
// compiled by the app's own esbuild): the section a nested page is in (the longest
// matching item, so Renewals and not Contracts), and where signing in may go next
// (a path of the app only: never another site, however the address is spelled).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { importComponent } from './component.mjs';

const m = await importComponent('components/nav.ts');

const ORIGIN = 'http://127.0.0.1:8080';

test('the section of a nested page is the longest matching item', () => {
	const fd = m.navFor({ role: 'finance_director', schools: [] });
	assert.equal(m.activeHref(fd, '/trust/contracts/renewals'), '/trust/contracts/renewals');
	assert.equal(m.activeHref(fd, '/trust/contracts'), '/trust/contracts');
	assert.equal(m.activeHref(fd, '/trust/contracts/42/edit'), '/trust/contracts');
	assert.equal(m.activeHref(fd, '/trust/budgets/2026-27/159901'), '/trust/budgets');
	assert.equal(m.activeHref(fd, '/trust/forecasts/compare'), '/trust/forecasts');
	assert.equal(m.activeHref(fd, '/trust/contractsx'), null, 'a folder, not a prefix of the text');
	assert.equal(m.activeHref(fd, '/account'), null);
	const bm = m.navFor({ role: 'business_manager', schools: [{ urn: '159901', name: 'A' }, { urn: '1599011', name: 'B' }] });
	assert.equal(m.activeHref(bm, '/schools/159901/budgets/2026-27'), '/schools/159901');
	assert.equal(m.activeHref(bm, '/schools/1599011'), '/schools/1599011');
	assert.equal(m.activeHref(bm, '/schools/159901/monitoring'), '/schools/159901/monitoring', 'monitoring is a section of its own');
});

test('after signing in: a path of the app, never another site', () => {
	const ok = {
		'/trust/contracts/renewals': '/trust/contracts/renewals',
		'/schools/159901/budgets/2026-27?x=1#lines': '/schools/159901/budgets/2026-27?x=1#lines',
		'/trust/contracts?status=active': '/trust/contracts?status=active',
		'/': '/',
	};
	for (const [next, want] of Object.entries(ok))
		assert.equal(m.nextPath(next, ORIGIN), want, next);
	const refused = [undefined, '', 'trust', '//evil.example/x', '/\\evil.example', '/\t/evil.example', '/\n/evil.example',
		'https://evil.example/', 'http://127.0.0.1:8080/trust', 'javascript:alert(1)', '/sign-in', '/sign-in?next=/x',
		'/api/v1/me', '/api', ' /trust', '\\\\evil.example'];
	for (const next of refused)
		assert.equal(m.nextPath(next, ORIGIN), null, JSON.stringify(next));
});
