-- The researcher's list of units held (LiveEpisodeStorage.units) finds each leased assignment's newest episode and
-- whether one runs on it, and releasing a unit looks for the session running on it. No
-- index served `assignment_id = ?`, so each look-up read the study's episodes. Only live episodes have an assignment.
CREATE INDEX episodes_by_assignment ON episodes(assignment_id, started_at) WHERE assignment_id IS NOT NULL;
