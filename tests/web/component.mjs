// component.mjs - a module of the web app (daemon/web/src/...) bundled in memory by the app's
// own esbuild and imported, for the tests of its pure parts (no browser, no daemon, no file
// written).
import { createRequire } from 'node:module';
import path from 'node:path';

export const WEB = path.join(path.resolve(process.env.BURSAR_ROOT ?? '.'), 'daemon', 'web');
const esbuild = createRequire(path.join(WEB, 'package.json'))('esbuild');

/* The exports of daemon/web/src/<rel>; options: esbuild's, added to the bundle's own. */
export async function importComponent(rel, options = {}) {
	const out = await esbuild.build({
		entryPoints: [path.join(WEB, 'src', rel)], bundle: true, write: false, format: 'esm', logLevel: 'error', ...options,
	});
	return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}
