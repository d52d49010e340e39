import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useAppStore } from '../../store/index.ts';
import { Narrow } from './participant-gate.tsx';
import { StepHeading } from './step-heading.tsx';

/**
 * The persona actor gets the same rules as the simulated user they stand in for (server/engine/prompts/
 * user-passive-nostop.v1.txt), in plain words: otherwise human and simulated conversations are not comparable.
 */
const ACTOR_RULES: [string, string][] = [
  [
    'Stay in character.',
    'You play the person described on your persona card, for the whole chat. Answer as they would, not as yourself.',
  ],
  [
    'Let the model lead.',
    'The model asks questions to find out what this person needs. Do not take the initiative or ask it questions back.',
  ],
  [
    'Reveal a preference only when asked.',
    'The card lists hidden preferences. Mention one only when a question is about it, and then as briefly as you can.',
  ],
  [
    'Answer minimally.',
    'Give short, plain facts from the card. Add no extra context or opinions. If the card says nothing about a question, say so briefly (for example “No strong feelings about that.”).',
  ],
  [
    'Rate the final answer.',
    'When the model gives its final answer, you rate how well it fits the person you played, on their own criteria, and whether it is correct.',
  ],
];

const RATER_RULES: [string, string][] = [
  [
    'Read who asked.',
    'Each item shows a person, the task they asked about and what they wanted from the answer (their preferences).',
  ],
  [
    'Score each criterion.',
    'Rate how well the answer fits each criterion from 1 to 5, using the level descriptions. Keys 1–5 or the arrow keys set a score; Tab moves to the next criterion.',
  ],
  ['Judge correctness separately.', 'Say whether the answer is correct, whatever its style.'],
  [
    'Work independently.',
    'You are not told who or what wrote the answer. Judge the text itself; there are no trick questions about its source.',
  ],
];

export function InstructionsStep({ role }: { role: 'actor' | 'rater' }) {
  const finishInstructions = useAppStore((s) => s.finishInstructions);
  const rules = role === 'actor' ? ACTOR_RULES : RATER_RULES;
  return (
    <Narrow>
      <Card component="section" aria-labelledby="instructions-title">
        <CardContent>
          <Stack spacing={2}>
            <StepHeading
              id="instructions-title"
              kicker={role === 'actor' ? 'How this works' : 'How rating works'}
              title={
                role === 'actor'
                  ? 'You will play a person chatting with an AI model'
                  : 'You will rate answers of AI models'
              }
            />
            <Box component="ol" sx={{ pl: 3, m: 0, '& li': { mb: 1.25 } }}>
              {rules.map(([lead, rest]) => (
                <li key={lead}>
                  <Typography>
                    <strong>{lead}</strong> {rest}
                  </Typography>
                </li>
              ))}
            </Box>
            {role === 'actor' && (
              <Alert severity="info">
                The study’s own instructions, if it has any, are shown next to the chat. Next comes a short practice
                round with a pretend model, so you can try the screen before the real task.
              </Alert>
            )}
            <Box>
              <Button variant="contained" size="large" onClick={finishInstructions}>
                {role === 'actor' ? 'Try a practice round' : 'Start rating'}
              </Button>
            </Box>
          </Stack>
        </CardContent>
      </Card>
    </Narrow>
  );
}
