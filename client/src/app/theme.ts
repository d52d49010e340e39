import { createTheme } from '@mui/material/styles';

/** The one MUI theme. Research screens are dense tables, so spacing and type are a notch tighter than MUI's default. */
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
