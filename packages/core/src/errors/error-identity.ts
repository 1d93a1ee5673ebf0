/**
 * Error identity that survives duplicate installs. Independent versioning can leave two copies of a package in
 * one program, and then `instanceof` fails across them. Each error class therefore carries its own marker,
 * `Symbol.for(key)`, on its prototype: every instance of the class and of its subclasses has it, whichever copy
 * made the instance, and a class's `isInstance` checks for its own marker only, so
 * `HttpError.isInstance(new TimeoutError("t"))` is false while `AdlkitError.isInstance` of either is true.
 *
 * Keys are `adlkit.error` for the base and `adlkit.error.{package}.{ClassName}` (or `adlkit.error.{ClassName}` in
 * core) below it; a key, once published, never changes.
 */
export function errorIdentity<T>(
  errorClass: abstract new (...args: never[]) => T,
  key: string,
): (value: unknown) => value is T {
  const marker = Symbol.for(key);
  Object.defineProperty(errorClass.prototype, marker, { value: true });
  return (value: unknown): value is T =>
    typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[marker] === true;
}
