const path = require('path');
const { task, src, dest } = require('gulp');

// tsc emits only .js/.d.ts; the node and the credential point at ../../icons and ../icons.
function copyIcons() {
	return src(path.resolve('icons', '*.svg')).pipe(dest(path.resolve('dist', 'icons')));
}

task('build:icons', copyIcons);
