// static.test.mjs - bursard serving the web app: headers (CSP, caching, ETag and
// 304, gzip and br), the app's own routes, missing files and traversal.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';

import { Bursard, rawGet } from './harness.mjs';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
let d;
let index;

before(async () => {
	d = await new Bursard('static').start();
	index = await rawGet(d.port, '/');
});
after(async () => {
	assert.equal(await d.stop(), 0, 'bursard exits 0 on SIGTERM');
});

function securityHeaders(r) {
	assert.equal(r.headers['content-security-policy'], CSP);
	assert.equal(r.headers['x-content-type-options'], 'nosniff');
	assert.equal(r.headers['referrer-policy'], 'same-origin');
}

function entryScript() {
	const m = index.body.match(/<script type="module" src="(\/assets\/main-[A-Z0-9]{8}\.js)"><\/script>/);
	assert.ok(m, `index.html names its script: ${index.body}`);
	return m[1];
}

test('index.html: uncached, strong ETag, security headers, no inline script or style', () => {
	assert.equal(index.status, 200);
	assert.equal(index.headers['content-type'], 'text/html; charset=utf-8');
	assert.equal(index.headers['cache-control'], 'no-cache');
	assert.match(index.headers.etag, /^"h[0-9a-f]{32}"$/);
	assert.equal(index.headers.vary, 'Accept-Encoding');
	securityHeaders(index);
	assert.doesNotMatch(index.body, /<script(?![^>]*\bsrc=)[^>]*>/, 'every script has a src');
	assert.doesNotMatch(index.body, /<style|\sstyle=/, 'no inline style');
	assert.doesNotMatch(index.body, /GOV\.UK|crown/i);
	entryScript();
});

test('the app\'s own routes get index.html; a path with a dot that is not a file is a 404 problem', async () => {
	for (const p of ['/sign-in', '/schools/100001', '/trust/contracts?status=active', '/audit/']) {
		const r = await rawGet(d.port, p);
		assert.equal(r.status, 200, p);
		assert.equal(r.headers.etag, index.headers.etag, p);
		assert.equal(r.headers['cache-control'], 'no-cache', p);
	}
	const r = await rawGet(d.port, '/assets/missing-ABCDEFGH.js');
	assert.equal(r.status, 404);
	assert.equal(r.headers['content-type'], 'application/problem+json');
	assert.equal(JSON.parse(r.body).type, '/problems/not-found');
	securityHeaders(r);
});

test('hashed assets: immutable, typed, security headers', async () => {
	const r = await rawGet(d.port, entryScript());
	assert.equal(r.status, 200);
	assert.equal(r.headers['content-type'], 'text/javascript; charset=utf-8');
	assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable');
	assert.equal(r.headers.vary, 'Accept-Encoding');
	assert.equal(r.headers['content-encoding'], undefined);
	securityHeaders(r);
	const css = index.body.match(/href="(\/assets\/app-[A-Z0-9]{8}\.css)"/)[1];
	const c = await rawGet(d.port, css);
	assert.equal(c.headers['content-type'], 'text/css; charset=utf-8');
	assert.doesNotMatch(c.body, /GDS Transport|@font-face/);
});

test('gzip and br when accepted, each with its own ETag, the same bytes once decoded', async () => {
	const url = entryScript();
	const plain = await rawGet(d.port, url);
	const gz = await rawGet(d.port, url, { 'Accept-Encoding': 'gzip, deflate' });
	const br = await rawGet(d.port, url, { 'Accept-Encoding': 'gzip, deflate, br' });
	const none = await rawGet(d.port, url, { 'Accept-Encoding': 'br;q=0, gzip;q=0' });
	assert.equal(gz.headers['content-encoding'], 'gzip');
	assert.equal(br.headers['content-encoding'], 'br');
	assert.equal(none.headers['content-encoding'], undefined);
	assert.equal(zlib.gunzipSync(Buffer.from(gz.body, 'latin1')).toString('latin1'), plain.body);
	assert.equal(zlib.brotliDecompressSync(Buffer.from(br.body, 'latin1')).toString('latin1'), plain.body);
	assert.ok(Number(gz.headers['content-length']) < Number(plain.headers['content-length']));
	assert.equal(new Set([plain.headers.etag, gz.headers.etag, br.headers.etag]).size, 3);
});

test('If-None-Match: 304 without a body, with the ETag and the caching headers', async () => {
	const url = entryScript();
	const first = await rawGet(d.port, url, { 'Accept-Encoding': 'gzip' });
	const r = await rawGet(d.port, url, { 'Accept-Encoding': 'gzip', 'If-None-Match': first.headers.etag });
	assert.equal(r.status, 304);
	assert.equal(r.body, '');
	assert.equal(r.headers.etag, first.headers.etag);
	assert.equal(r.headers['cache-control'], 'public, max-age=31536000, immutable');
	const other = await rawGet(d.port, url, { 'If-None-Match': first.headers.etag });
	assert.equal(other.status, 200, 'the identity variant has another ETag');
	const i = await rawGet(d.port, '/', { 'If-None-Match': `"x", ${index.headers.etag}` });
	assert.equal(i.status, 304);
});

test('HEAD: the headers and length of the GET, no body', async () => {
	const r = await new Promise((resolve, reject) => {
		import('node:http').then(({ request }) => {
			const q = request({ host: '127.0.0.1', port: d.port, path: '/', method: 'HEAD' }, (res) => {
				let n = 0;
				res.on('data', (c) => { n += c.length; });
				res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, n }));
			});
			q.on('error', reject);
			q.end();
		});
	});
	assert.equal(r.status, 200);
	assert.equal(r.n, 0);
	assert.equal(Number(r.headers['content-length']), Buffer.byteLength(index.body, 'latin1'));
	assert.equal(r.headers.etag, index.headers.etag);
});

test('traversal is refused, escaped or not, and nothing outside the web root is served', async () => {
	const paths = [
		'/../Makefile', '/assets/../../Makefile', '/%2e%2e/Makefile', '/assets/%2E%2E/%2e%2e/Makefile',
		'/..%2fMakefile', '/assets%2f..%2f..%2fetc%2fpasswd', '/assets/..%5c..%5cMakefile', '/.%2e/etc/passwd',
		'/./index.html', '/assets//main.js', '/%00', '/index.html%00.js',
	];
	for (const p of paths) {
		const r = await rawGet(d.port, p);
		assert.ok(r.status === 400 || r.status === 404, `${p}: ${r.status}`);
		assert.equal(r.headers['content-type'], 'application/problem+json', p);
		assert.doesNotMatch(r.body, /root:|WARN =|\$\(CC\)/, p);
		securityHeaders(r);
	}
	for (const p of ['/../Makefile', '/%2e%2e/Makefile', '/assets/%2E%2E/%2e%2e/Makefile', '/%00'])
		assert.equal((await rawGet(d.port, p)).status, 400, p);
	const dot = await rawGet(d.port, '/.gitignore');
	assert.equal(dot.status, 404);
});

test('the API is untouched: its paths are never the app', async () => {
	const r = await rawGet(d.port, '/api/v1/no-such-thing');
	assert.equal(r.status, 404);
	assert.equal(r.headers['content-security-policy'], undefined);
	assert.equal((await rawGet(d.port, '/api/v1/schools')).status, 401);
	assert.equal((await rawGet(d.port, '/healthz')).status, 200);
	const openapi = await rawGet(d.port, '/openapi.json');
	assert.equal(openapi.status, 200);
	assert.match(openapi.headers['content-type'], /^application\/json/);
});
