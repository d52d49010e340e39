import type { ConsentVersions } from '../../../shared/schemas/consent.ts';
import type { Storage } from '../../storage/storage.ts';
import { consentVersionName } from '../research/participant-rows.ts';
import { requireStudy } from '../studies/study-settings.ts';
import { shownConsent } from './consent-text.ts';

/** Every consent text the study has shown, oldest first, each marked whether its role is shown it now. */
export async function consentVersions(storage: Storage, studyId: string): Promise<ConsentVersions> {
  await requireStudy(storage, studyId);
  const [settings, versions] = await Promise.all([
    storage.work.getSettings(studyId),
    storage.consent.listVersions(studyId),
  ]);
  return {
    versions: versions.map((v) => {
      const now = shownConsent(settings, v.role);
      return {
        version: consentVersionName(v.sha256),
        sha256: v.sha256,
        role: v.role,
        language: v.language,
        firstSeenAt: v.firstSeenAt,
        current: now.sha256 === v.sha256 && now.language === v.language,
        text: v.text,
      };
    }),
  };
}
