// nav.ts - what each role finds in the header, and where each lands after
// signing in. A page more is a line more here.
import type { Me } from '../api/session';

export interface NavItem {
	href: string;
	text: string;
}

export function navFor(me: Me): NavItem[] {
	switch (me.role) {
	case 'business_manager':
		return me.schools.flatMap((s) => [{ href: `/schools/${s.urn}`, text: me.schools.length === 1 ? 'My school' : s.name },
			{ href: `/schools/${s.urn}/staff`, text: me.schools.length === 1 ? 'Staff' : `${s.name}: staff` },
			{ href: `/schools/${s.urn}/monitoring`, text: me.schools.length === 1 ? 'Monitoring' : `${s.name}: monitoring` }] as NavItem[])
			.concat([{ href: '/trust/forecasts', text: 'Forecasts' }]);
	case 'finance_director':
		return [
			{ href: '/trust/budgets', text: 'Budgets' },
			{ href: '/trust/contracts', text: 'Contracts' },
			{ href: '/trust/contracts/renewals', text: 'Renewals' },
			{ href: '/trust/forecasts', text: 'Forecasts' },
			{ href: '/trust/scenarios', text: 'Scenarios' },
			{ href: '/trust/services', text: 'Shared services' },
			{ href: '/trust/profiles', text: 'Profiles' },
			{ href: '/trust/pay-scales', text: 'Pay scales' },
			{ href: '/trust/staff-rates', text: 'Staff rates' },
			{ href: '/trust/management-accounts', text: 'Monitoring' },
			{ href: '/trust/actuals', text: 'Actuals' },
			{ href: '/trust/ledger', text: 'Ledger mapping' },
			{ href: '/trust/bfr', text: 'BFR' },
			{ href: '/audit', text: 'Audit log' },
		];
	case 'auditor':
		return [
			{ href: '/audit', text: 'Audit log' },
			{ href: '/trust/budgets', text: 'Budgets' },
			{ href: '/trust/contracts', text: 'Contracts' },
			{ href: '/trust/forecasts', text: 'Forecasts' },
			{ href: '/trust/scenarios', text: 'Scenarios' },
			{ href: '/trust/services', text: 'Shared services' },
			{ href: '/trust/pay-scales', text: 'Pay scales' },
			{ href: '/trust/management-accounts', text: 'Monitoring' },
			{ href: '/trust/actuals', text: 'Actuals' },
			{ href: '/trust/ledger', text: 'Ledger mapping' },
			{ href: '/trust/bfr', text: 'BFR' },
		];
	case 'admin':
		return [{ href: '/admin/accounts', text: 'Accounts' }];
	default:
		return [];
	}
}

/* The item of the section a path is in: the longest href that is the path or
 * a folder of it, so /trust/contracts/renewals is Renewals, not Contracts,
 * and /trust/contracts/42 is Contracts. */
export function activeHref(items: NavItem[], path: string): string | null {
	let best: string | null = null;
	for (const i of items)
		if ((path === i.href || path.startsWith(`${i.href}/`)) && (best === null || i.href.length > best.length))
			best = i.href;
	return best;
}

/* Where to go after signing in when the sign-in page was given ?next=: a path
 * of this app only (same origin, not the sign-in page, not the API), never
 * another site. The URL parser judges it (it drops tabs and newlines and reads
 * "/\host" as "//host", which a pattern on the text would miss). */
export function nextPath(next: string | undefined, origin: string): string | null {
	if (next === undefined || !next.startsWith('/'))
		return null;
	let u: URL;
	try {
		u = new URL(next, origin);
	} catch {
		return null;
	}
	if (u.origin !== origin || u.username !== '' || u.password !== '')
		return null;
	const path = u.pathname;
	if (path === '/sign-in' || path.startsWith('/sign-in/') || path === '/api' || path.startsWith('/api/'))
		return null;
	return `${path}${u.search}${u.hash}`;
}

export function landingFor(me: Me): string {
	return navFor(me)[0]?.href ?? '/account';
}
