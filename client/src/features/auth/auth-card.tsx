import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useId, type ReactNode } from 'react';

interface AuthCardProps {
  title: string;
  children: ReactNode;
}

/** The centred card the sign-in and first-run screens share. */
export function AuthCard({ title, children }: AuthCardProps) {
  const titleId = useId();
  return (
    <Box sx={{ display: 'flex', justifyContent: 'center', alignItems: 'center', minHeight: '70vh' }}>
      <Card component="section" aria-labelledby={titleId} sx={{ width: '100%', maxWidth: 440 }}>
        <CardContent sx={{ p: { xs: 2.5, sm: 4 }, '&:last-child': { pb: { xs: 2.5, sm: 4 } } }}>
          <Stack spacing={2.5}>
            {/* The page's one h1: signed out, the card is all there is (the app bar's name is not a heading). */}
            <Typography id={titleId} variant="h2" component="h1">
              {title}
            </Typography>
            {children}
          </Stack>
        </CardContent>
      </Card>
    </Box>
  );
}
