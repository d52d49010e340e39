import Box from '@mui/material/Box';
import type { ReactNode } from 'react';

/**
 * The body of a rating page (the rater's and the actor's self-rating): what is rated beside the scoring form on a wide
 * screen, the form kept in view while the context scrolls. On a phone, `context` is the panels' bar at the top and the
 * form follows below, one criterion at a time (block, not grid, so the panels' bar stays stuck to the top while the
 * form scrolls).
 */
export function RatingLayout({ phone, context, form }: { phone: boolean; context: ReactNode; form: ReactNode }) {
  return (
    <Box sx={phone ? {} : { display: 'grid', gap: 2, gridTemplateColumns: '1fr 1fr', alignItems: 'start' }}>
      {context}
      <Box
        sx={{
          mt: phone ? 2 : 0,
          position: { md: 'sticky' },
          top: { md: 72 },
          maxHeight: { md: 'calc(100vh - 96px)' },
          overflowY: { md: 'auto' },
          pr: { md: 1 },
        }}
      >
        {form}
      </Box>
    </Box>
  );
}
