import { LoadState } from '../load-state.tsx';
import { queryState } from '../query-state.ts';
import { DEFAULT_SETTINGS } from './settings-draft.ts';
import { SettingsForm } from './settings-form.tsx';
import { useStudySettings } from './use-settings.ts';

/** The study's live settings: who plays and rates what, against which models, with which texts and codes. */
export function SettingsTab({ studyId }: { studyId: string }) {
  const query = useStudySettings(studyId);
  const data = query.data;

  let form = null;
  if (data !== undefined) {
    const { status, ...body } = data ?? { ...DEFAULT_SETTINGS, status: 'unconfigured' as const };
    // Keyed by study, so another study's half-typed draft never carries over.
    form = <SettingsForm key={studyId} studyId={studyId} initial={body} status={status} />;
  }
  return (
    <LoadState
      what="the settings"
      {...queryState(query)}
      empty={false}
      emptyText=""
      onRetry={() => void query.refetch()}
    >
      {form}
    </LoadState>
  );
}
