/**
 * Text a spreadsheet program runs as a formula when a CSV cell starts with it (OWASP "CSV injection"); tab and CR are
 * on OWASP's list as well. The CSV export defuses such cells, and the ids we generate never start with one, so an id
 * reads the same in CSV, JSONL and the database.
 */
export const FORMULA_START = /^[=+\-@\t\r]/;
