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
    // MUI's default warning (#ed6c02) and info (#0288d1) give 3.1:1 and 3.9:1 against white: too faint for text (the
    // outlined Pause button, warning chips such as "actor tagged"). These darker shades keep the hue and pass WCAG AA
    // (4.5:1) as text on white and on the page background, and as the background of white chip text.
    warning: { main: '#b45309' },
    info: { main: '#0369a1' },
    // MUI's #d32f2f falls just under 4.5:1 on a hovered outlined button's tint (the study's Close… button).
    error: { main: '#c62828' },
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
    // A locked form (an open study's settings) must stay readable: its chips and help texts are information, not
    // controls to dim to 38% (MUI's default gives 2.1:1 and 2.7:1). The fields themselves still look disabled.
    MuiChip: {
      styleOverrides: {
        root: ({ theme }) => ({
          '&.Mui-disabled': { opacity: 1 },
          '&.Mui-disabled.MuiChip-colorDefault': { color: theme.palette.text.secondary },
        }),
      },
    },
    MuiFormHelperText: {
      styleOverrides: {
        root: ({ theme }) => ({ '&.Mui-disabled': { color: theme.palette.text.secondary } }),
      },
    },
    // Likewise a group's legend (the run form's "Simulated user types" while discovery is off): it names the group.
    MuiFormLabel: {
      styleOverrides: {
        root: ({ theme }) => ({ 'legend&.Mui-disabled': { color: theme.palette.text.secondary } }),
      },
    },
    // An unselected toggle's text is MUI's action.active (54% black): 4.6:1 on white but under 4.5:1 on the tinted
    // chat and card backgrounds it sits on (question tags, the agreement report's row switch). 60% passes on both.
    MuiToggleButton: {
      styleOverrides: {
        root: ({ theme }) => ({ color: theme.palette.text.secondary }),
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
