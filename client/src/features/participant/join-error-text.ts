import { isErrorCode, type ErrorCode } from '../../../../shared/errors.ts';
import { ApiError } from '../../http/request.ts';
import { participantErrorText } from '../../i18n/error-text.ts';
import { t } from '../../i18n/index.ts';

// The join page's own words for the refusals a link can get (catalog: join.errors.*).
const JOIN_ERRORS = ['invalid_invite', 'study_paused', 'study_closed', 'role_conflict', 'rate_limited'] as const;
type JoinErrorCode = (typeof JOIN_ERRORS)[number];
const isJoinError = (code: ErrorCode): code is JoinErrorCode => (JOIN_ERRORS as readonly string[]).includes(code);

/** A link that takes nobody new (the server's `details.reason`); people who joined before can still come back. */
const INVITE_LIMITS = ['full', 'expired', 'withdrawn'] as const;
type InviteLimit = (typeof INVITE_LIMITS)[number];
const isInviteLimit = (reason: unknown): reason is InviteLimit =>
  typeof reason === 'string' && (INVITE_LIMITS as readonly string[]).includes(reason);

/** What the join page says when joining through the link failed, in the page's language. */
export function joinErrorText(err: unknown): string {
  const code = err instanceof ApiError ? err.code : null;
  const reason = err instanceof ApiError && code === 'invalid_invite' ? err.details?.reason : undefined;
  if (isInviteLimit(reason)) return t('join.comeBack', { reason: t(`join.limits.${reason}`) });
  // A study that checks the Prolific ID's format refuses one that is not (join-study.ts): say so in the page's language.
  if (err instanceof ApiError && code === 'invalid_payload' && err.issues.some((i) => i.path === '$.PROLIFIC_PID')) {
    return t('join.badProlificId');
  }
  if (isErrorCode(code) && isJoinError(code)) return t(`join.errors.${code}`);
  return participantErrorText(err);
}
