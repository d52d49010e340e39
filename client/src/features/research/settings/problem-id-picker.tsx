import Autocomplete from '@mui/material/Autocomplete';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { searchProblemIds } from '../../../http/study-create-api.ts';

/** Options shown per search; the server searches all of a study's ids, so thousands stay quick. */
const SHOWN = 50;
const DEBOUNCE_MS = 250;

/** The draft keeps ids as text (one per line): the paste box edits it directly, the picker as a list. */
export function idsOf(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((x) => x !== ''))];
}

function useDebounced(value: string, ms: number): string {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

interface Props {
  studyId: string;
  value: string;
  onChange: (text: string) => void;
  disabled: boolean;
  error: string | undefined;
}

/**
 * The records a study plays, by problem id: a searchable multi-select over the study's ids (searched on the server as
 * the researcher types), or a paste box for a long list made elsewhere. Both edit the same draft text.
 */
export function ProblemIdPicker({ studyId, value, onChange, disabled, error }: Props) {
  const [pasting, setPasting] = useState(false);
  const [input, setInput] = useState('');
  const q = useDebounced(input.trim(), DEBOUNCE_MS);
  const search = useQuery({
    queryKey: ['study', studyId, 'problem-ids', q],
    queryFn: ({ signal }) => searchProblemIds(studyId, q, SHOWN, signal),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
    enabled: !pasting,
  });
  const selected = idsOf(value);
  // Several ids typed or pasted at once (separated by spaces, commas or lines) are all added; the server checks them.
  const addAll = (text: string): void => onChange(idsOf([...selected, ...idsOf(text)].join('\n')).join('\n'));
  const found = search.data;
  const more = found && found.total > found.ids.length ? found.total - found.ids.length : 0;
  const help = `${selected.length} chosen. Type to search the study's problem ids${
    more > 0 ? ` (${more} more match; type more of the id)` : ''
  }, or paste several; each must be a record of this study.`;

  return (
    <Stack spacing={1}>
      {pasting ? (
        <TextField
          label="Problem ids"
          multiline
          minRows={3}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          disabled={disabled}
          error={error !== undefined}
          helperText={error ?? 'One per line (or separated by commas); each must be a record of this study'}
          slotProps={{ htmlInput: { style: { fontFamily: 'monospace' } } }}
        />
      ) : (
        <Autocomplete
          multiple
          // An id typed whole is added with Enter, like a pasted one; a half-typed search is never kept as an id.
          freeSolo
          disableCloseOnSelect
          filterSelectedOptions
          limitTags={12}
          options={found?.ids ?? []}
          // The server filtered already; filtering again here would hide ids matched in their middle by case.
          filterOptions={(options) => options}
          loading={search.isFetching}
          value={selected}
          onChange={(_e, ids) => onChange(idsOf(ids.join('\n')).join('\n'))}
          inputValue={input}
          onInputChange={(_e, text, reason) => {
            if (reason === 'input' && /[\s,]/.test(text.trim())) {
              addAll(text);
              setInput('');
              return;
            }
            // Keep the search text while picking several ids in a row.
            if (reason !== 'reset') setInput(text);
          }}
          onPaste={(event) => {
            // A text input drops the line breaks of a pasted list, so the list is read from the clipboard instead.
            const text = event.clipboardData.getData('text');
            if (!/[\s,]/.test(text.trim())) return;
            event.preventDefault();
            addAll(text);
            setInput('');
          }}
          disabled={disabled}
          noOptionsText={search.isError ? 'Could not search the problem ids' : 'No problem id matches'}
          renderValue={(ids, getItemProps) =>
            ids.map((id, index) => {
              const { key, ...props } = getItemProps({ index });
              return <Chip key={key} size="small" label={id} sx={{ fontFamily: 'monospace' }} {...props} />;
            })
          }
          renderInput={(params) => (
            <TextField {...params} label="Problem ids" error={error !== undefined} helperText={error ?? help} />
          )}
        />
      )}
      <div>
        <Button size="small" onClick={() => setPasting((p) => !p)} disabled={disabled}>
          {pasting ? 'Choose from the study’s ids' : 'Paste a list instead…'}
        </Button>
      </div>
    </Stack>
  );
}
