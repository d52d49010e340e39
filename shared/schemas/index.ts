export * from './benchmark.ts';
export * from './episode.ts';
export * from './evaluation.ts';
export * from './persona.ts';
export * from './preference.ts';
export * from './problem.ts';
export * from './rubric.ts';
export * from './study.ts';
