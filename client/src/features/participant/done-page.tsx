import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { navigate } from '../../app/router.ts';
import { useAppStore } from '../../store/index.ts';
import { Narrow } from './participant-gate.tsx';
import { StepHeading } from './step-heading.tsx';

/** The end: the completion code to enter on Prolific, when the study has one; actors may ask for another task. */
export function DonePage() {
  const finish = useAppStore((s) => s.finish);
  const role = useAppStore((s) => s.participant?.role);
  const nextTask = useAppStore((s) => s.nextTask);
  const code = finish?.completionCode ?? null;

  return (
    <Narrow>
      <Card component="section" aria-labelledby="done-title">
        <CardContent>
          <Stack spacing={2}>
            <StepHeading id="done-title" title={code ? 'All done — thank you!' : 'Thank you!'} />
            <Typography>{finish?.message ?? 'You have finished this part of the study.'}</Typography>
            {code ? (
              <CompletionCode code={code} />
            ) : (
              <Typography color="text.secondary">
                This study gave no completion code. You may close this page.
              </Typography>
            )}
            <Box>
              {role === 'actor' && (
                <Button variant={code ? 'text' : 'outlined'} onClick={nextTask}>
                  Check for another task
                </Button>
              )}
              {role === 'rater' && (
                <Button variant={code ? 'text' : 'outlined'} onClick={() => navigate('/rate')}>
                  Check for more answers to rate
                </Button>
              )}
            </Box>
          </Stack>
        </CardContent>
      </Card>
    </Narrow>
  );
}

function CompletionCode({ code }: { code: string }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = (): void => {
    // The clipboard needs https or localhost; elsewhere the code is still selectable by hand.
    if (!navigator.clipboard) return setCopied('failed');
    navigator.clipboard.writeText(code).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  };
  return (
    <Alert severity="success" icon={false}>
      <Typography>Your completion code — enter it on Prolific to be paid:</Typography>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mt: 1, flexWrap: 'wrap' }}>
        <Typography
          component="output"
          aria-label="Completion code"
          sx={{ fontFamily: 'monospace', fontSize: '1.6rem', fontWeight: 700, letterSpacing: 2, userSelect: 'all' }}
        >
          {code}
        </Typography>
        <Button variant="outlined" size="small" onClick={copy}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </Button>
      </Box>
      {copied === 'failed' && (
        <Typography variant="caption">Copying is not available here; select the code and copy it by hand.</Typography>
      )}
    </Alert>
  );
}
