import type Database from 'better-sqlite3';
import type { LibraryPersona, Persona } from '../../../shared/schemas/persona.ts';
import { sha256 } from '../rows/import-rows.ts';

/**
 * The persona library and stored personas on SQLite: SqliteStorage's persona methods. A persona is stored once per
 * content hash (`personas`); the library names the current version of each library persona (`persona_library`).
 */

export function syncPersonaLibrary(
  db: Database.Database,
  personas: LibraryPersona[],
): { added: number; updated: number; unchanged: number } {
  const result = { added: 0, updated: 0, unchanged: 0 };
  const current = db.prepare('SELECT sha256 FROM persona_library WHERE persona_id = ?').pluck();
  const insertPersona = db.prepare('INSERT OR IGNORE INTO personas (id, sha256, json, created_at) VALUES (?, ?, ?, ?)');
  const upsert = db.prepare(
    'INSERT INTO persona_library (persona_id, sha256) VALUES (?, ?) ON CONFLICT(persona_id) DO UPDATE SET sha256 = excluded.sha256',
  );
  db.transaction(() => {
    const now = new Date().toISOString();
    for (const persona of personas) {
      const json = JSON.stringify(persona);
      const sha = sha256(json);
      const was = current.get(persona.id) as string | undefined;
      if (was === sha) {
        result.unchanged += 1;
        continue;
      }
      insertPersona.run(persona.id, sha, json, now);
      upsert.run(persona.id, sha);
      if (was === undefined) result.added += 1;
      else result.updated += 1;
    }
  })();
  return result;
}

export function listLibraryPersonas(db: Database.Database): LibraryPersona[] {
  const rows = db
    .prepare(
      'SELECT p.json FROM persona_library l JOIN personas p ON p.id = l.persona_id AND p.sha256 = l.sha256 ORDER BY l.persona_id',
    )
    .pluck()
    .all() as string[];
  return rows.map((json) => JSON.parse(json) as LibraryPersona);
}

/** The library's current version of the persona, else the latest one stored with a benchmark. */
export function getPersona(db: Database.Database, id: string): Persona | null {
  const library = db
    .prepare(
      'SELECT p.json FROM persona_library l JOIN personas p ON p.id = l.persona_id AND p.sha256 = l.sha256 WHERE l.persona_id = ?',
    )
    .pluck()
    .get(id) as string | undefined;
  const json =
    library ??
    (db
      .prepare('SELECT json FROM personas WHERE id = ? ORDER BY created_at DESC, rowid DESC LIMIT 1')
      .pluck()
      .get(id) as string | undefined);
  return json === undefined ? null : (JSON.parse(json) as Persona);
}
