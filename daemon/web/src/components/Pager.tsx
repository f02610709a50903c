// Pager.tsx - keyset paging (the API's `next` cursor): previous and next pages
// of a list, with the cursors seen so far kept by the page.
import { useState } from 'preact/hooks';

export interface Cursor {
	after: string | undefined;
	next: (cursor: string) => void;
	previous: (() => void) | undefined;
	reset: () => void;
}

export function useCursor(): Cursor {
	const [stack, setStack] = useState<string[]>([]);
	return {
		after: stack.at(-1),
		next: (c) => setStack((s) => [...s, c]),
		previous: stack.length > 0 ? () => setStack((s) => s.slice(0, -1)) : undefined,
		reset: () => setStack([]),
	};
}

export function Pager({ cursor, next }: { cursor: Cursor; next: string | null | undefined }) {
	if (cursor.previous === undefined && !next)
		return null;
	return (
		<nav class="govuk-pagination govuk-pagination--block" aria-label="Pages">
			{cursor.previous !== undefined && (
				<div class="govuk-pagination__prev">
					<button type="button" class="govuk-button govuk-button--secondary" onClick={cursor.previous}>Previous page</button>
				</div>
			)}
			{next && (
				<div class="govuk-pagination__next">
					<button type="button" class="govuk-button govuk-button--secondary" onClick={() => cursor.next(next)}>Next page</button>
				</div>
			)}
		</nav>
	);
}
