import type { ParticipantRole } from '../../shared/schemas/identity.ts';
import { decideConsent, participantConsent } from '../../server/services/consent/consent-decisions.ts';
import type { Storage } from '../../server/storage/storage.ts';

/**
 * Records that a participant agreed to the consent text their study shows them, through the same service as
 * `POST /api/participant/consent`. Play and rating refuse anyone without it, so the join helpers call this unless a
 * test asks for a participant who has not decided.
 */
export async function agreeToConsent(
  storage: Storage,
  participant: { participantId: string; studyId: string; role: ParticipantRole },
): Promise<void> {
  const { sha256 } = await participantConsent(storage, participant);
  await decideConsent({ storage, now: () => new Date() }, participant, { agreed: true, sha256 });
}

/** The same over HTTP, for a server in another process: reads the journey's consent hash and agrees to it. */
export async function agreeToConsentOverHttp(baseUrl: string, headers: Record<string, string>): Promise<void> {
  const journey = await fetch(`${baseUrl}/api/participant/journey`, { headers });
  if (journey.status !== 200) throw new Error(`journey failed: ${journey.status} ${await journey.text()}`);
  const { consent } = (await journey.json()) as { consent: { sha256: string } };
  const res = await fetch(`${baseUrl}/api/participant/consent`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ agreed: true, sha256: consent.sha256 }),
  });
  if (res.status !== 200) throw new Error(`consent failed: ${res.status} ${await res.text()}`);
}

/** The same through an in-process app (`app.inject`), as the participant's page does it. */
export async function agreeToConsentByInject(
  app: {
    inject(options: {
      method: 'GET' | 'POST';
      url: string;
      headers: Record<string, string>;
      payload?: unknown;
    }): Promise<{
      statusCode: number;
      body: string;
    }>;
  },
  cookie: string,
): Promise<void> {
  const journey = await app.inject({ method: 'GET', url: '/api/participant/journey', headers: { cookie } });
  if (journey.statusCode !== 200) throw new Error(`journey failed: ${journey.statusCode} ${journey.body}`);
  const { consent } = JSON.parse(journey.body) as { consent: { sha256: string } };
  const res = await app.inject({
    method: 'POST',
    url: '/api/participant/consent',
    headers: { cookie },
    payload: { agreed: true, sha256: consent.sha256 },
  });
  if (res.statusCode !== 200) throw new Error(`consent failed: ${res.statusCode} ${res.body}`);
}
