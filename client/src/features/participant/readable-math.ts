/**
 * Benchmark tasks come from maths datasets written in LaTeX. A crowd worker should not have to read `$6$`: inline
 * math that is only letters, digits and plain operators loses its dollar signs. Anything with a command, brace,
 * sub- or superscript stays exactly as written, so nothing is ever shown wrongly.
 */
export function readableMath(text: string): string {
  return text.replace(/\$([^$\\{}^_\n]{1,40})\$/g, '$1');
}
