// Table.tsx - a GOV.UK table from rows and column definitions: a caption, header
// cells with scope, numeric columns right-aligned, a message when empty.
import type { ComponentChildren } from 'preact';

export interface Column<T> {
	header: string;
	cell: (row: T) => ComponentChildren;
	numeric?: boolean;
}

interface Props<T> {
	caption: string;
	captionHidden?: boolean;
	columns: Column<T>[];
	rows: T[];
	rowKey: (row: T) => string | number;
	empty?: string;
}

export function Table<T>({ caption, captionHidden = false, columns, rows, rowKey, empty = 'Nothing to show.' }: Props<T>) {
	if (rows.length === 0)
		return <p class="govuk-body">{empty}</p>;
	return (
		<table class="govuk-table">
			<caption class={captionHidden ? 'govuk-visually-hidden' : 'govuk-table__caption govuk-table__caption--m'}>
				{caption}
			</caption>
			<thead class="govuk-table__head">
				<tr class="govuk-table__row">
					{columns.map((c) => (
						<th scope="col" key={c.header}
							class={`govuk-table__header${c.numeric ? ' govuk-table__header--numeric' : ''}`}>{c.header}</th>
					))}
				</tr>
			</thead>
			<tbody class="govuk-table__body">
				{rows.map((r) => (
					<tr class="govuk-table__row" key={rowKey(r)}>
						{columns.map((c, i) => i === 0
							? <th scope="row" class="govuk-table__header" key={c.header}>{c.cell(r)}</th>
							: <td key={c.header} class={`govuk-table__cell${c.numeric ? ' govuk-table__cell--numeric bursar-num' : ''}`}>
								{c.cell(r)}
							</td>)}
					</tr>
				))}
			</tbody>
		</table>
	);
}
