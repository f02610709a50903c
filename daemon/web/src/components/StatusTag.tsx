// StatusTag.tsx - a workflow status as a GOV.UK tag, one colour per status.
const COLOURS: Record<string, string> = {
	none: 'govuk-tag--grey',
	draft: 'govuk-tag--yellow',
	submitted: 'govuk-tag--blue',
	approved: 'govuk-tag--green',
	awaiting_approval: 'govuk-tag--blue',
	active: 'govuk-tag--green',
	published: 'govuk-tag--green',
	expired: 'govuk-tag--grey',
	terminated: 'govuk-tag--red',
};

const NAMES: Record<string, string> = { none: 'No budget', awaiting_approval: 'Awaiting approval' };

export function StatusTag({ status }: { status: string }) {
	const name = NAMES[status] ?? status.charAt(0).toUpperCase() + status.slice(1);
	return <strong class={`govuk-tag ${COLOURS[status] ?? 'govuk-tag--grey'}`}>{name}</strong>;
}
