import { cp, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

/**
 * A second, independent copy of a built package, as independent versioning can leave in one program: its `dist`
 * copied into a temporary folder inside the package (so its own dependencies still resolve from there) and
 * imported from that copy. Every module of the copy is a new instance, classes included. `remove` deletes it.
 */
export async function importSecondCopy<T>(
  packageDir: string,
): Promise<{ module: T; remove: () => Promise<void> }> {
  const folder = await mkdtemp(path.join(packageDir, ".second-copy-"));
  // Without the source maps, which would point at sources the copy does not have.
  await cp(path.join(packageDir, "dist"), path.join(folder, "dist"), {
    recursive: true,
    filter: (source) => !source.endsWith(".map"),
  });
  const module = (await import(pathToFileURL(path.join(folder, "dist", "index.js")).href)) as T;
  return { module, remove: () => rm(folder, { recursive: true, force: true }) };
}
