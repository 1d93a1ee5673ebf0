import { cp, mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * A second, independent copy of a built package, as independent versioning can leave in one program: its `dist`
 * copied into a temporary folder inside the package (so its own dependencies still resolve from there) and
 * imported from that copy. Every module of the copy is a new instance, classes included. `remove` deletes it.
 */
export async function importSecondCopy<T>(
  packageDir: string,
): Promise<{ module: T; remove: () => Promise<void> }> {
  const folder = await mkdtemp(path.join(packageDir, ".second-copy-"));
  // The sources too, which the copy's source maps point at.
  for (const part of ["dist", "src"])
    await cp(path.join(packageDir, part), path.join(folder, part), { recursive: true });
  const module = (await import(pathToFileURL(path.join(folder, "dist", "index.js")).href)) as T;
  return { module, remove: () => rm(folder, { recursive: true, force: true }) };
}

/** An error class of a package: how to make one from a copy of the package, and every class it is. */
export interface ErrorClassCase<M> {
  make: (module: M) => unknown;
  /** The names of the classes an instance is: itself and its ancestors within the table. */
  is: readonly string[];
}

/**
 * The wrong answers of `isInstance` for an instance of `name`: made by each copy, checked by every class of the
 * table in the other copy (and in its own). Empty when each class recognises exactly its own instances and its
 * subclasses', across copies.
 */
export function identityMismatches<M extends Record<string, unknown>>(
  copies: readonly [M, M],
  cases: Record<string, ErrorClassCase<M>>,
  name: string,
): string[] {
  const wrong: string[] = [];
  const [a, b] = copies;
  for (const [maker, checker, label] of [
    [a, b, "first→second"],
    [b, a, "second→first"],
    [a, a, "same copy"],
  ] as const) {
    const err = cases[name]?.make(maker);
    for (const other of Object.keys(cases)) {
      const isInstance = (checker[other] as { isInstance(v: unknown): boolean }).isInstance(err);
      if (isInstance !== cases[name]?.is.includes(other))
        wrong.push(`${label}: ${other}.isInstance(new ${name}) was ${isInstance}`);
    }
  }
  return wrong;
}

/**
 * The error-identity tests of a package: a second copy of its build is imported, and each class of `classes` must
 * recognise exactly its own instances and its subclasses', made by either copy.
 */
export function describeErrorIdentity<M extends Record<string, unknown>>(
  packageName: string,
  packageDir: string,
  first: M,
  classes: Record<string, ErrorClassCase<M>>,
): void {
  describe(`error identity across two installed copies of ${packageName}`, () => {
    let second: { module: M; remove: () => Promise<void> };
    beforeAll(async () => {
      second = await importSecondCopy<M>(packageDir);
    });
    afterAll(() => second.remove());

    it("really has two copies: the classes differ", () => {
      for (const name of Object.keys(classes)) expect(second.module[name]).not.toBe(first[name]);
    });

    it.each(Object.keys(classes))(
      "%s.isInstance: its own instances and its subclasses', from either copy",
      (name) => {
        expect(identityMismatches([first, second.module], classes, name)).toEqual([]);
      },
    );
  });
}
