import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Skeleton from '@mui/material/Skeleton';
import Stack from '@mui/material/Stack';
import type { ReactNode } from 'react';
import { ErrorAlert } from '../../ui/error-alert.tsx';

interface LoadStateProps {
  /** What is loading, for the error title and screen readers ("the runs"). */
  what: string;
  loading: boolean;
  error: string | null;
  /** True once data for this study is present (possibly empty). */
  loaded: boolean;
  empty: boolean;
  emptyText: ReactNode;
  onRetry: () => void;
  children: ReactNode;
}

/**
 * The four states every tab has: loading (placeholders first time, a thin bar on refresh), failed (the server's
 * message and Retry), empty (what to do next), and the content.
 */
export function LoadState({ what, loading, error, loaded, empty, emptyText, onRetry, children }: LoadStateProps) {
  return (
    <Stack spacing={1.5} aria-busy={loading}>
      {/* Keeps its height while idle so the content does not jump when a refresh starts. */}
      <LinearProgress aria-label={`Loading ${what}`} sx={{ visibility: loading && loaded ? 'visible' : 'hidden' }} />
      {error && <ErrorAlert title={`Could not load ${what}`} message={error} onRetry={onRetry} />}
      {!loaded && loading && (
        <Box role="status" aria-label={`Loading ${what}`}>
          <Skeleton variant="rounded" height={40} sx={{ mb: 1 }} />
          <Skeleton variant="rounded" height={120} />
        </Box>
      )}
      {loaded && empty && (
        <Alert role="note" severity="info" variant="outlined">
          {emptyText}
        </Alert>
      )}
      {loaded && !empty && children}
    </Stack>
  );
}
