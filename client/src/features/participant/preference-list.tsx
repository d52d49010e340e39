import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useMemo } from 'react';
import { useTranslation } from '../../i18n/index.ts';
import { preferenceViews, textAt } from './persona-facts.ts';
import { meaningText, valueMeaning } from './preference-meaning.ts';

interface PreferenceListProps {
  preferences: Record<string, Record<string, unknown>>;
  /** The actor's view: hidden preferences, to be revealed only when asked. A rater just reads what was wanted. */
  hidden: boolean;
  title?: string;
}

/** The persona's preferences for this task, most important first, with what each means and why it holds. */
export function PreferenceList({ preferences, hidden, title }: PreferenceListProps) {
  const { t } = useTranslation();
  const items = useMemo(
    () =>
      preferenceViews(preferences).map((p) => {
        const raw = preferences[p.name];
        const meaning = valueMeaning(raw?.value, textAt(raw, 'value_range'));
        return { ...p, meaning: meaning ? meaningText(meaning) : null };
      }),
    [preferences],
  );
  return (
    <Card
      component="section"
      aria-labelledby="preferences-title"
      sx={hidden ? { borderColor: '#c9a227', borderWidth: 2 } : undefined}
    >
      <CardContent>
        <Typography id="preferences-title" variant="h3" component="h2" gutterBottom>
          {title ?? (hidden ? t('preferences.hiddenTitle') : t('preferences.wantedTitle'))}
        </Typography>
        {hidden && (
          <Alert role="note" severity="warning" icon={false} sx={{ mb: 1.5, py: 0 }}>
            <strong>{t('preferences.revealLead')}</strong>
            {` ${t('preferences.revealRest')}`}
          </Alert>
        )}
        {items.length === 0 && <Typography color="text.secondary">{t('preferences.none')}</Typography>}
        <Stack component="ul" spacing={1.25} sx={{ listStyle: 'none', p: 0, m: 0 }}>
          {items.map((p) => (
            <Box
              component="li"
              key={p.name}
              sx={{ borderLeft: 3, borderColor: importanceColor(p.importance), pl: 1.25 }}
            >
              <Box sx={{ display: 'flex', justifyContent: 'space-between', gap: 1, alignItems: 'baseline' }}>
                <Typography variant="body2" sx={{ fontWeight: 600 }}>
                  {p.name}
                </Typography>
                {p.importance !== null && (
                  <Typography
                    variant="caption"
                    color="text.secondary"
                    sx={{ whiteSpace: 'nowrap' }}
                    aria-label={t('preferences.importanceLabel', { value: p.importance })}
                  >
                    {t('preferences.importance', { value: p.importance })}
                  </Typography>
                )}
              </Box>
              <Typography variant="body2">
                <Box component="span" sx={{ color: 'text.secondary' }}>
                  {t('preferences.value')}{' '}
                </Box>
                <strong>{p.value}</strong>
                {p.meaning?.where && <> {p.meaning.where}</>}
              </Typography>
              {p.meaning && (
                <Typography variant="caption" component="p" color="text.secondary">
                  {t('preferences.scale', { label: p.meaning.label, scale: p.meaning.scale })}
                </Typography>
              )}
              {p.description && (
                <Typography variant="caption" component="p" color="text.secondary">
                  {p.description}
                </Typography>
              )}
              {p.why && (
                <Typography variant="caption" component="p" sx={{ mt: 0.25 }}>
                  {t('preferences.why', { why: p.why })}
                </Typography>
              )}
            </Box>
          ))}
        </Stack>
      </CardContent>
    </Card>
  );
}

function importanceColor(importance: number | null): string {
  if (importance === null) return '#c4cdd5';
  return importance >= 4 ? '#b7791f' : importance >= 3 ? '#d69e2e' : '#c4cdd5';
}
