import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { Bubble, DisclosureChips } from './transcript-bubble.tsx';
import { MESSAGE_KINDS, type Exchange, type TranscriptRow } from './transcript-rows.ts';

/** The episode as the researcher reads it: everything stored, including what the person never sees. */
export function TranscriptView({ rows, personSeat }: { rows: TranscriptRow[]; personSeat: boolean }) {
  const userName = personSeat ? 'Actor (person)' : 'Simulated user';
  return (
    <Stack spacing={1.25} component="ol" sx={{ listStyle: 'none', p: 0, m: 0 }} aria-label="Transcript">
      {rows.map((row, i) => (
        <Box component="li" key={i}>
          <Row row={row} userName={userName} />
        </Box>
      ))}
    </Stack>
  );
}

function Row({ row, userName }: { row: TranscriptRow; userName: string }) {
  switch (row.kind) {
    case 'started':
      return (
        <Typography variant="caption" color="text.secondary">
          Started: {row.event.mode} · {row.event.provenance.assistantModel} · up to {row.event.maxTurns} turns
        </Typography>
      );
    case 'message': {
      const e = row.event;
      const who = e.role === 'assistant' ? 'Model' : userName;
      return (
        <Bubble
          voice={e.role === 'assistant' ? 'model' : 'user'}
          label={`${who} · ${MESSAGE_KINDS[e.kind]}${e.kind === 'question' || e.kind === 'final_answer' ? ` (turn ${e.turn})` : ''}${e.regenerated ? ' · regenerated after a restart' : ''}`}
          text={e.content}
          chips={
            row.tags.length > 0
              ? row.tags.map((t) => <Chip key={t} size="small" color="warning" label={`actor tagged: ${t}`} />)
              : undefined
          }
        />
      );
    }
    case 'exchange':
      return <ExchangeRow row={row} userName={userName} />;
    case 'judged':
      return (
        <Box sx={{ p: 1.25, border: 1, borderColor: 'divider', borderRadius: 1.5 }}>
          <Typography variant="caption" sx={{ fontWeight: 600 }}>
            Judge
          </Typography>
          <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap', mt: 0.5 }}>
            {row.criteria.map((c) => (
              <Chip key={c.seq} size="small" label={`${c.preference}: ${c.score ?? '—'}/5`} title={c.justification} />
            ))}
            {row.correctness && (
              <Chip
                size="small"
                color={row.correctness.correct === 1 ? 'success' : 'default'}
                label={`correct: ${row.correctness.correct ?? '—'}`}
              />
            )}
          </Stack>
        </Box>
      );
    case 'rated':
      return (
        <Typography variant="body2">
          The actor rated the answer:{' '}
          {Object.entries(row.event.scores)
            .map(([k, v]) => `${k} ${v}/5`)
            .join(', ')}
          ; correct {row.event.correct}.
        </Typography>
      );
    case 'ended':
      return row.event.type === 'episode_completed' ? (
        <Alert role="note" severity="success">
          Completed: weighted score {row.event.weightedScore.toFixed(2)}, {row.event.interactionTurns} turns.
        </Alert>
      ) : (
        <Alert severity="error">
          Failed at {row.event.stage} ({row.event.code}): {row.event.reason}
        </Alert>
      );
  }
}

/** The person's reply and the simulated twin's reply to the same question, side by side and labelled apart. */
function ExchangeRow({ row, userName }: { row: Exchange; userName: string }) {
  const twinOnly = row.reply === null && row.twin !== null;
  return (
    <Box
      sx={{
        display: 'grid',
        gridTemplateColumns: { xs: '1fr', sm: row.twin ? '1fr 1fr' : '1fr' },
        gap: 1,
        alignItems: 'start',
      }}
      aria-label={`Replies, turn ${row.turn}`}
      role="group"
    >
      <Bubble
        voice="person"
        label={`${userName} · reply (turn ${row.turn})`}
        text={row.reply?.content ?? null}
        pending={twinOnly ? 'Waiting for the actor’s reply…' : undefined}
        chips={
          row.disclosure ? (
            <DisclosureChips asked={row.disclosure.asked} revealed={row.disclosure.revealed} />
          ) : undefined
        }
      />
      {row.twin && (
        <Bubble
          voice="twin"
          label={`Simulated twin · same question, never shown to the actor${row.twin.issue ? ` · ${row.twin.issue}` : ''}`}
          text={row.twin.response}
          chips={<DisclosureChips asked={row.twin.asked} revealed={row.twin.revealed} />}
        />
      )}
    </Box>
  );
}
