import { RaterPage } from './rater-page.tsx';
import { SelfRatingPage } from './self-rating-page.tsx';

/** /rate: an actor rates the answer of the conversation they played; a rater works through the blinded queue. */
export function RatePage({ role }: { role: 'actor' | 'rater' }) {
  return role === 'actor' ? <SelfRatingPage /> : <RaterPage />;
}
