import Autocomplete from '@mui/material/Autocomplete';
import Chip from '@mui/material/Chip';
import TextField from '@mui/material/TextField';
import { useDeclaredModels } from './use-studies.ts';

interface BaseProps {
  label: string;
  error?: string | undefined;
  helperText?: string;
  disabled?: boolean;
  required?: boolean;
}

/** Offers the declared models; other names may still be typed, and the server says whether they exist. */
function useModelOptions(): { names: string[]; note: (name: string) => string } {
  const models = useDeclaredModels().data;
  const unavailable = new Set((models ?? []).filter((m) => !m.available).map((m) => m.name));
  return {
    names: (models ?? []).map((m) => m.name),
    note: (name) => (unavailable.has(name) ? `${name} (API key not set)` : name),
  };
}

export function ModelField({
  label,
  value,
  onChange,
  error,
  helperText,
  disabled,
  required,
}: BaseProps & { value: string; onChange: (value: string) => void }) {
  const { names, note } = useModelOptions();
  return (
    <Autocomplete
      freeSolo
      options={names}
      getOptionLabel={(o) => o}
      renderOption={({ key, ...props }, option) => (
        <li key={key} {...props}>
          {note(option)}
        </li>
      )}
      inputValue={value}
      onInputChange={(_e, v) => onChange(v)}
      disabled={disabled}
      renderInput={(params) => (
        <TextField
          {...params}
          label={label}
          required={required}
          error={error !== undefined}
          helperText={error ?? helperText}
        />
      )}
    />
  );
}

/** Several models as chips: pick from the list, or type a name and press Enter (leaving the field adds it too). */
export function ModelsField({
  label,
  value,
  onChange,
  error,
  helperText,
  disabled,
}: BaseProps & { value: string[]; onChange: (value: string[]) => void }) {
  const { names, note } = useModelOptions();
  return (
    <Autocomplete
      multiple
      freeSolo
      autoSelect
      options={names}
      value={value}
      onChange={(_e, v) => onChange([...new Set(v.map((x) => x.trim()).filter((x) => x !== ''))])}
      disabled={disabled}
      renderValue={(selected, getItemProps) =>
        selected.map((option, index) => {
          const { key, ...props } = getItemProps({ index });
          return <Chip key={key} size="small" label={option} {...props} />;
        })
      }
      renderOption={({ key, ...props }, option) => (
        <li key={key} {...props}>
          {note(option)}
        </li>
      )}
      renderInput={(params) => (
        <TextField {...params} label={label} error={error !== undefined} helperText={error ?? helperText} />
      )}
    />
  );
}
