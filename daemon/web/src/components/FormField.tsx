// FormField.tsx - GOV.UK form groups: a label, a hint, the error message (from
// the page's own checks or the API's errors[]) tied to the input with
// aria-describedby, and the input, select or textarea itself.
import type { ComponentChildren } from 'preact';

interface Common {
	id: string;
	label: string;
	hint?: string;
	error?: string | undefined;
	labelClass?: string;
}

function describedBy(id: string, hint?: string, error?: string): string | undefined {
	const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
	return ids || undefined;
}

function Group({ id, label, hint, error, labelClass = 'govuk-label--s', children }: Common & { children: ComponentChildren }) {
	return (
		<div class={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
			<label class={`govuk-label ${labelClass}`} for={id}>{label}</label>
			{hint && <div id={`${id}-hint`} class="govuk-hint">{hint}</div>}
			{error && <p id={`${id}-error`} class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {error}</p>}
			{children}
		</div>
	);
}

interface TextProps extends Common {
	value: string;
	onInput: (v: string) => void;
	width?: string;                     /* govuk-input--width-10 ... */
	type?: string;
	prefix?: string;
	suffix?: string;
	inputMode?: 'decimal' | 'numeric' | 'text' | 'email';
	autocomplete?: string;
}

export function TextField(p: TextProps) {
	const input = (
		<input class={`govuk-input${p.width ? ` ${p.width}` : ''}${p.error ? ' govuk-input--error' : ''}`} id={p.id} name={p.id}
			type={p.type ?? 'text'} value={p.value} spellcheck={false} inputMode={p.inputMode} autocomplete={p.autocomplete ?? 'off'}
			aria-describedby={describedBy(p.id, p.hint, p.error)}
			onInput={(e) => p.onInput((e.target as HTMLInputElement).value)} />
	);
	return (
		<Group {...p}>
			{p.prefix || p.suffix ? (
				<div class="govuk-input__wrapper">
					{p.prefix && <div class="govuk-input__prefix" aria-hidden="true">{p.prefix}</div>}
					{input}
					{p.suffix && <div class="govuk-input__suffix" aria-hidden="true">{p.suffix}</div>}
				</div>
			) : input}
		</Group>
	);
}

interface SelectProps extends Common {
	value: string;
	onChange: (v: string) => void;
	options: { value: string; text: string }[];
}

export function SelectField(p: SelectProps) {
	return (
		<Group {...p}>
			<select class={`govuk-select${p.error ? ' govuk-select--error' : ''}`} id={p.id} name={p.id} value={p.value}
				aria-describedby={describedBy(p.id, p.hint, p.error)}
				onChange={(e) => p.onChange((e.target as HTMLSelectElement).value)}>
				{p.options.map((o) => <option key={o.value} value={o.value}>{o.text}</option>)}
			</select>
		</Group>
	);
}

interface AreaProps extends Common {
	value: string;
	onInput: (v: string) => void;
	rows?: number;
}

export function TextArea(p: AreaProps) {
	return (
		<Group {...p}>
			<textarea class={`govuk-textarea${p.error ? ' govuk-textarea--error' : ''}`} id={p.id} name={p.id} rows={p.rows ?? 3}
				value={p.value} aria-describedby={describedBy(p.id, p.hint, p.error)}
				onInput={(e) => p.onInput((e.target as HTMLTextAreaElement).value)} />
		</Group>
	);
}

interface CheckProps {
	id: string;
	label: string;
	checked: boolean;
	onChange: (v: boolean) => void;
	hint?: string;
}

export function Checkbox({ id, label, checked, onChange, hint }: CheckProps) {
	return (
		<div class="govuk-checkboxes__item">
			<input class="govuk-checkboxes__input" id={id} name={id} type="checkbox" checked={checked}
				aria-describedby={hint ? `${id}-hint` : undefined}
				onChange={(e) => onChange((e.target as HTMLInputElement).checked)} />
			<label class="govuk-label govuk-checkboxes__label" for={id}>{label}</label>
			{hint && <div id={`${id}-hint`} class="govuk-hint govuk-checkboxes__hint">{hint}</div>}
		</div>
	);
}

/* The API's field errors (JSON Pointers) by pointer: the first message of each. */
export function errorsByField(errors: { field: string; message: string }[]): Record<string, string> {
	const out: Record<string, string> = {};
	for (const e of errors)
		if (out[e.field] === undefined)
			out[e.field] = e.message;
	return out;
}

/* A GOV.UK success banner. */
export function SuccessBanner({ title, children }: { title: string; children: ComponentChildren }) {
	return (
		<div class="govuk-notification-banner govuk-notification-banner--success" role="alert" aria-labelledby="banner-title" tabIndex={-1}>
			<div class="govuk-notification-banner__header">
				<h2 class="govuk-notification-banner__title" id="banner-title">{title}</h2>
			</div>
			<div class="govuk-notification-banner__content">{children}</div>
		</div>
	);
}
