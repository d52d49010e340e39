import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useLayoutEffect, useMemo, useRef } from 'react';
import { errorMessage } from '../../../http/request.ts';
import { useAppStore } from '../../../store/index.ts';
import { CloseIcon } from '../../../ui/icons.tsx';
import { shortId } from '../format.ts';
import { transcriptRows } from './transcript-rows.ts';
import { TranscriptView } from './transcript-view.tsx';
import { useWatchedEpisode } from './use-live.ts';

const CONNECTION_TEXT: Record<string, string> = {
  idle: 'not connected',
  connecting: 'connecting…',
  connected: 'live',
  reconnecting: 'reconnecting…',
  refused: 'connection refused',
};

/** The watched episode's transcript, growing as events are stored (socket `episode:logged`). */
export function LiveTranscript() {
  const episodeId = useAppStore((s) => s.studyView.watchedEpisodeId);
  const watch = useAppStore((s) => s.watchEpisode);
  const connection = useAppStore((s) => s.connection);
  const connected = connection === 'connected';
  const query = useWatchedEpisode(episodeId);
  const events = query.data;
  const rows = useMemo(() => transcriptRows(events ?? []), [events]);
  const personSeat = events?.some((e) => e.type === 'episode_started' && e.userSeat === 'person') ?? true;
  const error = query.error ? errorMessage(query.error) : null;
  const scroller = useRef<HTMLDivElement>(null);
  const nearBottom = useRef(true);

  // Follow new events, unless the researcher has scrolled up to read.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && nearBottom.current) el.scrollTop = el.scrollHeight;
  }, [rows.length]);

  if (episodeId === null) {
    return (
      <Paper variant="outlined" sx={{ p: 3, textAlign: 'center' }}>
        <Typography color="text.secondary">
          Choose “Watch” on an episode to follow its transcript as it happens.
        </Typography>
      </Paper>
    );
  }
  return (
    <Paper
      variant="outlined"
      component="section"
      aria-label="Watched transcript"
      sx={{ display: 'flex', flexDirection: 'column', minHeight: 0 }}
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', p: 1.5, borderBottom: 1, borderColor: 'divider' }}>
        <Typography variant="h3" component="h2" sx={{ flexGrow: 1 }} title={episodeId}>
          Episode {shortId(episodeId, 12)}
        </Typography>
        <Chip
          size="small"
          color={connected && events !== undefined && error === null ? 'success' : 'default'}
          label={CONNECTION_TEXT[connection] ?? connection}
        />
        <IconButton size="small" onClick={() => watch(null)} aria-label="Stop watching">
          <CloseIcon fontSize="small" />
        </IconButton>
      </Stack>
      {error && (
        <Alert severity="error" sx={{ m: 1.5 }}>
          {error}
        </Alert>
      )}
      <Box
        ref={scroller}
        tabIndex={0}
        aria-label="Transcript, scrollable"
        onScroll={(e) => {
          const el = e.currentTarget;
          nearBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
        }}
        sx={{ p: 1.5, overflowY: 'auto', maxHeight: '70vh' }}
      >
        {rows.length === 0 ? (
          <Typography color="text.secondary">
            {events === undefined && error === null ? 'Loading the transcript…' : 'Nothing stored yet.'}
          </Typography>
        ) : (
          <TranscriptView rows={rows} personSeat={personSeat} />
        )}
      </Box>
      <Typography variant="caption" color="text.secondary" role="status" sx={{ px: 1.5, pb: 1 }}>
        {events?.length ?? 0} events
      </Typography>
    </Paper>
  );
}
