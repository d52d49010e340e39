import { createTheme } from '@mui/material/styles';

/**
 * The one MUI theme. Research screens are dense tables, so spacing and type are a notch tighter than MUI's default.
 * Participants work by keyboard a lot (rating with 1–5, replying with Enter), so focus is always clearly visible, and
 * people who ask their system for less motion get none (streaming dots, transitions).
 */
export const theme = createTheme({
  palette: {
    mode: 'light',
    primary: { main: '#1f5f8b' },
    secondary: { main: '#8a4f7d' },
    background: { default: '#f5f7fa' },
  },
  shape: { borderRadius: 8 },
  typography: {
    fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    h1: { fontSize: '1.25rem', fontWeight: 600 },
    h2: { fontSize: '1.4rem', fontWeight: 600 },
    h3: { fontSize: '1.1rem', fontWeight: 600 },
    h4: { fontSize: '1rem', fontWeight: 600 },
  },
  components: {
    MuiCssBaseline: {
      styleOverrides: {
        ':focus-visible': { outline: '3px solid #f0a500', outlineOffset: 2 },
        // MUI's radios and checkboxes hide the real input; their visible button carries the keyboard focus instead.
        // (Two classes: ButtonBase's own `outline: 0` must not win.)
        '.MuiButtonBase-root.Mui-focusVisible': { outline: '3px solid #f0a500', outlineOffset: 2 },
        '@media (prefers-reduced-motion: reduce)': {
          '*, *::before, *::after': {
            animationDuration: '0.01ms !important',
            animationIterationCount: '1 !important',
            transitionDuration: '0.01ms !important',
            scrollBehavior: 'auto !important',
          },
        },
      },
    },
    MuiTableCell: {
      styleOverrides: {
        head: { fontWeight: 600, whiteSpace: 'nowrap' },
      },
    },
    MuiCard: { defaultProps: { variant: 'outlined' } },
    MuiPaper: { defaultProps: { elevation: 0 } },
    MuiAppBar: { defaultProps: { elevation: 1 } },
  },
});
