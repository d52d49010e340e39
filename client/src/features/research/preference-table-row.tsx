import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Collapse from '@mui/material/Collapse';
import IconButton from '@mui/material/IconButton';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useId, useState } from 'react';
import { ExpandIcon } from '../../ui/icons.tsx';
import { RichText } from '../../ui/rich-text/rich-text.tsx';
import { sortedLevels, type PreferenceRow } from './preference-rows.ts';

const COLUMNS = 6;

/** A preference row that expands into its justification and the rubric's level descriptions. */
export function PreferenceTableRow({ row }: { row: PreferenceRow }) {
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const { preference, criterion } = row;
  const label = preference?.name ?? row.key;

  return (
    <>
      <TableRow sx={{ '& > td, & > th': { borderBottom: open ? 'none' : undefined } }}>
        <TableCell padding="checkbox">
          <IconButton
            size="small"
            onClick={() => setOpen((v) => !v)}
            aria-expanded={open}
            aria-controls={detailsId}
            aria-label={`${open ? 'Hide' : 'Show'} rubric levels for ${label}`}
          >
            <ExpandIcon expanded={open} fontSize="small" />
          </IconButton>
        </TableCell>
        <TableCell component="th" scope="row">
          {row.key}
          {!criterion && <Chip size="small" color="error" label="no criterion" sx={{ ml: 1 }} />}
          {!preference && <Chip size="small" color="error" label="not a preference" sx={{ ml: 1 }} />}
        </TableCell>
        <TableCell>
          <TypeChip type={preference?.type} />
        </TableCell>
        <TableCell>{preference ? String(preference.value) : '—'}</TableCell>
        <TableCell align="right">{preference ? `${preference.local_importance} / 5` : '—'}</TableCell>
        <TableCell align="right">
          {row.weightImplied ? (
            <Tooltip describeChild title="The rubric gives no weight, so the judge uses 1/N">
              <Box component="span" tabIndex={0} sx={{ fontStyle: 'italic' }}>
                {row.weight.toFixed(3)}*
              </Box>
            </Tooltip>
          ) : criterion ? (
            row.weight.toFixed(3)
          ) : (
            '—'
          )}
        </TableCell>
      </TableRow>
      <TableRow>
        <TableCell colSpan={COLUMNS} sx={{ py: 0 }}>
          <Collapse in={open} id={detailsId} unmountOnExit>
            <Box sx={{ py: 1.5, pl: 6, display: 'grid', gap: 1 }}>
              {preference?.description && <Detail label="Description" text={preference.description} />}
              {preference?.value_range && <Detail label="Value range" text={preference.value_range} />}
              {preference && <Detail label="Justification" text={preference.justification} />}
              {criterion && <Detail label="Criterion" text={criterion.description} />}
              {criterion && <Levels levels={sortedLevels(criterion)} />}
            </Box>
          </Collapse>
        </TableCell>
      </TableRow>
    </>
  );
}

/** Chip colour per preference type; anything other than the two known types is the reference's "other" path. */
function TypeChip({ type }: { type: string | undefined }) {
  if (type === undefined) return <>—</>;
  const color = type === 'expertise' ? 'primary' : type === 'personal' ? 'secondary' : 'default';
  return <Chip size="small" color={color} variant={color === 'default' ? 'outlined' : 'filled'} label={type} />;
}

function Detail({ label, text }: { label: string; text: string }) {
  return (
    <Typography variant="body2">
      <Box component="strong" sx={{ mr: 0.5 }}>
        {label}:
      </Box>
      <RichText text={text} inline />
    </Typography>
  );
}

function Levels({ levels }: { levels: { score: number; description: string }[] }) {
  if (levels.length === 0) return <Typography variant="body2">The criterion lists no levels.</Typography>;
  return (
    <Box
      component="dl"
      sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 1.5, rowGap: 0.75, m: 0 }}
    >
      {levels.map((level) => (
        <Box key={level.score} sx={{ display: 'contents' }}>
          <Typography component="dt" variant="body2" sx={{ fontWeight: 600 }}>
            Score {level.score}
          </Typography>
          <Typography component="dd" variant="body2" sx={{ m: 0 }}>
            <RichText text={level.description} inline />
          </Typography>
        </Box>
      ))}
    </Box>
  );
}
