import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import type { ImportResult } from '../../../http/study-admin-api.ts';
import { count, plural } from '../format.ts';
import { IssueTable } from './issue-table.tsx';

interface ImportOutcomeProps {
  result: ImportResult;
  studyName: string;
  onOpenStudy: (studyId: string) => void;
}

/** What the server did with the file: imported (with any warnings), or refused with every issue by line. */
export function ImportOutcome({ result, studyName, onOpenStudy }: ImportOutcomeProps) {
  if (result.kind === 'invalid') {
    return (
      <Stack spacing={1.5}>
        <Alert severity="error">
          <AlertTitle>Not imported: nothing was stored</AlertTitle>
          {plural(result.errorCount, 'error')} and {plural(result.warningCount, 'warning')} in{' '}
          {plural(result.lineCount, 'line')}. Fix the lines below and choose the file again.
          {result.issues.length < result.errorCount + result.warningCount &&
            ` The first ${result.issues.length} are listed.`}
        </Alert>
        <IssueTable issues={result.issues} label="Problems in the file, by line" />
      </Stack>
    );
  }
  const { outcome } = result;
  const open = (
    <Button color="inherit" size="small" onClick={() => onOpenStudy(outcome.studyId)}>
      Open the study
    </Button>
  );
  return (
    <Stack spacing={1.5}>
      {outcome.alreadyImported ? (
        <Alert role="status" severity="info" action={open}>
          <AlertTitle>Already imported</AlertTitle>
          This exact file is already in “{studyName}”; nothing changed.
        </Alert>
      ) : (
        <Alert role="status" severity="success" action={open}>
          <AlertTitle>
            Imported {plural(result.recordCount, 'record')} into “{studyName}”
            {outcome.studyCreated ? ' (new study)' : ''}
          </AlertTitle>
          {plural(outcome.recordsAdded, 'record')} added, {count(outcome.recordsUnchanged)} unchanged,{' '}
          {plural(outcome.personasAdded, 'persona')} and{' '}
          {plural(outcome.criteriaAdded, 'rubric criterion', 'rubric criteria')} new.
        </Alert>
      )}
      {result.warnings.length > 0 && (
        <>
          <Alert role="status" severity="warning">
            {plural(result.warningCount, 'warning')}: imported anyway, but worth a look.
          </Alert>
          <IssueTable issues={result.warnings} label="Warnings, by line" />
        </>
      )}
    </Stack>
  );
}
