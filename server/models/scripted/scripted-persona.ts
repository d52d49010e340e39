import type { ModelMessage } from '../model-provider.ts';
import { field, list, pick, str, title, type Loose } from './scripted-hint-helpers.ts';
import { stableHash } from './text-match.ts';

/** The scripted persona-generation roles: a library-shaped persona from name pools, and its coherence check. */

const GIVEN = [
  'Amara',
  'Tomasz',
  'Leilani',
  'Rafael',
  'Ingrid',
  'Kwame',
  'Noor',
  'Mateo',
  'Saoirse',
  'Hiroshi',
  'Zanele',
  'Dmitri',
  'Priya',
  'Olumide',
  'Ximena',
  'Henrik',
  'Yusuf',
  'Mei',
  'Brigid',
  'Tupac',
  'Aiko',
  'Emeka',
  'Lucía',
  'Bjorn',
  'Fatima',
  'Kai',
];
const FAMILY = [
  'Okonkwo',
  'Lindqvist',
  'Kahananui',
  'Vasquez',
  'Nakamura',
  'Mensah',
  'Haddad',
  'Kowalczyk',
  'Brennan',
  'Ivanova',
  'Raghunathan',
  'Adeyinka',
  'Quispe',
  'Sorensen',
  'Yilmaz',
  'Tanaka',
  'Dube',
  'Moreau',
  'Castillo',
  'Novak',
  'Ferreira',
  'Abernathy',
];
const PLACES = [
  'Tromsø, Troms, Norway',
  'Hilo, Hawaii, USA',
  'Cusco, Cusco Region, Peru',
  'Kumasi, Ashanti, Ghana',
  'Gdańsk, Pomerania, Poland',
  'Sapporo, Hokkaido, Japan',
  'Galway, Connacht, Ireland',
  'Tucson, Arizona, USA',
  'Durban, KwaZulu-Natal, South Africa',
  'Izmir, Aegean Region, Turkey',
  'Lyon, Auvergne-Rhône-Alpes, France',
  'Chennai, Tamil Nadu, India',
  'Winnipeg, Manitoba, Canada',
  'Valparaíso, Valparaíso Region, Chile',
  'Dundee, Scotland, UK',
];
const OCCUPATIONS = [
  'Harbour pilot',
  'School bus mechanic',
  'Community pharmacist',
  'Market-stall florist',
  'Sound engineer',
  'Park ranger',
];
const HOBBIES = [
  'birdwatching',
  'sea swimming',
  'chess in the park',
  'bread baking',
  'amateur radio',
  'salsa dancing',
  'woodcarving',
  'trail running',
  'crossword puzzles',
  'gardening',
  'karaoke',
  'fly fishing',
];
const STYLES = [
  'visual: sketches and diagrams',
  'auditory: talking ideas through aloud',
  'kinesthetic: trying things with the hands',
  'reading/writing: careful notes and lists',
];

/** A full library-shaped persona, varied by everything in the hint and by how many times the call was retried. */
export function scriptedPersona(hint: Loose, messages: ModelMessage[]): string {
  const h = stableHash(
    JSON.stringify([hint.libraryCount, hint.attempt, hint.occupation, hint.ageBracket, messages.length]),
  );
  const avoid = new Set(list(hint.avoidNames));
  let name = '';
  for (let k = 0; name === '' || avoid.has(name); k++)
    name = `${pick(GIVEN, h + k)} ${pick(FAMILY, (h >>> 8) + k * 7)}`;
  const avoidPlaces = new Set(list(hint.avoidLocations));
  let location = '';
  for (let k = 0; location === '' || (avoidPlaces.has(location) && k < PLACES.length); k++)
    location = pick(PLACES, (h >>> 4) + k);
  const bracket = /^(\d+)–(\d+)$/.exec(str(hint.ageBracket));
  const age = bracket ? Number(bracket[1]) + (h % (Number(bracket[2]) - Number(bracket[1]) + 1)) : 18 + (h % 58);
  const occupation = str(hint.occupation, pick(OCCUPATIONS, h >>> 3));
  const style = pick(STYLES, h >>> 5);
  const hobbies = [pick(HOBBIES, h >>> 6), pick(HOBBIES, (h >>> 6) + 5)];
  const score = (shift: number): number => 1 + ((h >>> shift) % 5);
  const trait = (label: string, shift: number) => ({
    score: score(shift),
    description: `${label} level ${score(shift)} of 5, visible in how ${name.split(' ')[0]} handles work and family.`,
  });
  return JSON.stringify({
    name,
    minimal_necessary_description: `${age}-year-old ${occupation.toLowerCase()} in ${location.split(',')[0]} who learns best when ideas are ${style.split(':')[0]}`,
    demographics: {
      age,
      occupation,
      location,
      family_context: pick(
        [
          'Lives alone with a cat',
          'Shares a flat with a sibling',
          'Married with two school-age children',
          'Cares for an elderly parent',
        ],
        h >>> 7,
      ),
      hobbies,
    },
    educational_profile: {
      knowledge_level: pick(
        [
          'Finished secondary school; practical numeracy from work',
          'Vocational diploma; reads widely on their trade',
          'Some university courses, never finished',
        ],
        h >>> 9,
      ),
      common_errors: 'Skips checking units and rushes the last step once the idea feels familiar',
      cognitive_features: {
        learning_style: style,
        attention_span: `About ${20 + (h % 4) * 10} minutes before needing a break`,
        memory_strengths: 'Remembers stories and concrete cases better than rules',
        problem_solving: 'Tries a small example first, then generalises',
        collaboration: 'Prefers one patient partner to a group',
      },
      affective_features: {
        confidence: pick(
          ['Quietly confident in their trade, unsure with abstractions', 'Low confidence with formal subjects'],
          h >>> 10,
        ),
        anxiety_triggers: 'Dense notation and being rushed',
        motivation: `Wants to handle questions that come up as a ${occupation.toLowerCase()}`,
        challenge_attitude: 'Persistent once the point is clear',
      },
      metacognitive_features: {
        self_awareness: 'Knows they need a concrete example first',
        self_regulation: 'Sets small weekly goals',
        reflection: 'Talks problems over at the end of the day',
        self_assessment: 'Tends to underrate what they already know',
      },
    },
    personality_big5: {
      openness: trait('Curiosity', 11),
      conscientiousness: trait('Orderliness', 13),
      extraversion: trait('Sociability', 15),
      agreeableness: trait('Warmth', 17),
      neuroticism: trait('Worry', 19),
    },
    backstory: `${name} grew up near ${location.split(',')[0]} and became a ${occupation.toLowerCase()} after a few false starts. ${title(hobbies[0] ?? 'reading')} fills the weekends. They want explanations that connect to real work.`,
    domain_expertise: [occupation.toLowerCase(), hobbies[0] ?? 'gardening'],
  });
}

export function scriptedCoherence(hint: Loose): string {
  const age = field(field(hint.persona, 'demographics'), 'age');
  const coherent =
    typeof age === 'number' &&
    age >= 18 &&
    age <= 75 &&
    str(field(hint.persona, 'name')).trim().split(/\s+/).length >= 2;
  return JSON.stringify({ coherent, issues: coherent ? [] : ['age or name out of range'] });
}
