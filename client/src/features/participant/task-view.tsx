import { useTranslation } from '../../i18n/index.ts';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Typography from '@mui/material/Typography';
import { RichText } from '../../ui/rich-text/rich-text.tsx';

/** The task of a rating item: the question and, for multiple choice, its options. */
export function TaskView({ task }: { task: { question: string; options: Record<string, string> } }) {
  const { t } = useTranslation();
  const options = Object.entries(task.options);
  return (
    <Card component="section" aria-labelledby="task-title">
      <CardContent>
        <Typography id="task-title" variant="h3" component="h2" gutterBottom>
          {t('task.title')}
        </Typography>

        <Typography component="div" sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          <RichText text={task.question} />
        </Typography>
        {options.length > 0 && (
          <Box component="ul" sx={{ pl: 2.5, mb: 0 }}>
            {options.map(([label, text]) => (
              <li key={label}>
                <Typography variant="body2">
                  <strong>{label}.</strong> <RichText text={text} inline />
                </Typography>
              </li>
            ))}
          </Box>
        )}
      </CardContent>
    </Card>
  );
}
