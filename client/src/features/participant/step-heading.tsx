import Typography from '@mui/material/Typography';
import { useEffect, useRef } from 'react';

/**
 * A step's title, focused when the step appears: the page changes without a reload, so focus (and a screen
 * reader) must be moved to the new content on purpose. It is the page's one h1 (the header's study name is not a
 * heading), so "jump to the main heading" lands on the step.
 */
export function StepHeading({ id, kicker, title }: { id: string; kicker?: string; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <Typography ref={ref} id={id} variant="h2" component="h1" tabIndex={-1} sx={{ outline: 'none' }}>
      {kicker && (
        <Typography
          component="span"
          variant="overline"
          sx={{ display: 'block', lineHeight: 1.6, color: 'text.secondary' }}
        >
          {kicker}
        </Typography>
      )}
      {title}
    </Typography>
  );
}
