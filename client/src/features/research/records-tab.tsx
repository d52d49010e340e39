import { RecordDetail } from './record-detail.tsx';
import { RecordTable } from './record-table.tsx';

/** The study's imported records; opening one shows its problem, persona, hidden preferences and rubric. */
export function RecordsTab() {
  return (
    <>
      <RecordTable />
      <RecordDetail />
    </>
  );
}
