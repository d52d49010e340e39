import { useTheme } from '@mui/material/styles';
import useMediaQuery from '@mui/material/useMediaQuery';

/**
 * Below MUI's `md` breakpoint (900 px) the participant pages switch to their phone layout: persona in a bottom drawer,
 * one rubric criterion at a time. `noSsr` answers on the first render, so a phone never mounts the desktop layout first.
 */
export function usePhoneLayout(): boolean {
  const theme = useTheme();
  return useMediaQuery(theme.breakpoints.down('md'), { noSsr: true });
}
