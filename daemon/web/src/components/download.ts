// download.ts - a file the API gives by content negotiation (`Accept: text/csv`,
// or the XLSX type), saved by the browser as a file: fetched with the session
// cookie (a link cannot send the Accept header), then handed to the browser as a
// download under the name the API's Content-Disposition gives.
//
// Never from the browser's cache: a download is what the API holds now. (The API
// once gave a budget's JSON and CSV one ETag, and Chromium saved a cached JSON
// answer as the "CSV"; each representation now has its own ETag, and no-store
// keeps downloads independent of that.)
import { ApiError } from '../api/problem';

export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function downloadFile(path: string, accept: string, fallbackName: string): Promise<void> {
	const r = await fetch(path, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: accept } });
	if (!r.ok)
		throw ApiError.from(r, await r.json().catch(() => null));
	const name = /filename="([^"]+)"/.exec(r.headers.get('Content-Disposition') ?? '')?.[1] ?? fallbackName;
	saveBlob(await r.blob(), name);
}

export async function downloadCsv(path: string, fallbackName: string): Promise<void> {
	return downloadFile(path, CSV_TYPE, fallbackName);
}

/* Save a Blob as a file (an object URL on a link, clicked, then revoked). */
export function saveBlob(blob: Blob, name: string): void {
	const url = URL.createObjectURL(blob);
	const a = document.createElement('a');
	a.href = url;
	a.download = name;
	document.body.appendChild(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10000);
}
