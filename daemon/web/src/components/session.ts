// session.ts - the signed-in person, shared with every page through a context:
// undefined while /me is being asked, null when nobody is signed in.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

import type { Me } from '../api/session';

export interface SessionState {
	me: Me | null | undefined;
	setMe: (me: Me | null) => void;
}

export const SessionContext = createContext<SessionState>({ me: undefined, setMe: () => undefined });

export function useSession(): SessionState {
	return useContext(SessionContext);
}

/* The signed-in person (pages behind the guard only: never null there). */
export function useMe(): Me {
	const { me } = useSession();
	if (me === null || me === undefined)
		throw new Error('useMe outside a signed-in page');
	return me;
}
