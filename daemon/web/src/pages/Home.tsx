// Home.tsx - "/": each person's own landing page, by role.
import { useLocation } from 'preact-iso';
import { useEffect } from 'preact/hooks';

import { landingFor } from '../components/nav';
import { Loading, Page } from '../components/Page';
import { useMe } from '../components/session';

export default function Home() {
	const me = useMe();
	const { route } = useLocation();
	useEffect(() => {
		route(landingFor(me), true);
	}, [me]);
	return <Page title="bursar"><Loading /></Page>;
}
