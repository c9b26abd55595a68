// Bundles the web app for the daemon to serve (cmake/Web.cmake runs it at every build where
// a file of web/app/ changed):
//   node tools/build-app.mjs SOURCE_DIR OUT_DIR NODE_MODULES
// SOURCE_DIR/main.tsx and its imports (Preact, wouter-preact, openapi-fetch) become one
// minified script and one style sheet, named by their content's hash under OUT_DIR/assets/
// (the daemon caches them for a year); OUT_DIR/index.html names them (never cached), with
// no inline script or style (the app's Content-Security-Policy allows none). Every file gets
// a gzip twin (NAME.gz) that the daemon sends to browsers accepting gzip. Prints the sizes.
import { createRequire } from "node:module";
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";

const [sourceDir, outDir, nodeModules] = process.argv.slice(2);
if (!sourceDir || !outDir || !nodeModules) {
  console.error("usage: node build-app.mjs SOURCE_DIR OUT_DIR NODE_MODULES");
  process.exit(2);
}
const esbuild = createRequire(join(nodeModules, "noop.js"))("esbuild");

rmSync(outDir, { recursive: true, force: true });
const result = await esbuild.build({
  entryPoints: { app: join(sourceDir, "main.tsx") },
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2020", "chrome100", "firefox100", "safari15"],
  jsx: "automatic",
  jsxImportSource: "preact",
  nodePaths: [nodeModules],
  outdir: join(outDir, "assets"),
  entryNames: "[name]-[hash]",
  assetNames: "[name]-[hash]",
  metafile: true,
  legalComments: "none",
  logLevel: "warning",
});

const outputs = Object.keys(result.metafile.outputs).map((f) => relative(outDir, f).split("\\").join("/"));
const script = outputs.find((f) => f.endsWith(".js"));
const style = outputs.find((f) => f.endsWith(".css"));
const template = readFileSync(join(sourceDir, "index.html"), "utf8");
const page = template
  .replace("<!-- style -->", style ? `<link rel="stylesheet" href="/${style}">` : "")
  .replace("<!-- script -->", `<script type="module" src="/${script}"></script>`);
writeFileSync(join(outDir, "index.html"), page);
for (const name of readdirSync(sourceDir)) {
  if (name.endsWith(".svg")) writeFileSync(join(outDir, name), readFileSync(join(sourceDir, name)));
}

// Gzip twins, and the sizes a phone downloads.
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(path);
  }
};
walk(outDir);
let scriptBytes = 0;
for (const path of files) {
  const body = readFileSync(path);
  const gzipped = gzipSync(body, { level: 9 });
  writeFileSync(path + ".gz", gzipped);
  if (path.endsWith(".js")) scriptBytes += gzipped.length;
  console.log(`${relative(outDir, path)}: ${body.length} bytes, ${gzipped.length} gzipped`);
}
console.log(`JavaScript shipped: ${(scriptBytes / 1024).toFixed(1)} KiB gzipped (budget 150 KB)`);
