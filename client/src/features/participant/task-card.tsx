import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { readableMath } from './readable-math.ts';

/** The opening message: the task the persona brought to the model. It starts the chat, in the persona's name. */
export function TaskCard({ text, speaker }: { text: string; speaker: string }) {
  return (
    <Box
      component="article"
      aria-label="The task"
      sx={{ alignSelf: 'stretch', p: 2, borderRadius: 2, bgcolor: '#fff8e6', border: 1, borderColor: '#f0d9a0' }}
    >
      <Typography variant="overline" component="p" sx={{ lineHeight: 1.5, color: '#7a5a00' }}>
        The task · {speaker} asked the model
      </Typography>
      <Typography component="div" sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        {readableMath(text)}
      </Typography>
    </Box>
  );
}
