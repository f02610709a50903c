// problem.ts - the API's errors (RFC 9457 application/problem+json) as one typed
// error the pages catch: its status, its detail and its field errors (errors[],
// JSON Pointers such as "/email" or "query:limit") for the forms.
export interface FieldError {
	field: string;
	message: string;
	row?: number | null;                /* a refused budget submit: the spreadsheet row of the line */
	line_id?: number | null;            /* ... and its id */
}

export interface Problem {
	type: string;
	title: string;
	status: number;
	detail: string;
	instance?: string;
	errors?: FieldError[];
}

export function isProblem(x: unknown): x is Problem {
	if (typeof x !== 'object' || x === null)
		return false;
	const p = x as Record<string, unknown>;
	return typeof p.type === 'string' && typeof p.title === 'string' && typeof p.status === 'number' &&
		typeof p.detail === 'string';
}

export class ApiError extends Error {
	readonly status: number;
	readonly problem: Problem;
	/* seconds, from Retry-After (429, 503), or null */
	readonly retryAfter: number | null;

	constructor(status: number, problem: Problem, retryAfter: number | null) {
		super(problem.detail || problem.title);
		this.name = 'ApiError';
		this.status = status;
		this.problem = problem;
		this.retryAfter = retryAfter;
	}

	/* the field errors, in the order the API gave them */
	get fieldErrors(): FieldError[] {
		return this.problem.errors ?? [];
	}

	static from(response: Response, body: unknown): ApiError {
		const ra = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
		const problem: Problem = isProblem(body) ? body : {
			type: 'about:blank',
			title: response.statusText || 'Error',
			status: response.status,
			detail: `The server answered ${response.status}.`,
		};
		return new ApiError(response.status, problem, Number.isFinite(ra) ? ra : null);
	}
}

/* What to tell a person about an error of any kind. */
export function describeError(e: unknown): string {
	if (e instanceof ApiError)
		return e.problem.detail || e.problem.title;
	if (e instanceof TypeError)
		return 'bursar could not be reached. Check your connection and try again.';
	return 'Something went wrong. Try again.';
}
