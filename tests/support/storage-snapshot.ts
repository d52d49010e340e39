import type { Storage } from '../../server/storage/storage.ts';

/**
 * What a study looks like read through the Storage interface, as one plain value: two storages holding the same data
 * (an SQLite file and the PostgreSQL database `prefdisco migrate-storage` copied it into) give equal snapshots.
 * Studies, records, personas, every episode with its events, runs, participants with their consent and outcomes,
 * invitation links, settings, ratings, flags, the work progress, jobs, members and the audit log.
 */
export async function storageSnapshot(storage: Storage, studyId: string, now: Date) {
  const records = await storage.listRecords(studyId, { offset: 0, limit: 10_000 });
  const fullRecords = await Promise.all(records.items.map((r) => storage.getRecord(studyId, r.problemId)));
  const personaIds = [...new Set(records.items.map((r) => r.personaId))].sort();
  const episodeList = await storage.listEpisodes({ limit: 100_000 });
  const episodes = [];
  for (const summary of episodeList) {
    const episode = await storage.getEpisode(summary.id);
    episodes.push({ summary, events: episode?.events ?? [] });
  }
  const runs = await storage.research.listRuns(studyId);
  const participants = await storage.research.studyParticipants(studyId, { after: null, limit: 10_000 });
  const participantIds = participants.map((p) => p.id);
  const outcomes = [];
  for (const id of participantIds) outcomes.push(await storage.work.getOutcome(id));
  const admin = await storage.people.findResearcherByUsername('admin');
  return {
    studies: await storage.listStudies(),
    study: await storage.getStudy(studyId),
    records,
    fullRecords,
    studyRecords: await storage.research.listStudyRecords(studyId),
    library: await storage.listLibraryPersonas(),
    personas: await Promise.all(personaIds.map((id) => storage.getPersona(id))),
    episodes,
    episodeCount: await storage.countEpisodes({}),
    studyEpisodes: await storage.research.studyEpisodes(studyId, { after: null, limit: 10_000 }),
    runs,
    storedRuns: await Promise.all(runs.map((r) => storage.research.getRun(r.id))),
    live: await storage.live.listLive({ studyId }),
    participants,
    prolificIds: Object.fromEntries(await storage.research.prolificIds(participantIds)),
    consentVersions: await storage.consent.listVersions(studyId),
    consent: Object.fromEntries(await storage.consent.decisionsOf(participantIds)),
    outcomes,
    invites: await storage.people.listInvites(studyId, now),
    researchers: await storage.people.countResearchers(),
    admin: admin && { id: admin.id, username: admin.username, createdAt: admin.createdAt },
    settings: await storage.work.getSettings(studyId),
    ratings: await storage.work.listRatings(studyId),
    flags: await storage.work.listFlags(studyId),
    progress: await storage.work.progress(studyId, now),
    jobs: await storage.jobs.listJobs(),
    members: await storage.access.listMembers(studyId),
    audit: await storage.access.listAudit(studyId, { offset: 0, limit: 10_000 }),
    deletions: await storage.deletions.listDeletions(studyId),
  };
}
