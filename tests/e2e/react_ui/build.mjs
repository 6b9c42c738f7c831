// Bundles app.jsx and everything it imports into dist/ (ES modules: react-ui's PDF preview
// calls `new URL(..., import.meta.url)`), with pdf.js's worker beside the bundle.
import {build} from 'esbuild';
import {copyFileSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';

const started = Date.now();
rmSync('dist', {recursive: true, force: true});
mkdirSync('dist');
await build({
  entryPoints: ['app.jsx'],
  bundle: true,
  format: 'esm',
  splitting: true,
  outdir: 'dist',
  minify: true,
  sourcemap: false,
  target: ['chrome120'],
  jsx: 'automatic',
  define: {'process.env.NODE_ENV': '"production"', global: 'globalThis'},
  loader: {
    '.js': 'jsx',
    '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.otf': 'file',
    '.svg': 'file', '.png': 'file', '.jpg': 'file', '.jpeg': 'file', '.gif': 'file',
    '.webp': 'file', '.mp3': 'file', '.wav': 'file',
  },
  logLevel: 'warning',
});
copyFileSync('node_modules/pdfjs-dist/build/pdf.worker.min.js', 'dist/pdf.worker.min.js');
writeFileSync('dist/index.html', `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SelfCommunity React UI</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="app.css">
</head>
<body>
<div id="root"></div>
<script type="module" src="app.js"></script>
</body>
</html>
`);
console.log(`built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s`);
