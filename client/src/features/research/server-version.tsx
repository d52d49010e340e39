import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import { useAppStore } from '../../store/index.ts';

/** The app bar's server chip: which version answers, or that none does. */
export function ServerVersion() {
  const version = useAppStore((s) => s.serverVersion);
  const error = useAppStore((s) => s.serverError);
  if (error) {
    return (
      <Tooltip describeChild title={error}>
        <Chip size="small" color="warning" label="server unreachable" tabIndex={0} />
      </Tooltip>
    );
  }
  return (
    <Chip
      size="small"
      variant="outlined"
      label={version ? `server v${version}` : 'server …'}
      aria-label={version ? `Server version ${version}` : 'Checking server version'}
      // Phones need the room for the account; an unreachable server still shows (above).
      sx={{ color: 'inherit', borderColor: 'rgba(255,255,255,0.6)', display: { xs: 'none', sm: 'inline-flex' } }}
    />
  );
}
