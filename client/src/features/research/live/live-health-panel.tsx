import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { LiveHealth } from '../../../../../shared/schemas/api-results.ts';
import { count, dateTime } from '../format.ts';

/**
 * What is going wrong while people play, above the session list: models whose calls fail (retried failures slow every
 * session down before any fails) and episodes that ended failed, grouped by reason. Silent while all is well.
 */
export function LiveHealthPanel({ health }: { health: LiveHealth }) {
  const troubled = health.models.filter((m) => Object.values(m.failedAttempts).some((n) => n > 0));
  const { failed, failures } = health.episodes;
  if (troubled.length === 0 && failed === 0) {
    return (
      <Typography variant="body2" color="text.secondary">
        {count(health.episodes.running)} running · {count(health.episodes.completed)} completed · no model failures.
      </Typography>
    );
  }
  return (
    <Stack spacing={1}>
      {troubled.map((m) => (
        <Alert
          key={m.name}
          severity={m.failedCalls > 0 ? 'error' : 'warning'}
          role={m.failedCalls > 0 ? 'alert' : 'status'}
        >
          <AlertTitle>
            Model {m.name}: {count(Object.values(m.failedAttempts).reduce((a, b) => a + b, 0))} failed attempts in{' '}
            {count(m.calls)} calls
          </AlertTitle>
          {Object.entries(m.failedAttempts)
            .filter(([, n]) => n > 0)
            .map(([code, n]) => `${code} ${n}`)
            .join(' · ')}
          {` · ${count(m.retries)} retries · ${count(m.failedCalls)} calls failed for good`}
          {m.lastFailure && (
            <Typography variant="body2" sx={{ mt: 0.5 }}>
              Last: {m.lastFailure.code} at {dateTime(m.lastFailure.at)} — {m.lastFailure.message}
              {m.lastFailure.final ? '' : ' (retried)'}
            </Typography>
          )}
        </Alert>
      ))}
      {failed > 0 && (
        <Alert severity="error">
          <AlertTitle>{count(failed)} live episodes failed</AlertTitle>
          {failures.map((f) => (
            <Typography key={`${f.stage}|${f.reason}`} variant="body2">
              {f.count} × {f.stage}: {f.reason}
            </Typography>
          ))}
        </Alert>
      )}
    </Stack>
  );
}
