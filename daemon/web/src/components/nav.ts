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
		return me.schools.map((s) => ({ href: `/schools/${s.urn}`, text: me.schools.length === 1 ? 'My school' : s.name }));
	case 'finance_director':
		return [
			{ href: '/trust/budgets', text: 'Budgets' },
			{ href: '/trust/contracts', text: 'Contracts' },
			{ href: '/trust/contracts/renewals', text: 'Renewals' },
			{ href: '/trust/forecasts', text: 'Forecasts' },
			{ href: '/trust/scenarios', text: 'Scenarios' },
			{ href: '/trust/services', text: 'Shared services' },
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
		];
	case 'admin':
		return [{ href: '/admin/accounts', text: 'Accounts' }];
	default:
		return [];
	}
}

export function landingFor(me: Me): string {
	return navFor(me)[0]?.href ?? '/account';
}
