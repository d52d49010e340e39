import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useQuery } from '@tanstack/react-query';
import type { PromptPackInfo } from '../../../../../shared/schemas/api-prompt-packs.ts';
import { fetchPromptPacks } from '../../../http/prompt-packs-api.ts';
import { queryKeys } from '../../../query/query-keys.ts';

const BUILT_IN = 'Built-in prompts';

/** The packs the server offers; read each time the form opens, as an operator may have added one since. */
function usePromptPacks() {
  return useQuery({ queryKey: queryKeys.promptPacks(), queryFn: ({ signal }) => fetchPromptPacks(signal) });
}

function label(pack: PromptPackInfo): string {
  if (pack.problems.length > 0) return `${pack.folder} (cannot be used: ${pack.problems[0] ?? ''})`;
  return `${pack.name ?? pack.folder} (folder ${pack.folder}, sha256 ${(pack.sha256 ?? '').slice(0, 12)}…)`;
}

function help(value: string, packs: PromptPackInfo[] | undefined, failed: boolean): string {
  if (failed) return "The server's prompt packs could not be listed; the saved choice is kept";
  if (value === '') return "The prompts this app ships with. Packs are folders in the server's prompts folder";
  const pack = packs?.find((p) => p.folder === value);
  if (!pack) return packs ? "This pack is no longer in the server's prompts folder" : 'Loading the packs…';
  const roles = pack.roles.length === 1 ? '1 role' : `${pack.roles.length} roles`;
  return `Replaces ${roles} (${pack.roles.join(', ')}); the others stay built-in. Each episode keeps the pack it started with`;
}

/**
 * Which prompts the study's live episodes are asked with: the built-in ones, or a pack from the server's prompts
 * folder (docs/prompt-packs.md). Packs that cannot be used are listed, disabled, with their first problem, so a
 * researcher knows the pack is there and what to tell whoever keeps the server.
 */
export function PromptPackField({
  value,
  onChange,
  error,
  disabled,
}: {
  value: string;
  onChange: (folder: string) => void;
  error: string | undefined;
  disabled: boolean;
}) {
  const packs = usePromptPacks();
  const listed = packs.data ?? [];
  // A saved pack the list does not show (removed, or the list not read yet) stays selectable, so the field shows it.
  const missing = value !== '' && !listed.some((p) => p.folder === value);
  return (
    <TextField
      select
      fullWidth
      label="Prompts"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      disabled={disabled}
      error={error !== undefined}
      helperText={error ?? help(value, packs.data, packs.isError)}
    >
      <MenuItem value="">{BUILT_IN}</MenuItem>
      {missing && <MenuItem value={value}>{value}</MenuItem>}
      {listed.map((pack) => (
        <MenuItem key={pack.folder} value={pack.folder} disabled={pack.problems.length > 0}>
          {label(pack)}
        </MenuItem>
      ))}
    </TextField>
  );
}
