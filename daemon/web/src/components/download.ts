// download.ts - a CSV the API gives with `Accept: text/csv`, saved by the
// browser as a file: fetched with the session cookie (a link cannot send the
// Accept header), then handed to the browser as a download.
import { ApiError } from '../api/problem';

export async function downloadCsv(path: string, fallbackName: string): Promise<void> {
	const r = await fetch(path, { credentials: 'same-origin', headers: { Accept: 'text/csv' } });
	if (!r.ok)
		throw ApiError.from(r, await r.json().catch(() => null));
	const name = /filename="([^"]+)"/.exec(r.headers.get('Content-Disposition') ?? '')?.[1] ?? fallbackName;
	const url = URL.createObjectURL(await r.blob());
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	document.body.appendChild(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10000);
}
