import Chip from '@mui/material/Chip';
import Tooltip from '@mui/material/Tooltip';
import { errorMessage } from '../../http/request.ts';
import { useServerHealth } from './use-studies.ts';

/** The app bar's server chip: which version answers, or that none does. */
export function ServerVersion() {
  const health = useServerHealth();
  const version = health.data?.version ?? null;
  const error = health.error ? errorMessage(health.error) : null;
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
