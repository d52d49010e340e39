import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Typography from '@mui/material/Typography';
import { RichText } from '../../ui/rich-text/rich-text.tsx';

/** The answer being rated, in full, set apart from everything around it. */
export function AnswerCard({ text, title }: { text: string; title: string }) {
  return (
    <Card component="section" aria-labelledby="answer-title" sx={{ borderColor: 'primary.main', borderWidth: 2 }}>
      <CardContent>
        <Typography id="answer-title" variant="h3" component="h2" gutterBottom>
          {title}
        </Typography>
        <Typography component="div" sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          <RichText text={text} />
        </Typography>
      </CardContent>
    </Card>
  );
}
