import { z } from 'zod';
import { JoinResultSchema, type JoinBody } from '../../../../shared/schemas/auth.ts';
import { postJson } from '../../http/request.ts';

/**
 * POST /api/join/:code (docs/security.md): sets the participant's session cookie. `consentText` is read when the
 * server sends it; today it does not, and the consent step falls back to the default text.
 */
const JoinResponseSchema = JoinResultSchema.extend({ consentText: z.string().optional() });
export type JoinResponse = z.infer<typeof JoinResponseSchema>;

export function joinStudy(code: string, body: JoinBody): Promise<JoinResponse> {
  return postJson(`/api/join/${encodeURIComponent(code)}`, body, JoinResponseSchema);
}
