import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { useTranslation } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';
import { finalAnswerOf, questionCount } from '../../store/play-log.ts';

/** How far the conversation is: the model may ask at most maxTurns questions before it must answer. */
export function TurnCounter() {
  const { t } = useTranslation();
  const asked = useAppStore((s) => questionCount(s.playLog.events));
  const answered = useAppStore((s) => finalAnswerOf(s.playLog.events) !== null);
  const maxTurns = useAppStore((s) => s.episode?.maxTurns ?? 0);
  const label = answered
    ? t('turns.finalGiven')
    : asked === 0
      ? t('turns.none', { max: maxTurns })
      : t('turns.question', { current: asked, max: maxTurns });

  return (
    <Box sx={{ minWidth: 180 }}>
      <Typography variant="body2" sx={{ fontWeight: 600 }}>
        {label}
      </Typography>
      <LinearProgress
        variant="determinate"
        value={answered ? 100 : maxTurns > 0 ? Math.min(100, (asked / maxTurns) * 100) : 0}
        aria-label={label}
        sx={{ height: 6, borderRadius: 3, mt: 0.5 }}
      />
    </Box>
  );
}
