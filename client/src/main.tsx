import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { startJoinEarly } from './app/early-join.ts';
import { theme } from './app/theme.ts';
import { useAppStore } from './store/index.ts';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

const joining = startJoinEarly(useAppStore.getState().joinWithInvite);

const render = (): void => {
  createRoot(container).render(
    <StrictMode>
      <ThemeProvider theme={theme}>
        <CssBaseline />
        <App />
      </ThemeProvider>
    </StrictMode>,
  );
};

// The server put the consent step in the page (server/http/join-shell.ts): it stays until the join knows the first
// step, instead of giving way to the join page's loading state and coming back. The join never rejects.
if (joining && container.querySelector('[data-prerendered="consent"]')) void joining.finally(render);
else render();
