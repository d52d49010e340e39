import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';

/** A persona's facts as a definition list (label, value), laid out as two aligned columns. */
export function FactList({ facts, id, columnGap = 2 }: { facts: [string, string][]; id?: string; columnGap?: number }) {
  if (facts.length === 0) return null;
  return (
    <Box
      id={id}
      component="dl"
      sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap, rowGap: 0.5, m: 0 }}
    >
      {facts.map(([label, value]) => (
        <Box key={label} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" color="text.secondary">
            {label}
          </Typography>
          <Typography component="dd" variant="body2" sx={{ m: 0 }}>
            {value}
          </Typography>
        </Box>
      ))}
    </Box>
  );
}

/** The domains a persona can draw analogies from, as chips. */
export function ExpertiseChips({ domains, label }: { domains: string[]; label: string }) {
  if (domains.length === 0) return null;
  return (
    <Stack direction="row" spacing={0.5} useFlexGap sx={{ flexWrap: 'wrap' }} aria-label={label}>
      {domains.map((e) => (
        <Chip key={e} size="small" variant="outlined" label={e} />
      ))}
    </Stack>
  );
}
