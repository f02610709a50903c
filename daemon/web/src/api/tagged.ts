// tagged.ts - a successful answer with its ETag, for the pages that write back
// with If-Match (optimistic concurrency: a stale tag is 412 and nothing changes).
import { ApiError } from './problem';

export interface Tagged<D> {
	data: D;
	etag: string;
}

/* The data and the ETag of a successful answer; throws ApiError for a problem. */
export async function mustTagged<D>(call: Promise<{ data?: D; error?: unknown; response: Response }>): Promise<Tagged<Exclude<D, undefined>>> {
	const r = await call;
	if (r.error !== undefined || !r.response.ok || r.data === undefined)
		throw ApiError.from(r.response, r.error);
	return { data: r.data as Exclude<D, undefined>, etag: r.response.headers.get('ETag') ?? '' };
}

/* If-Match for a resource known by its version only ("3" -> "\"3\""). */
export function versionTag(version: number): string {
	return `"${version}"`;
}
