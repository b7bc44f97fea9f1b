// Build the front-end assets we serve into static/vendor/ (git-ignored):
// - USWDS's stylesheet, compiled by USWDS's own Sass from assets/scss/uswds-rkcp.scss, which loads
//   only the components and utilities the templates use;
// - USWDS's JavaScript, fonts and images, and htmx, copied from node_modules.
// The stylesheet refers to ../fonts/ and ../img/, so css, js, fonts and img stay siblings.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const vendor = join(root, "static", "vendor");

const uswds = join(modules, "@uswds", "uswds");
// The source maps go too: the minified files name them, and collectstatic's manifest
// refuses a reference to a file that is not there.
const uswdsFiles = [
  ["js", "uswds.min.js"],
  ["js", "uswds.min.js.map"],
  ["js", "uswds-init.min.js"],
  ["js", "uswds-init.min.js.map"],
];
const copies = [
  ...uswdsFiles.map(([dir, name]) => [join(uswds, "dist", dir, name), join(vendor, "uswds", dir, name)]),
  [join(uswds, "dist", "fonts"), join(vendor, "uswds", "fonts")],
  [join(uswds, "dist", "img"), join(vendor, "uswds", "img")],
  [join(modules, "htmx.org", "dist", "htmx.min.js"), join(vendor, "htmx", "htmx.min.js")],
];
const stylesheet = {
  from: join(root, "assets", "scss", "uswds-rkcp.scss"),
  to: join(vendor, "uswds", "css", "uswds-rkcp.min.css"),
};

// Start clean, so a file dropped by an upgrade does not linger.
rmSync(vendor, { recursive: true, force: true });
for (const [from, to] of copies) {
  if (!existsSync(from)) {
    console.error(`Missing ${from}: run npm install first.`);
    process.exit(1);
  }
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true });
  console.log(`copied ${from.slice(root.length + 1)} -> ${to.slice(root.length + 1)}`);
}

// USWDS's packages are found by name (`@forward "usa-alert"`), as its own build finds them.
// quietDeps: USWDS's sources use Sass features that newer Sass deprecates; those warnings are
// USWDS's to fix, and ours still show. No source map: nothing is left to debug in a build of
// USWDS's own sources, and the manifest storage would have to resolve one.
const result = sass.compile(stylesheet.from, {
  loadPaths: [join(uswds, "packages")],
  style: "compressed",
  quietDeps: true,
});
mkdirSync(dirname(stylesheet.to), { recursive: true });
writeFileSync(stylesheet.to, result.css);
console.log(
  `compiled ${stylesheet.from.slice(root.length + 1)} -> ${stylesheet.to.slice(root.length + 1)} ` +
    `(${Math.round(result.css.length / 1024)} KB)`,
);
