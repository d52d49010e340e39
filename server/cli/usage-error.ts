import type { Command, Option } from 'commander';

/** "prefdisco stats alpha" for the command `alpha` under `stats`. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** "stats alpha" (the path without the program name), or "prefdisco" for the program itself. */
function shortPath(command: Command): string {
  return command.parent ? commandPath(command).split(' ').slice(1).join(' ') : command.name();
}

/** `--study <NAME>` → `--study NAME`. */
function flagsAsTyped(option: Option): string {
  return option.flags.replace(/^-\w, /, '').replace(/[<>[\]]/g, '');
}

function missingOption(command: Command): string | null {
  const option = command.options.find((o) => o.mandatory && command.getOptionValue(o.attributeName()) === undefined);
  if (!option) return null;
  return option.argChoices
    ? `${shortPath(command)} needs ${option.long}: expected one of ${option.argChoices.join(', ')}`
    : `${shortPath(command)} needs ${flagsAsTyped(option)}: ${option.description}`;
}

/**
 * Commander's error text turned into the one line a person reads: what is wrong and with which option or argument,
 * in our words (`--max-turns: expected an integer ≥ 1; got "x"`, `import needs --study NAME: …`).
 */
export function usageErrorLine(command: Command, message: string, code: string | undefined): string {
  if (code === 'commander.missingMandatoryOptionValue') {
    const line = missingOption(command);
    if (line) return line;
  }
  if (code === 'commander.missingArgument') {
    const name = /'([^']+)'/.exec(message)?.[1] ?? 'an argument';
    const argument = command.registeredArguments.find((a) => a.name() === name);
    const what = argument?.variadic ? `at least one ${name}` : name;
    return `${shortPath(command)} needs ${what}${argument?.description ? `: ${argument.description}` : ''}`;
  }
  if (code === 'commander.invalidArgument') {
    // "option '--seed <N>' argument 'x' is invalid. <reason>" and its variants for arguments and env values
    const invalid =
      /^error: (?:option '(?:-\w, )?(--?[\w-]+)[^']*' (?:argument|value) '.*?'(?: from env '[^']*')? is invalid|command-argument value '.*?' is invalid for argument '([^']+)')\. (.*)$/s.exec(
        message,
      );
    if (invalid) return `${invalid[1] ?? invalid[2]}: ${invalid[3]}`;
  }
  // Commander's other messages ("unknown option '--x'") only change their quotes; our own pass unchanged.
  return message.startsWith('error: ') ? message.slice(7).replace(/'([^']*)'/g, '"$1"') : message;
}

/** The lines written for a usage mistake: the reason, then how the command is called and where its help is. */
export function usageErrorText(command: Command, message: string, code: string | undefined): string {
  const path = commandPath(command);
  return (
    `prefdisco: ${usageErrorLine(command, message, code)}\n` +
    `Usage: ${path} ${command.usage()}\n` +
    `(${path} --help lists every ${command.commands.length > 0 ? 'command' : 'option'})\n`
  );
}
