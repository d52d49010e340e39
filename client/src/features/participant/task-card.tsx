import { useTranslation } from '../../i18n/index.ts';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { RichText } from '../../ui/rich-text/rich-text.tsx';

/** The opening message: the task the persona brought to the model. It starts the chat, in the persona's name. */
export function TaskCard({ text, speaker }: { text: string; speaker: string }) {
  const { t } = useTranslation();
  return (
    <Box
      component="article"
      aria-label={t('task.label')}
      sx={{ alignSelf: 'stretch', p: 2, borderRadius: 2, bgcolor: '#fff8e6', border: 1, borderColor: '#f0d9a0' }}
    >
      <Typography variant="overline" component="p" sx={{ lineHeight: 1.5, color: '#7a5a00' }}>
        {t('task.asked', { name: speaker })}
      </Typography>
      <Typography component="div" sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
        <RichText text={text} />
      </Typography>
    </Box>
  );
}
