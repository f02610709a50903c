// main.tsx - the app: who is signed in (GET /api/v1/me), the header, and the
// router. Every page is its own module, loaded when first visited (a chunk of
// its own), so a page more is a route more here and a file in pages/.
import { render, type ComponentChildren, type ComponentType } from 'preact';
import { ErrorBoundary, LocationProvider, Route, Router, lazy, useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';

import { fetchMe, type Me } from './api/session';
import { Header } from './components/Header';
import { Loading, Page } from './components/Page';
import { SessionContext, useSession } from './components/session';

const SignIn = lazy(() => import('./pages/SignIn'));
const Home = lazy(() => import('./pages/Home'));
const School = lazy(() => import('./pages/school/School'));
const TrustBudgets = lazy(() => import('./pages/TrustBudgets'));
const Contracts = lazy(() => import('./pages/Contracts'));
const Audit = lazy(() => import('./pages/Audit'));
const Account = lazy(() => import('./pages/Account'));
const BudgetReview = lazy(() => import('./pages/trust/BudgetReview'));
const ContractDetail = lazy(() => import('./pages/trust/ContractDetail'));
const ContractForm = lazy(() => import('./pages/trust/ContractForm'));
const Renewals = lazy(() => import('./pages/trust/Renewals'));
const Accounts = lazy(() => import('./pages/admin/Accounts'));
const NotFound = lazy(() => import('./pages/NotFound'));
const Scenarios = lazy(() => import('./pages/trust/Scenarios'));
const ScenarioNew = lazy(() => import('./pages/trust/ScenarioNew'));
const Scenario = lazy(() => import('./pages/trust/Scenario'));
const Indices = lazy(() => import('./pages/trust/Indices'));
const Forecasts = lazy(() => import('./pages/trust/Forecasts'));
const ForecastCompare = lazy(() => import('./pages/trust/ForecastCompare'));
const Forecast = lazy(() => import('./pages/trust/Forecast'));
const Services = lazy(() => import('./pages/trust/Services'));
const Service = lazy(() => import('./pages/trust/Service'));
const Allocations = lazy(() => import('./pages/trust/Allocations'));
const Staff = lazy(() => import('./pages/school/Staff'));
const Profiles = lazy(() => import('./pages/school/Profiles'));
const Monitoring = lazy(() => import('./pages/school/Monitoring'));
const PayScales = lazy(() => import('./pages/trust/PayScales'));
const StaffRates = lazy(() => import('./pages/trust/StaffRates'));
const Ledger = lazy(() => import('./pages/trust/Ledger'));
const Bfr = lazy(() => import('./pages/trust/Bfr'));
const Actuals = lazy(() => import('./pages/trust/Actuals'));
const ManagementAccounts = lazy(() => import('./pages/trust/ManagementAccounts'));

/* Pages behind sign-in: nobody signed in goes to /sign-in, and back after.
 * The router keeps this page mounted while the sign-in page's chunk loads, so
 * the sign-in address itself is never sent back to sign-in (it would wrap the
 * next= in another, and signing in would land on the home page). */
function Guarded({ children }: { children: ComponentChildren }) {
	const { me } = useSession();
	const { url, path, route } = useLocation();
	useEffect(() => {
		if (me === null && path !== '/sign-in')
			route(`/sign-in?next=${encodeURIComponent(url)}`, true);
	}, [me, url, path, route]);
	if (me === undefined || me === null)
		return <Page title="bursar"><Loading /></Page>;
	return <>{children}</>;
}

function guarded<P extends object>(C: ComponentType<P>): ComponentType<P> {
	return (props: P) => <Guarded><C {...props} /></Guarded>;
}

const routes: [string, ComponentType<any>][] = [
	['/', Home],
	['/schools/:urn', School],
	['/schools/:urn/budgets/:year', School],
	['/trust/budgets', TrustBudgets],
	['/trust/contracts', Contracts],
	['/trust/budgets/:year/:urn', BudgetReview],
	['/trust/contracts/new', ContractForm],
	['/trust/contracts/renewals', Renewals],
	['/trust/contracts/:id/edit', ContractForm],
	['/trust/contracts/:id', ContractDetail],
	['/admin/accounts', Accounts],
	['/audit', Audit],
	['/account', Account],
	['/trust/scenarios', Scenarios],
	['/trust/scenarios/new', ScenarioNew],
	['/trust/scenarios/indices', Indices],
	['/trust/scenarios/:id', Scenario],
	['/trust/forecasts', Forecasts],
	['/trust/forecasts/compare', ForecastCompare],
	['/trust/forecasts/:id', Forecast],
	['/trust/services', Services],
	['/trust/services/:id', Service],
	['/trust/allocations', Allocations],
	['/schools/:urn/staff', Staff],
	['/trust/profiles', Profiles],
	['/schools/:urn/monitoring', Monitoring],
	['/trust/pay-scales', PayScales],
	['/trust/pay-scales/:name', PayScales],
	['/trust/staff-rates', StaffRates],
	['/trust/ledger', Ledger],
	['/trust/bfr', Bfr],
	['/trust/actuals', Actuals],
	['/trust/management-accounts', ManagementAccounts],
];
const guardedRoutes = routes.map(([path, C]) => [path, guarded(C)] as const);
const GuardedNotFound = guarded(NotFound);

function App() {
	const [me, setMe] = useState<Me | null | undefined>(undefined);

	useEffect(() => {
		fetchMe().then(setMe, () => setMe(null));
	}, []);
	return (
		<SessionContext.Provider value={{ me, setMe }}>
			<LocationProvider>
				<Header />
				<ErrorBoundary>
					<Router>
						<Route path="/sign-in" component={SignIn} />
						{guardedRoutes.map(([path, C]) => <Route key={path} path={path} component={C} />)}
						<Route default component={GuardedNotFound} />
					</Router>
				</ErrorBoundary>
			</LocationProvider>
		</SessionContext.Provider>
	);
}

const root = document.getElementById('app');
if (root !== null) {
	root.textContent = '';
	render(<App />, root);
}
