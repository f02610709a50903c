// Page.tsx - one page's frame: the document title ("<title> – bursar"), the
// main landmark the skip link jumps to, the heading, and the states every page
// has (loading, an error from the API).
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';

import { describeError } from '../api/problem';

interface Props {
	title: string;
	caption?: string;
	children?: ComponentChildren;
}

export function Page({ title, caption, children }: Props) {
	useEffect(() => {
		document.title = `${title} – bursar`;
	}, [title]);
	return (
		<div class="govuk-width-container">
			<main class="govuk-main-wrapper" id="main-content" tabIndex={-1}>
				{caption !== undefined && <span class="govuk-caption-l">{caption}</span>}
				<h1 class="govuk-heading-l">{title}</h1>
				{children}
			</main>
		</div>
	);
}

export function Loading({ what = 'Loading' }: { what?: string }) {
	return <p class="govuk-body" role="status">{what}…</p>;
}

/* An error the page could not recover from, said plainly. */
export function LoadError({ error }: { error: unknown }) {
	return (
		<div class="govuk-error-summary" role="alert">
			<h2 class="govuk-error-summary__title">This could not be loaded</h2>
			<div class="govuk-error-summary__body"><p class="govuk-body">{describeError(error)}</p></div>
		</div>
	);
}
