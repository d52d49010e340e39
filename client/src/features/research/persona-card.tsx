import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useMemo } from 'react';
import type { Persona } from '../../../../shared/schemas/persona.ts';
import { personaView, type BigFiveEntry } from './persona-view.ts';
import { ExpertiseChips, FactList } from '../../ui/persona-facts.tsx';

/** Who the simulated user is: the profile the personalised answer should be fitted to. */
export function PersonaCard({ persona }: { persona: Persona }) {
  const view = useMemo(() => personaView(persona), [persona]);
  const facts: [string, string | null][] = [
    ['Age', view.age === null ? null : String(view.age)],
    ['Occupation', view.occupation],
    ['Location', view.location],
    ['Knowledge level', view.knowledgeLevel],
    ['Learning style', view.learningStyle],
    ['Confidence', view.confidence],
  ];
  const present = facts.filter((f): f is [string, string] => f[1] !== null);

  return (
    <Card component="section" aria-label={`Persona ${view.name}`}>
      <CardContent>
        <Stack spacing={1.5}>
          <Box>
            <Typography variant="h3" component="h3">
              {view.name}
            </Typography>
            <Typography variant="caption" color="text.secondary" sx={{ fontFamily: 'monospace' }}>
              {persona.id}
            </Typography>
          </Box>
          {view.summary && <Typography variant="body2">{view.summary}</Typography>}
          <FactList facts={present} />
          <ExpertiseChips domains={view.expertise} label="Domain expertise" />
          {view.bigFive.length > 0 && <BigFive entries={view.bigFive} />}
        </Stack>
      </CardContent>
    </Card>
  );
}

function BigFive({ entries }: { entries: BigFiveEntry[] }) {
  return (
    <Box>
      <Typography variant="h4" component="h4" gutterBottom>
        Big Five
      </Typography>
      <Stack spacing={0.75}>
        {entries.map((e) => (
          <Tooltip key={e.trait} describeChild title={e.description} placement="left">
            {/* Focusable so keyboard users can reach the trait description in the tooltip. */}
            <Box
              tabIndex={0}
              sx={{ display: 'grid', gridTemplateColumns: '9.5em 1fr 2.5em', alignItems: 'center', gap: 1 }}
            >
              <Typography variant="body2" sx={{ textTransform: 'capitalize' }}>
                {e.trait}
              </Typography>
              <LinearProgress
                variant="determinate"
                // Scores run 1–5, so 1 is an empty bar and 5 a full one.
                value={Math.max(0, Math.min(100, ((e.score - 1) / 4) * 100))}
                aria-label={`${e.trait}: ${e.score} of 5`}
                sx={{ height: 8, borderRadius: 4 }}
              />
              <Typography variant="body2" color="text.secondary" aria-hidden>
                {e.score}/5
              </Typography>
            </Box>
          </Tooltip>
        ))}
      </Stack>
    </Box>
  );
}
