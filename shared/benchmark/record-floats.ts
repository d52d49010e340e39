/**
 * The float positions of a record held in storage, kept beside the record object itself. A stored record is JSON, and
 * JSON.parse cannot tell `4.0` from `4`; the import keeps the paths of the whole numbers its line wrote as floats
 * (profile-floats.ts) and storage attaches them to every record object it reads. Whatever code then builds the
 * persona profile from that object (a live episode, its twin, a batch run of a study, in this thread or another that
 * read the record itself) prints them as the reference does, without each caller passing them along.
 *
 * A WeakMap, not a property: the record stays exactly the parsed JSON (hashing, serializing and comparing it are
 * unchanged), and the entry goes when the record object does. A copy of the record (spread, structuredClone) does not
 * carry the paths.
 */
const floatsOfRecord = new WeakMap<object, ReadonlySet<string>>();

/** Remembers the float paths of this record object; an empty set is not kept (no paths is the default). */
export function attachIntegralFloats<T extends object>(record: T, paths: ReadonlySet<string>): T {
  if (paths.size > 0) floatsOfRecord.set(record, paths);
  return record;
}

/** The float paths attached to this record object by storage, if any. */
export function attachedIntegralFloats(record: object): ReadonlySet<string> | undefined {
  return floatsOfRecord.get(record);
}
