// ErrorSummary.tsx - GOV.UK's error summary: a list of what is wrong at the top
// of the page, each linking to its field, focused when it appears so that
// screen reader users hear it.
import { useEffect, useRef } from 'preact/hooks';

export interface SummaryError {
	text: string;
	href?: string;                  /* "#field-id" */
}

interface Props {
	errors: SummaryError[];
	title?: string;
}

export function ErrorSummary({ errors, title = 'There is a problem' }: Props) {
	const ref = useRef<HTMLDivElement>(null);

	useEffect(() => {
		if (errors.length > 0)
			ref.current?.focus();
	}, [errors]);
	if (errors.length === 0)
		return null;
	const focusField = (e: MouseEvent, href: string) => {
		const el = document.getElementById(href.slice(1));
		if (el !== null) {
			e.preventDefault();
			el.focus();
		}
	};
	return (
		<div class="govuk-error-summary" ref={ref} tabIndex={-1} role="alert">
			<h2 class="govuk-error-summary__title">{title}</h2>
			<div class="govuk-error-summary__body">
				<ul class="govuk-list govuk-error-summary__list">
					{errors.map((e) => (
						<li key={`${e.href ?? ''}${e.text}`}>
							{e.href !== undefined
								? <a href={e.href} onClick={(ev) => focusField(ev, e.href as string)}>{e.text}</a>
								: e.text}
						</li>
					))}
				</ul>
			</div>
		</div>
	);
}

/* The API's field errors (JSON Pointers) as summary entries; fields maps a
 * pointer ("/email") to the id of its input, and one without an input is shown
 * without a link. */
export function summaryOf(errors: { field: string; message: string }[], fields: Record<string, string>,
	labels: Record<string, string> = {}): SummaryError[] {
	return errors.map((e) => {
		const id = fields[e.field];
		const label = labels[e.field] ?? e.field.replace(/^\//, '');
		const out: SummaryError = { text: `${label}: ${e.message}` };
		if (id !== undefined)
			out.href = `#${id}`;
		return out;
	});
}
