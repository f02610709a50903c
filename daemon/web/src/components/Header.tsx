// Header.tsx - the skip link, bursar's name, who is signed in with a sign-out
// link, and the navigation for their role (GOV.UK's service navigation pattern,
// without GOV.UK's own header, which carries the crown).
import { useLocation } from 'preact-iso';

import { signOut, ROLE_NAMES } from '../api/session';
import { activeHref, navFor } from './nav';
import { useSession } from './session';

export function Header() {
	const { me, setMe } = useSession();
	const { path, route } = useLocation();

	const onSignOut = async (e: Event) => {
		e.preventDefault();
		try {
			await signOut();
		} finally {
			setMe(null);
			route('/sign-in');
		}
	};
	const items = me ? navFor(me) : [];
	const current = activeHref(items, path);
	return (
		<>
			<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
			<header class="bursar-header" role="banner">
				<div class="govuk-width-container bursar-header__container">
					<a href="/" class="bursar-header__name">bursar</a>
					{me && (
						<p class="bursar-header__who">
							{me.name} ({ROLE_NAMES[me.role]}) · <a href="/sign-out" onClick={onSignOut}>Sign out</a>
						</p>
					)}
				</div>
			</header>
			{items.length > 0 && (
				<section class="govuk-service-navigation" aria-label="Service information">
					<div class="govuk-width-container">
						<div class="govuk-service-navigation__container">
							<nav aria-label="Menu" class="govuk-service-navigation__wrapper">
								<ul class="govuk-service-navigation__list" id="navigation">
									{items.map((i) => {
										const active = i.href === current;
										return (
											<li key={i.href} class={`govuk-service-navigation__item${active ? ' govuk-service-navigation__item--active' : ''}`}>
												<a class="govuk-service-navigation__link" href={i.href} aria-current={active ? (path === i.href ? 'page' : 'true') : undefined}>
													{active ? <strong class="govuk-service-navigation__active-fallback">{i.text}</strong> : i.text}
												</a>
											</li>
										);
									})}
								</ul>
							</nav>
						</div>
					</div>
				</section>
			)}
		</>
	);
}
