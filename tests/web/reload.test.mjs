// reload.test.mjs - bursard reads the web app's files once, at start-up and on
// SIGHUP: a file changed or removed on disk changes nothing until the HUP, then
// the new files are served (with their new ETags).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { Bursard, DIR, ROOT, rawGet } from './harness.mjs';

const web = path.join(DIR, 'web-reload');
let d;

before(async () => {
	fs.rmSync(web, { recursive: true, force: true });
	fs.cpSync(path.join(ROOT, 'daemon', 'web', 'dist'), web, { recursive: true });
	d = await new Bursard('reload', { web }).start();
});
after(async () => {
	assert.equal(await d.stop(), 0);
	fs.rmSync(web, { recursive: true, force: true });
});

test('files come from memory until SIGHUP, then from the directory as it is', async () => {
	const before1 = await rawGet(d.port, '/');
	assert.equal(before1.status, 200);
	const script = before1.body.match(/src="(\/assets\/main-[A-Z0-9]{8}\.js)"/)[1];

	// change index.html (and drop its compressed copies), remove the script
	const changed = before1.body.replace('<title>bursar</title>', '<title>bursar (reloaded)</title>');
	fs.writeFileSync(path.join(web, 'index.html'), changed);
	fs.rmSync(path.join(web, 'index.html.gz'));
	fs.rmSync(path.join(web, 'index.html.br'));
	for (const suffix of ['', '.gz', '.br'])
		fs.rmSync(path.join(web, script.slice(1) + suffix));
	const still = await rawGet(d.port, '/');
	assert.equal(still.headers.etag, before1.headers.etag, 'nothing is read per request');
	assert.equal((await rawGet(d.port, script)).status, 200);

	d.proc.kill('SIGHUP');
	const deadline = Date.now() + 10000;
	let now;
	do {
		await new Promise((r) => setTimeout(r, 100));
		now = await rawGet(d.port, '/');
	} while (now.headers.etag === before1.headers.etag && Date.now() < deadline);
	assert.notEqual(now.headers.etag, before1.headers.etag, 'the HUP reloads the files');
	assert.equal(now.body, changed);
	assert.equal((await rawGet(d.port, '/', { 'Accept-Encoding': 'gzip, br' })).headers['content-encoding'], undefined,
		'no stale compressed copy');
	// both workers switch (several requests, fresh connections each)
	for (let i = 0; i < 6; i++)
		assert.equal((await rawGet(d.port, script)).status, 404);
});
