// download.ts - a file the API gives by content negotiation (`Accept: text/csv`,
// or the XLSX type), saved by the browser as a file: fetched with the session
// cookie (a link cannot send the Accept header), then handed to the browser as a
// download under the name the API's Content-Disposition gives.
//
// Never from the browser's cache: the API gives one ETag (the version) to every
// representation of a budget, so a cached JSON answer revalidated with a 304
// would be saved as the "CSV" (Chromium did exactly that).
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
