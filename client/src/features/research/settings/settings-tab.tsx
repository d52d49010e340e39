import { useAppStore } from '../../../store/index.ts';
import { dataFor } from '../../../store/loadable.ts';
import { LoadState } from '../load-state.tsx';
import { DEFAULT_SETTINGS } from './settings-draft.ts';
import { SettingsForm } from './settings-form.tsx';

/** The study's live settings: who plays and rates what, against which models, with which texts and codes. */
export function SettingsTab() {
  const studyId = useAppStore((s) => s.selectedStudyId);
  const loadable = useAppStore((s) => s.studySettings);
  const load = useAppStore((s) => s.loadStudySettings);
  const data = dataFor(loadable, studyId);

  let form = null;
  if (data) {
    const { status, ...body } = data.settings ?? { ...DEFAULT_SETTINGS, status: 'unconfigured' as const };
    // Keyed by study, so another study's half-typed draft never carries over.
    form = <SettingsForm key={studyId} initial={body} status={status} />;
  }
  return (
    <LoadState
      what="the settings"
      loading={loadable.loading}
      error={loadable.error}
      loaded={data !== null}
      empty={false}
      emptyText=""
      onRetry={() => void load()}
    >
      {form}
    </LoadState>
  );
}
