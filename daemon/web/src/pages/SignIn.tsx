// SignIn.tsx - email and password; GOV.UK's error summary and inline errors for
// what is missing, and one message for a failed sign-in whatever the reason
// (bursard says no more than that either).
import { useLocation } from 'preact-iso';
import { useEffect, useState } from 'preact/hooks';

import { ApiError } from '../api/problem';
import { signIn } from '../api/session';
import { ErrorSummary, type SummaryError } from '../components/ErrorSummary';
import { landingFor, nextPath } from '../components/nav';
import { Page } from '../components/Page';
import { useSession } from '../components/session';

const FAILED = 'The email address or password is not right, or the account cannot sign in now.';


export default function SignIn() {
	const { me, setMe } = useSession();
	const { query, route } = useLocation();
	const [email, setEmail] = useState('');
	const [password, setPassword] = useState('');
	const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string }>({});
	const [errors, setErrors] = useState<SummaryError[]>([]);
	const [busy, setBusy] = useState(false);

	useEffect(() => {
		if (me)
			route(nextPath(query.next, location.origin) ?? landingFor(me), true);
	}, [me]);

	const submit = async (e: Event) => {
		e.preventDefault();
		const fe: { email?: string; password?: string } = {};
		if (email.trim() === '')
			fe.email = 'Enter your email address';
		if (password === '')
			fe.password = 'Enter your password';
		setFieldErrors(fe);
		if (fe.email !== undefined || fe.password !== undefined) {
			setErrors([
				...(fe.email ? [{ text: fe.email, href: '#email' }] : []),
				...(fe.password ? [{ text: fe.password, href: '#password' }] : []),
			]);
			return;
		}
		setBusy(true);
		try {
			const who = await signIn(email.trim(), password);
			setErrors([]);
			setMe(who);
		} catch (err) {
			setPassword('');
			if (err instanceof ApiError && err.status === 429)
				setErrors([{ text: `${FAILED} Wait ${err.retryAfter ?? 60} seconds before trying again.` }]);
			else if (err instanceof ApiError && (err.status === 401 || err.status === 403 || err.status === 422))
				setErrors([{ text: FAILED }]);
			else
				setErrors([{ text: 'bursar could not be reached. Try again.' }]);
		} finally {
			setBusy(false);
		}
	};

	return (
		<Page title="Sign in">
			<div class="govuk-grid-row">
				<div class="govuk-grid-column-two-thirds">
					<ErrorSummary errors={errors} />
					<p class="govuk-body">Sign in with the email address and password your trust's administrator gave you.</p>
					<form method="post" action="/sign-in" noValidate onSubmit={submit}>
						<div class={`govuk-form-group${fieldErrors.email ? ' govuk-form-group--error' : ''}`}>
							<label class="govuk-label govuk-label--s" for="email">Email address</label>
							{fieldErrors.email && (
								<p id="email-error" class="govuk-error-message">
									<span class="govuk-visually-hidden">Error:</span> {fieldErrors.email}
								</p>
							)}
							<input class={`govuk-input${fieldErrors.email ? ' govuk-input--error' : ''}`} id="email" name="email"
								type="email" autocomplete="username" spellcheck={false} value={email}
								aria-describedby={fieldErrors.email ? 'email-error' : undefined}
								onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
						</div>
						<div class={`govuk-form-group${fieldErrors.password ? ' govuk-form-group--error' : ''}`}>
							<label class="govuk-label govuk-label--s" for="password">Password</label>
							{fieldErrors.password && (
								<p id="password-error" class="govuk-error-message">
									<span class="govuk-visually-hidden">Error:</span> {fieldErrors.password}
								</p>
							)}
							<input class={`govuk-input govuk-!-width-two-thirds${fieldErrors.password ? ' govuk-input--error' : ''}`}
								id="password" name="password" type="password" autocomplete="current-password" value={password}
								aria-describedby={fieldErrors.password ? 'password-error' : undefined}
								onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
						</div>
						<button type="submit" class="govuk-button" data-module="govuk-button" disabled={busy}>Sign in</button>
					</form>
				</div>
			</div>
		</Page>
	);
}
