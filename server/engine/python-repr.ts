/** Python's repr() and str() live in shared/ (problem normalization needs them too); the engine imports them here. */
export { pythonJsonDumps, pythonRepr, pythonStr } from '../../shared/benchmark/python-repr.ts';
