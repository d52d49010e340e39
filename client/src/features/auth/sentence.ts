/** Server messages are lower-case fragments ("wrong username or password"); an Alert shows them as a sentence. */
export function sentence(message: string): string {
  const text = message.trim();
  if (text === '') return text;
  const capitalised = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}
