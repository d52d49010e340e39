import { lazy, Suspense } from 'react';
import { ParticipantApp } from '../features/participant/participant-app.tsx';
import { PageLoading } from './page-loading.tsx';
import { matchRoute, usePathname } from './router.ts';

// The researcher console is a chunk of its own: participants (often on phones, via Prolific) never download it.
const ResearcherConsole = lazy(() =>
  import('../features/research/researcher-console.tsx').then((m) => ({ default: m.ResearcherConsole })),
);

/** Picks the side of the app by path: /join/:code, /play, /rate, /done are participants'; the rest is research. */
export function App() {
  const route = matchRoute(usePathname());
  if (route.name === 'researcher') {
    return (
      <Suspense fallback={<PageLoading label="Loading the researcher console…" />}>
        <ResearcherConsole />
      </Suspense>
    );
  }
  return <ParticipantApp route={route} />;
}
