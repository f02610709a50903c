// harness.mjs - what every browser test file shares: a real bursard on a free
// loopback port against the throwaway MariaDB that tests/run.sh started (its own
// database, bursar_web, migrated and seeded once per run), Debian's Chromium
// driven by playwright-core, axe-core, screenshots, and the page's CSP reports.
//
// Environment (set by tests/run.sh): BURSAR_TEST_DIR (the throwaway directory;
// MariaDB in $BURSAR_TEST_DIR/db), BURSAR_ROOT (the repository root).
// Screenshots and the first page's size go to var/test-output/web/.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';

export const ROOT = path.resolve(process.env.BURSAR_ROOT ?? '.');
export const DIR = process.env.BURSAR_TEST_DIR;
if (!DIR)
	throw new Error('tests/web needs BURSAR_TEST_DIR and BURSAR_ROOT: run them with `make web-test` (tests/run.sh)');
export const OUT = path.join(ROOT, 'var', 'test-output', 'web');
const WEB = path.join(ROOT, 'daemon', 'web');
const require = createRequire(path.join(WEB, 'package.json'));
const { chromium } = require('playwright-core');
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const BURSARD = path.join(ROOT, 'daemon', 'bursard');
const MYCNF = path.join(DIR, 'db', 'my.cnf');
const SOCKET = path.join(DIR, 'db', 'run', 'mysqld.sock');
const DB = 'bursar_web';
export const TODAY = '2026-11-22';

fs.mkdirSync(OUT, { recursive: true });

async function freePort() {
	for (;;) {
		const port = await new Promise((resolve, reject) => {
			const s = net.createServer();
			s.once('error', reject);
			s.listen(0, '127.0.0.1', () => {
				const p = s.address().port;
				s.close(() => resolve(p));
			});
		});
		if (port !== 8080)
			return port;
	}
}

function config(port, web) {
	return `# written by tests/web/harness.mjs
http = { address = "127.0.0.1"; port = ${port}; workers = 2; cookie_secure = false; };
database = { socket = "${SOCKET}"; user = "root"; name = "${DB}"; auto_migrate = true; };
paths = {
  schema = "${ROOT}/schema";
  openapi = "${ROOT}/daemon/openapi.json";
  plugins = "${ROOT}/plugins";
  web = "${web}";
};
plugins = (
  { name = "local"; settings = { topslice_bp = 500; }; },
  { name = "central"; settings = { retention_bp = 600; }; }
);
procurement = { ocds_prefix = "ocds-xxxxxx-bursar"; };
cache = { refresh_ms = 100; };
clock = { today = "${TODAY}"; };
log = { level = "info"; access = true; };
`;
}

/* Run a command to completion; an error carries its stderr as text. */
function run(cmd, args, opts = {}) {
	try {
		return execFileSync(cmd, args, { stdio: 'pipe', encoding: 'utf8', ...opts });
	} catch (e) {
		throw new Error(`${cmd} ${args.join(' ')} failed (${e.status}):\n${e.stderr ?? ''}${e.stdout ?? ''}`);
	}
}

/* A statement on the web suite's database (bursar_web); its tab-separated output. */
export function sql(query) {
	return run('mariadb', [`--defaults-file=${MYCNF}`, DB, '-N', '-B', '-e', query]);
}

/* Migrate and seed bursar_web once per run; returns {tokens: {role: token},
 * users: {role: {email, password}}} (the seeded people, as var/dev-users has them). */
function seedOnce(conf) {
	const tokens = path.join(DIR, 'web-tokens');
	const users = path.join(DIR, 'web-users');
	if (!fs.existsSync(users)) {
		run('mariadb', [`--defaults-file=${MYCNF}`, '-e',
			`CREATE DATABASE IF NOT EXISTS ${DB} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`]);
		run(BURSARD, ['-c', conf, 'migrate'], { cwd: DIR });
		run(BURSARD, ['-c', conf, 'seed', '--tokens', tokens, '--users', users], { cwd: DIR });
	}
	const out = { tokens: {}, users: {} };
	for (const line of fs.readFileSync(tokens, 'utf8').split('\n').filter(Boolean)) {
		const [role, token] = line.split('\t');
		out.tokens[role] = token;
	}
	for (const line of fs.readFileSync(users, 'utf8').split('\n').filter(Boolean)) {
		const [role, email, password] = line.split('\t');
		out.users[role] = { email, password };
	}
	return out;
}

export class Bursard {
	/* web: the directory served at / (default the build's daemon/web/dist) */
	constructor(name, { web = path.join(WEB, 'dist') } = {}) {
		this.name = name;
		this.web = web;
		this.conf = path.join(DIR, `web-${name}.conf`);
		this.log = path.join(DIR, `web-${name}.log`);
	}

	/* On a free port; a port another process takes between freePort() and bursard's bind is
	 * picked again. Ready when /healthz is 200 and its own log (since it started) says it
	 * listens on the port: a 200 from another process holding the port is not taken for it. */
	async start() {
		for (let attempt = 1; ; attempt++) {
			this.port = await freePort();
			fs.writeFileSync(this.conf, config(this.port, this.web));
			({ tokens: this.tokens, users: this.users } = seedOnce(this.conf));
			const from = fs.existsSync(this.log) ? fs.statSync(this.log).size : 0;
			const logFd = fs.openSync(this.log, 'a');
			this.proc = spawn(BURSARD, ['-c', this.conf], { cwd: DIR, stdio: ['ignore', logFd, logFd] });
			fs.closeSync(logFd);
			const own = () => fs.readFileSync(this.log).subarray(from).toString('utf8');
			const mine = new RegExp(`listening on http://[^/\\s]+:${this.port}/`);
			const deadline = Date.now() + 10000;
			for (;;) {
				if (this.proc.exitCode !== null) {
					if (/Address already in use/.test(own()) && attempt < 3)
						break;  // taken meanwhile: another port
					throw new Error(`bursard exited ${this.proc.exitCode} during start-up:\n${this.logText()}`);
				}
				try {
					const r = await fetch(`${this.url}/healthz`);
					if (r.status === 200 && mine.test(own()))
						return this;
				} catch { /* not listening yet */ }
				if (Date.now() > deadline)
					throw new Error(`bursard: /healthz not 200 within 10 s:\n${this.logText()}`);
				await new Promise((r) => setTimeout(r, 50));
			}
		}
	}

	get url() {
		return `http://127.0.0.1:${this.port}`;
	}

	logText() {
		try {
			return fs.readFileSync(this.log, 'utf8').split('\n').slice(-40).join('\n');
		} catch {
			return '';
		}
	}

	async stop() {
		if (!this.proc || this.proc.exitCode !== null)
			return this.proc?.exitCode;
		const done = new Promise((resolve) => this.proc.once('exit', resolve));
		this.proc.kill('SIGTERM');
		const t = setTimeout(() => this.proc.kill('SIGKILL'), 15000);
		const code = await done;
		clearTimeout(t);
		return code;
	}
}

/* Debian's Chromium, headless, as root needs it, with nothing reaching out. */
export async function launchBrowser() {
	return chromium.launch({
		executablePath: process.env.BURSAR_CHROMIUM ?? '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
			'--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
	});
}

/* A new page that records what the browser complained about: CSP violations,
 * script errors, failed requests. */
export async function newPage(browser, opts = {}) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...opts });
	const page = await context.newPage();
	page.problems = [];
	page.on('console', (m) => {
		// an API answer of 4xx is the app's business (it shows it), not a fault
		if (m.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()))
			page.problems.push(`console: ${m.text()}`);
	});
	page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
	return page;
}

/* axe-core on the page once nothing on it is aria-busy: the serious and critical violations (none expected). */
export async function axeCheck(page) {
	// a grid being rebuilt is for a moment an empty role=grid, which is no fault of the page
	await page.waitForFunction(() => document.querySelector('[aria-busy="true"]') === null);
	await page.evaluate(AXE);
	const result = await page.evaluate(async () => {
		// eslint-disable-next-line no-undef
		const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
		return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
	});
	return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/* Sign in through the page as the seeded person of a role (from wherever the
 * page is: it must show the sign-in form). */
export async function signInAs(page, d, role) {
	const u = d.users[role];
	await page.getByLabel('Email address').fill(u.email);
	await page.getByLabel('Password').fill(u.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
}

/* A request to d's API as the seeded token of role: {status, body (null when empty, parsed when JSON was asked
 * for, else the text), etag}. */
export async function apiFetch(d, method, p, body, headers = {}, role = 'finance_director', accept = 'application/json') {
	const r = await fetch(`${d.url}${p}`, {
		method,
		headers: { Authorization: `Bearer ${d.tokens[role]}`, Accept: accept,
			...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
		body: body !== undefined ? JSON.stringify(body) : undefined,
	});
	const text = await r.text();
	return { status: r.status, body: text === '' ? null : accept === 'application/json' ? JSON.parse(text) : text, etag: r.headers.get('etag') };
}

/* GET p from d's API as role: its JSON body, which must come with 200. */
export async function apiGet(d, p, role = 'finance_director') {
	const r = await apiFetch(d, 'GET', p, undefined, {}, role);
	assert.equal(r.status, 200, `GET ${p}: ${r.status} ${JSON.stringify(r.body)}`);
	return r.body;
}

/* The bytes d's API gives for p and Accept as role (a download: a CSV's BOM kept, which
 * fetch's text() drops); they must come with 200. */
export async function apiBytes(d, p, accept, role = 'finance_director') {
	const r = await fetch(`${d.url}${p}`, { headers: { Authorization: `Bearer ${d.tokens[role]}`, Accept: accept } });
	assert.equal(r.status, 200, `GET ${p} (${accept}): ${r.status}`);
	return Buffer.from(await r.arrayBuffer());
}

/* A new page (newPage's options: pageOptions) signed in as the seeded person of role, on the
 * page the app lands on; if it stays on the sign-in page, the error says what the page and
 * the daemon's log said. */
export async function signedIn(browser, d, role, { acceptDialogs = false, pageOptions = {} } = {}) {
	const page = await newPage(browser, pageOptions);
	if (acceptDialogs)
		page.on('dialog', (dlg) => { void dlg.accept(); });
	await page.goto(`${d.url}/sign-in`);
	await signInAs(page, d, role);
	try {
		await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'), { timeout: 15000 });
	} catch (e) {
		throw new Error(`${role} could not sign in: ${await page.locator('main').textContent()} ${page.problems.join('; ')}\n${d.logText()}`);
	}
	return page;
}

export async function screenshot(page, name) {
	await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
}

/* The page as it is: no serious or critical axe violation, and its screenshot (name); with
 * problems: true, nothing the browser complained of either (CSP violations, script errors). */
export async function checked(page, name, { problems = false } = {}) {
	assert.deepEqual(await axeCheck(page), [], `axe on ${name}`);
	await screenshot(page, name);
	if (problems)
		assert.deepEqual(page.problems, [], `browser problems on ${name}`);
}

/* A raw HTTP/1.1 request, the path sent exactly as given (no client normalising
 * "..": what an attacker sends). Returns {status, headers, body}. */
export function rawGet(port, rawPath, headers = {}) {
	return new Promise((resolve, reject) => {
		const s = net.connect(port, '127.0.0.1');
		let data = Buffer.alloc(0);
		s.setTimeout(10000, () => s.destroy(new Error('timeout')));
		s.on('data', (d) => { data = Buffer.concat([data, d]); });
		s.on('error', reject);
		s.on('end', () => {
			const text = data.toString('latin1');
			const head = text.slice(0, text.indexOf('\r\n\r\n'));
			const [status, ...lines] = head.split('\r\n');
			const h = {};
			for (const l of lines) {
				const i = l.indexOf(':');
				h[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
			}
			resolve({ status: Number(status.split(' ')[1]), headers: h, body: text.slice(head.length + 4) });
		});
		const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
		s.write(`GET ${rawPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${extra}\r\n`);
	});
}

/* An amount as the app shows it (-£1,234.56), from the API's pence: the test's own rendering,
 * built from the digits (never a float), to compare with what the page shows. */
export function pounds(pence) {
	const digits = Math.abs(pence).toString().padStart(3, '0');
	const whole = digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	return `${pence < 0 ? '-' : ''}£${whole}.${digits.slice(-2)}`;
}

/* A school's budget for year back in draft, whatever an earlier file left it in (returned if
 * submitted, reopened if approved, with reason; as role: a bearer write needs no CSRF token).
 * Returns the budget. */
export async function budgetInDraft(d, urn, year, reason, role = 'finance_director') {
	const p = `/api/v1/schools/${urn}/budgets/${year}`;
	for (let i = 0; i < 2; i++) {
		const r = await apiFetch(d, 'GET', p, undefined, {}, role);
		assert.equal(r.status, 200, `GET ${p}: ${JSON.stringify(r.body)}`);
		if (r.body.status === 'draft')
			return r.body;
		const body = { action: r.body.status === 'approved' ? 'reopen' : 'return', reason };
		const t = await apiFetch(d, 'POST', `${p}/transitions`, body, { 'If-Match': r.etag }, role);
		assert.equal(t.status, 200, JSON.stringify(t.body));
	}
	throw new Error(`the budget ${urn} ${year} could not be put back in draft`);
}

/* The budget grid's rows once its table is built: after a save, an import or a reload the page
 * rebuilds the table, and the grid is aria-busy until the new one is there (a click on the old
 * one would be lost with it). Returns the rows' locator. */
export async function gridReady(page) {
	await page.locator('.bursar-grid:not([aria-busy="true"]) .tabulator-row').first().waitFor();
	return page.locator('.tabulator-row');
}
