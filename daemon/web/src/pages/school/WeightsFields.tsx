// WeightsFields.tsx - twelve monthly weights typed in per cent or basis points
// (September first), a field per month with its own error: the budget line's
// own weights (LineMonths.tsx) and a named profile (Profiles.tsx). The values
// stay text; profileApi.parseWeights reads them exactly when the page uses them.
import { MONTHS, parseWeights, type Unit, weightsText } from './profileApi';

interface Props {
	id: string;                          /* prefix of the fields' ids: <id>-0 .. <id>-11 */
	legend: string;
	texts: string[];
	unit: Unit;
	problems: Map<number, string>;
	onTexts: (texts: string[]) => void;
	onUnit: (unit: Unit, texts: string[]) => void;
}

export function WeightsFields({ id, legend, texts, unit, problems, onTexts, onUnit }: Props) {
	const pickUnit = (u: Unit) => {
		/* the values carried over exactly when they read as weights */
		const p = parseWeights(texts, unit);
		onUnit(u, p.ok ? weightsText(p.value, u) : texts);
	};
	const sym = unit === 'pct' ? '%' : 'bp';
	return (
		<fieldset class="govuk-fieldset" aria-describedby={`${id}-hint`}>
			<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
			<div class="govuk-hint" id={`${id}-hint`}>September first. They must add up to 100% (10,000 basis points): bursar checks when you save.</div>
			<div class="govuk-radios govuk-radios--inline govuk-radios--small govuk-!-margin-bottom-3">
				<div class="govuk-radios__item">
					<input class="govuk-radios__input" id={`${id}-unit-pct`} name={`${id}-unit`} type="radio" checked={unit === 'pct'} onChange={() => pickUnit('pct')} />
					<label class="govuk-label govuk-radios__label" for={`${id}-unit-pct`}>Per cent</label>
				</div>
				<div class="govuk-radios__item">
					<input class="govuk-radios__input" id={`${id}-unit-bp`} name={`${id}-unit`} type="radio" checked={unit === 'bp'} onChange={() => pickUnit('bp')} />
					<label class="govuk-label govuk-radios__label" for={`${id}-unit-bp`}>Basis points</label>
				</div>
			</div>
			<div class="bursar-weights">
				{MONTHS.map((m, i) => {
					const err = problems.get(i);
					return (
						<div class={`govuk-form-group${err ? ' govuk-form-group--error' : ''}`} key={m}>
							<label class="govuk-label" for={`${id}-${i}`}>{m} ({sym})</label>
							{err && <p class="govuk-error-message" id={`${id}-${i}-error`}><span class="govuk-visually-hidden">Error:</span> {err}</p>}
							<input class={`govuk-input govuk-input--width-5${err ? ' govuk-input--error' : ''}`} id={`${id}-${i}`} inputMode="decimal"
								autocomplete="off" spellcheck={false} value={texts[i] ?? ''} aria-describedby={err ? `${id}-${i}-error` : undefined}
								onInput={(e) => {
									const v = (e.target as HTMLInputElement).value;
									onTexts(texts.map((t, j) => (j === i ? v : t)));
								}} />
						</div>
					);
				})}
			</div>
		</fieldset>
	);
}
