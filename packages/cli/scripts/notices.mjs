// Writes the third-party notices of a bundle: for every npm package esbuild put in it (read from the metafile),
// its name, version, licence and the licence text (plus any NOTICE or copyright-notice file) it ships. Most
// licences (MIT, ISC, BSD, Apache-2.0) require that text to travel with copies of the code; the bundle drops the
// packages' own files, so this file carries it. A package with no licence file stops the build: look at it first.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/** The directory of the innermost `node_modules/<name>` (or `node_modules/@scope/name`) in a path. */
function packageDir(file) {
  const parts = file.split(/[\\/]/);
  const at = parts.lastIndexOf("node_modules");
  if (at < 0) return undefined;
  const length = parts[at + 1]?.startsWith("@") ? at + 3 : at + 2;
  return parts.slice(0, length).join("/");
}

async function licenceText(dir) {
  const names = (await readdir(dir)).filter((n) => /^(licen[cs]e|copying)(\.|-|$)|notice/i.test(n)).sort();
  if (names.length === 0) return undefined;
  const texts = await Promise.all(names.map((n) => readFile(path.join(dir, n), "utf8")));
  return texts.map((t) => t.trim()).join("\n\n");
}

/**
 * @param {string} root the directory esbuild ran in (metafile paths are relative to it)
 * @param {{ inputs: Record<string, unknown> }} metafile
 */
export async function thirdPartyNotices(root, metafile) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const dir = packageDir(input);
    if (dir) dirs.add(path.resolve(root, dir));
  }
  const packages = new Map();
  for (const dir of dirs) {
    const manifest = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8"));
    const id = `${manifest.name}@${manifest.version}`;
    if (packages.has(id)) continue;
    const text = await licenceText(dir);
    if (!text) throw new Error(`${id} (${dir}) ships no LICENSE file: check its licence before bundling it`);
    packages.set(id, { id, licence: manifest.license ?? "see below", text });
  }
  const sorted = [...packages.values()].sort((a, b) => a.id.localeCompare(b.id));
  const lines = [
    "# Third-party notices",
    "",
    "The `adl` bundle (`bundle/*.js`) contains code from the npm packages below, under their own licences.",
    "Each package's licence text follows, as it ships with the package.",
    "",
    ...sorted.map((p) => `- ${p.id} (${p.licence})`),
    "",
  ];
  for (const p of sorted)
    lines.push(`## ${p.id}`, "", `Licence: ${p.licence}`, "", "```text", p.text, "```", "");
  return lines.join("\n");
}
