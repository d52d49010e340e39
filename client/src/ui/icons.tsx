import SvgIcon, { type SvgIconProps } from '@mui/material/SvgIcon';

/**
 * The few icons the app needs, drawn inline because @mui/icons-material is not a dependency.
 * They are decorative: the buttons that hold them carry the aria-label.
 */

export function CloseIcon(props: SvgIconProps) {
  return (
    <SvgIcon {...props} aria-hidden>
      <path d="M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z" />
    </SvgIcon>
  );
}

export function ExpandIcon({ expanded, sx, ...props }: SvgIconProps & { expanded: boolean }) {
  return (
    <SvgIcon
      {...props}
      aria-hidden
      sx={[
        { transition: 'transform 150ms', transform: expanded ? 'rotate(180deg)' : 'none' },
        ...(Array.isArray(sx) ? sx : [sx]),
      ]}
    >
      <path d="M16.59 8.59 12 13.17 7.41 8.59 6 10l6 6 6-6z" />
    </SvgIcon>
  );
}

export function RefreshIcon(props: SvgIconProps) {
  return (
    <SvgIcon {...props} aria-hidden>
      <path d="M17.65 6.35A7.96 7.96 0 0 0 12 4a8 8 0 1 0 7.75 10h-2.08A6 6 0 1 1 12 6c1.66 0 3.14.69 4.22 1.78L13 11h7V4z" />
    </SvgIcon>
  );
}
