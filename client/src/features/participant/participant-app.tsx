import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Container from '@mui/material/Container';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import { lazy, Suspense, useEffect, useState } from 'react';
import { PageLoading } from '../../app/page-loading.tsx';
import type { Route } from '../../app/router.ts';
import { useTranslation } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';
import { preloadRichText } from '../../ui/rich-text/rich-text.tsx';
import { ConnectionBanner } from './connection-banner.tsx';
import { JoinPage } from './join-page.tsx';
import { ParticipantGate } from './participant-gate.tsx';
import { WithdrawControl, WithdrawnPage } from './withdraw-control.tsx';
import { showsWithdraw } from './withdraw-visibility.ts';

type ParticipantRoute = Exclude<Route, { name: 'researcher' }>;

// The pages after the invitation link are chunks of their own (docs/ARCHITECTURE.md, "The participant bundle"): the
// join page's first load, often on a phone, carries only the join steps.
const PlayPage = lazy(() => import('./play-page.tsx').then((m) => ({ default: m.PlayPage })));
const RatePage = lazy(() => import('./rate-page.tsx').then((m) => ({ default: m.RatePage })));
const DonePage = lazy(() => import('./done-page.tsx').then((m) => ({ default: m.DonePage })));

/** The participants' side: a plain frame (no researcher menus) around the page of the current step. */
export function ParticipantApp({ route }: { route: ParticipantRoute }) {
  const { t } = useTranslation();
  // Set once the participant has withdrawn: their session is gone, so every page after it is the withdrawn page.
  const [withdrawn, setWithdrawn] = useState(false);
  const joined = useAppStore((s) => s.participant != null);
  const joinStep = useAppStore((s) => s.joinStep);
  const journey = useAppStore((s) => s.journey);
  const canWithdraw = showsWithdraw({ route: route.name, joined, joinStep, journey, withdrawn });
  return (
    <Box sx={{ minHeight: '100vh', display: 'flex', flexDirection: 'column' }}>
      <AppBar position="sticky">
        <Toolbar variant="dense">
          <Typography variant="h1" component="p">
            {t('header.title')}{' '}
            <Box component="span" sx={{ fontWeight: 400, opacity: 0.85 }}>
              {t('header.subtitle')}
            </Box>
          </Typography>
          {canWithdraw && <WithdrawControl onWithdrawn={() => setWithdrawn(true)} />}
        </Toolbar>
      </AppBar>
      {!withdrawn && <ConnectionBanner />}
      <Container component="main" maxWidth="xl" sx={{ py: { xs: 2, md: 3 }, flexGrow: 1 }}>
        <Suspense fallback={<PageLoading label={t('app.loading')} />}>
          {withdrawn ? <WithdrawnPage /> : <ParticipantPage route={route} />}
        </Suspense>
      </Container>
    </Box>
  );
}

function ParticipantPage({ route }: { route: ParticipantRoute }) {
  // The chat and the rating pages show model and benchmark text: fetch its renderer now, while the page loads its
  // session, rather than when the first message arrives. The join page never needs it, so its first load stays small.
  useEffect(() => {
    if (route.name === 'play' || route.name === 'rate') preloadRichText();
  }, [route.name]);
  switch (route.name) {
    case 'join':
      return <JoinPage code={route.code} />;
    case 'play':
      return <ParticipantGate role="actor">{() => <PlayPage />}</ParticipantGate>;
    case 'rate':
      return <ParticipantGate>{(p) => <RatePage role={p.role} />}</ParticipantGate>;
    case 'done':
      return <ParticipantGate>{() => <DonePage />}</ParticipantGate>;
  }
}
