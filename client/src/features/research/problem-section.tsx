import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Collapse from '@mui/material/Collapse';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { alpha } from '@mui/material/styles';
import { useId, useMemo, useState } from 'react';
import { normalizeProblem } from '../../../../shared/benchmark/normalize-problem.ts';
import type { BenchmarkRecord } from '../../../../shared/schemas/benchmark.ts';
import { ExpandIcon } from '../../ui/icons.tsx';
import { bareLatexAsMath } from '../../ui/rich-text/math-delimiters.ts';
import { RichText } from '../../ui/rich-text/rich-text.tsx';

/** The problem exactly as the evaluator sees it (normalised), with the gold answer marked. */
export function ProblemSection({ record }: { record: BenchmarkRecord }) {
  const problem = useMemo(() => normalizeProblem(record), [record]);
  const [showSolution, setShowSolution] = useState(false);
  const solutionId = useId();
  const options = Object.entries(problem.options);
  const gold = String(problem.answer);

  return (
    <Stack spacing={1.5} component="section" aria-label="Problem">
      <Typography variant="h3" component="h3">
        Problem
      </Typography>
      <Typography component="div" sx={{ overflowWrap: 'anywhere' }}>
        {problem.question ? <RichText text={problem.question} /> : '(no question text)'}
      </Typography>
      {problem.image && /^(data:image\/|https?:)/.test(problem.image) && (
        <Box component="img" src={problem.image} alt="Figure that accompanies the problem" sx={{ maxWidth: '100%' }} />
      )}
      {options.length > 0 && (
        <Box component="ol" aria-label="Options" sx={{ listStyle: 'none', p: 0, m: 0, display: 'grid', gap: 0.75 }}>
          {options.map(([key, text]) => {
            const isGold = key === gold;
            return (
              <Box
                component="li"
                key={key}
                sx={{
                  display: 'flex',
                  gap: 1,
                  alignItems: 'baseline',
                  p: 1,
                  border: 1,
                  borderRadius: 1,
                  borderColor: isGold ? 'success.main' : 'divider',
                  // A faint tint keeps body text at full contrast; the border and chip carry the colour.
                  bgcolor: (t) => (isGold ? alpha(t.palette.success.main, 0.08) : 'transparent'),
                }}
              >
                <Typography component="span" sx={{ fontWeight: 700, minWidth: '1.5em' }}>
                  {key}.
                </Typography>
                <Typography component="span" sx={{ flexGrow: 1, minWidth: 0 }}>
                  <RichText text={text} inline />
                </Typography>
                {isGold && <Chip size="small" color="success" label="gold" />}
              </Box>
            );
          })}
        </Box>
      )}
      <Typography>
        <strong>Gold answer:</strong>{' '}
        {gold === '' ? (
          <Chip size="small" color="warning" label="none found — correctness cannot be judged" />
        ) : (
          <RichText text={bareLatexAsMath(gold)} inline />
        )}
      </Typography>
      {problem.solution && (
        <Box>
          <Button
            size="small"
            onClick={() => setShowSolution((v) => !v)}
            aria-expanded={showSolution}
            aria-controls={solutionId}
            endIcon={<ExpandIcon expanded={showSolution} />}
          >
            {showSolution ? 'Hide reference solution' : 'Show reference solution'}
          </Button>
          <Collapse in={showSolution} id={solutionId}>
            <Typography
              variant="body2"
              component="div"
              sx={{ mt: 1, p: 1.5, bgcolor: 'action.hover', borderRadius: 1 }}
            >
              <RichText text={problem.solution} />
            </Typography>
          </Collapse>
        </Box>
      )}
    </Stack>
  );
}
