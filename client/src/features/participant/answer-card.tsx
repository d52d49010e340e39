import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import { RichText } from '../../ui/rich-text/rich-text.tsx';

/**
 * The answer being rated, in full, set apart from everything around it. It is a landmark of its own (a section named
 * by its heading) unless it sits in a panel that is already one by the same name: two nested regions called "The
 * answer" tell a screen reader nothing the first did not.
 */
export function AnswerCard({ text, title, landmark = true }: { text: string; title: string; landmark?: boolean }) {
  const headingId = useId();
  return (
    <Card
      component={landmark ? 'section' : 'div'}
      aria-labelledby={landmark ? headingId : undefined}
      sx={{ borderColor: 'primary.main', borderWidth: 2 }}
    >
      <CardContent>
        <Typography id={headingId} variant="h3" component="h2" gutterBottom>
          {title}
        </Typography>
        <Typography component="div" sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          <RichText text={text} />
        </Typography>
      </CardContent>
    </Card>
  );
}
