/**
 * Freezing plain data all the way down, and telling whether a value is frozen so. Used where one parsed value is
 * shared between callers (cached records and study settings: a caller that changed one would fail loudly, not change
 * it for the others) and where work on a value is kept per object (a frozen value can never change).
 */

/** Freezes `value` and everything it holds; returns it. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * Plain data frozen with everything it holds (freezing cannot be undone, so once true this stays true). Only arrays
 * and plain objects: a frozen Date or Map still changes inside.
 */
export function deeplyFrozen(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (!Object.isFrozen(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every(deeplyFrozen);
}
