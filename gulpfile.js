const path = require('path');
const { task, src, dest } = require('gulp');

// tsc only emits .js/.d.ts; n8n reads the icon files next to the built node and credential.
function copyIcons() {
	const nodeSource = path.resolve('nodes', '**', '*.{png,svg}');
	const nodeDestination = path.resolve('dist', 'nodes');
	src(nodeSource).pipe(dest(nodeDestination));

	const credSource = path.resolve('credentials', '**', '*.{png,svg}');
	const credDestination = path.resolve('dist', 'credentials');
	return src(credSource).pipe(dest(credDestination));
}

task('build:icons', copyIcons);
