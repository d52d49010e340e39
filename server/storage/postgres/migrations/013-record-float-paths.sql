-- The whole numbers a record's source line wrote as floats (`4.0`) in its persona and persona_preferences, as a JSON
-- array of JSON paths (`$["persona_preferences"]["pace"]`), so live episodes print the persona profile as the
-- reference does (Python prints 4.0 where JSON.parse keeps 4). '[]' when the line has none; NULL for records
-- imported before this column existed: their profiles print such numbers as whole numbers, as they did before.
ALTER TABLE records ADD COLUMN float_paths_json TEXT;
