// Copy the front-end assets we serve from node_modules into static/vendor/ (git-ignored).
// USWDS's stylesheet refers to ../fonts/ and ../img/, so css, js, fonts and img stay siblings.
import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const vendor = join(root, "static", "vendor");

const uswds = join(modules, "@uswds", "uswds", "dist");
// The source maps go too: the minified files name them, and collectstatic's manifest
// refuses a reference to a file that is not there.
const uswdsFiles = [
  ["css", "uswds.min.css"],
  ["css", "uswds.min.css.map"],
  ["js", "uswds.min.js"],
  ["js", "uswds.min.js.map"],
  ["js", "uswds-init.min.js"],
  ["js", "uswds-init.min.js.map"],
];
const copies = [
  ...uswdsFiles.map(([dir, name]) => [join(uswds, dir, name), join(vendor, "uswds", dir, name)]),
  [join(uswds, "fonts"), join(vendor, "uswds", "fonts")],
  [join(uswds, "img"), join(vendor, "uswds", "img")],
  [join(modules, "htmx.org", "dist", "htmx.min.js"), join(vendor, "htmx", "htmx.min.js")],
];

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
