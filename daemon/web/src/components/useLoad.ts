// useLoad.ts - a page's data from the API: loading, then the data or the error.
// The load runs again when a dependency changes; an answer that arrives after a
// newer load started is dropped; reload() loads again (after a write).
import { useEffect, useState } from 'preact/hooks';

export interface Loaded<T> {
	data: T | undefined;
	error: unknown;
	loading: boolean;
	reload: () => void;
}

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
	const [state, setState] = useState<Omit<Loaded<T>, 'reload'>>({ data: undefined, error: undefined, loading: true });
	const [generation, setGeneration] = useState(0);

	useEffect(() => {
		let current = true;
		setState((s) => ({ ...s, loading: true, error: undefined }));
		load().then(
			(data) => { if (current) setState({ data, error: undefined, loading: false }); },
			(error: unknown) => { if (current) setState({ data: undefined, error, loading: false }); },
		);
		return () => { current = false; };
	}, [...deps, generation]);
	return { ...state, reload: () => setGeneration((g) => g + 1) };
}
