//! English names for the news graph's entities, unique by construction, and the words of its
//! quotes.
//!
//! Every entity has a core name, a word of consonant–vowel syllables spelling its number in
//! bijective base 70 (at least two syllables: `Bakoti`), with the syllable table shuffled by
//! the seed so that seeds give different names. A label is its class's template around the
//! core (`Republic of Bakoti`, `Operation Bakoti`, `Mira Bakoti`); since the core is one word
//! no given name or template word can spell, and every template holds it whole, two entities
//! never share a label or an alias, and no alias is another entity's label. This module
//! knows nothing of RDF beyond the `eg:` class a template is for.

use oxigraph::model::NamedNodeRef;

use super::SplitMix64;
use crate::vocab::eg;

const CONSONANTS: &[u8] = b"bdfgklmnprstvz";
const VOWELS: &[u8] = b"aeiou";

/// Given names, none of them a word of consonant–vowel syllables (so none is a core name).
const GIVEN_NAMES: &[&str] = &[
    "Amina", "Yusuf", "Elena", "Omar", "Ingrid", "Arjun", "Leila", "Tomas", "Aisha", "Ivan",
    "Chen", "Maryam", "Olek", "Priya", "Hassan", "Anouk", "Ethan", "Sofia", "Kwame", "Isabel",
    "Ahmed", "Oksana", "Emre", "Ursula",
];

/// Kinds of organisation, after the core name.
const ORGANISATIONS: &[&str] = &[
    "Relief Council",
    "Workers' Union",
    "Liberation Front",
    "Chamber of Commerce",
    "Rights Observatory",
    "Energy Company",
];

/// Ministries and other bodies of government, before `of` and the core name.
const GOVERNMENT_BODIES: &[(&str, &str)] = &[
    ("Ministry of Foreign Affairs", "Foreign Ministry"),
    ("Ministry of Defence", "Defence Ministry"),
    ("Ministry of the Interior", "Interior Ministry"),
    ("Presidential Office", "Presidency"),
    ("National Assembly", "Parliament"),
];

/// Names of news outlets, after the core name.
const OUTLETS: &[&str] = &["Daily", "Herald", "News Agency", "Times", "Broadcasting"];

/// The names of a graph: the syllables in the seed's order.
pub(super) struct Names {
    syllables: Vec<[u8; 2]>,
}

impl Names {
    pub(super) fn new(seed: u64) -> Self {
        let mut syllables: Vec<[u8; 2]> = CONSONANTS
            .iter()
            .flat_map(|&c| VOWELS.iter().map(move |&v| [c, v]))
            .collect();
        let mut rng = SplitMix64(seed ^ 0x6e61_6d65_7321);
        for i in (1..syllables.len()).rev() {
            syllables.swap(i, rng.below(i + 1));
        }
        Self { syllables }
    }

    /// The core name of entity `i`: `i + 70` in bijective base 70, capitalised.
    pub(super) fn core(&self, i: usize) -> String {
        let base = self.syllables.len();
        let mut n = i + base + 1;
        let mut reversed = Vec::new();
        while n > 0 {
            n -= 1;
            reversed.push(self.syllables[n % base]);
            n /= base;
        }
        let mut word: String = reversed
            .iter()
            .rev()
            .flat_map(|s| s.iter().map(|&b| char::from(b)))
            .collect();
        word[..1].make_ascii_uppercase();
        word
    }

    /// The label of entity `i` of `class`, and its aliases when `aliases` is set; `date` is
    /// an event's day, which its label names.
    pub(super) fn label(
        &self,
        i: usize,
        class: NamedNodeRef<'_>,
        date: &str,
        choice: usize,
        aliases: bool,
    ) -> (String, Vec<String>) {
        let core = self.core(i);
        let (label, alias): (String, Vec<String>) = match class {
            c if c == eg::STATE => (format!("Republic of {core}"), vec![core.clone()]),
            c if c == eg::PERSON => {
                let given = GIVEN_NAMES[choice % GIVEN_NAMES.len()];
                let initial = &given[..1];
                (
                    format!("{given} {core}"),
                    vec![format!("{initial}. {core}"), core.clone()],
                )
            }
            c if c == eg::GOVERNMENT_BODY => {
                let (long, short) = GOVERNMENT_BODIES[choice % GOVERNMENT_BODIES.len()];
                (format!("{long} of {core}"), vec![format!("{core} {short}")])
            }
            c if c == eg::ARMED_FORCE => (
                format!("{core} Armed Forces"),
                vec![format!("{core} Army"), format!("{core} military")],
            ),
            c if c == eg::ORGANISATION => {
                let kind = ORGANISATIONS[choice % ORGANISATIONS.len()];
                (format!("{core} {kind}"), vec![format!("the {core} {kind}")])
            }
            c if c == super::news::NEWS_OUTLET => {
                let kind = OUTLETS[choice % OUTLETS.len()];
                (format!("{core} {kind}"), vec![])
            }
            c if c == eg::CITY => (core.clone(), vec![format!("{core} City")]),
            c if c == eg::REGION => (format!("{core} Province"), vec![]),
            c if c == eg::MILITARY_OPERATION => (format!("Operation {core}"), vec![]),
            c if c == eg::ATTACK => (format!("{core} attack of {date}"), vec![]),
            c if c == super::news::AIRSTRIKE => (format!("{core} airstrike of {date}"), vec![]),
            c if c == eg::MEETING => (format!("{core} talks of {date}"), vec![]),
            c if c == eg::ANNOUNCEMENT => (format!("{core} announcement of {date}"), vec![]),
            c if c == eg::CONTACT_THROUGH_INTERMEDIARY => {
                (format!("{core} back-channel contacts"), vec![])
            }
            c if c == super::news::BLOCKADE => (format!("Blockade of {core}"), vec![]),
            _ => (format!("{core} {}", super::local(class)), vec![]),
        };
        let aliases = if aliases {
            alias.into_iter().take(1 + choice % 2).collect()
        } else {
            Vec::new()
        };
        (label, aliases)
    }
}

/// The words a quote puts between a triple's subject and object.
pub(super) fn verb(predicate: NamedNodeRef<'_>) -> &'static str {
    match predicate {
        p if p == eg::CONTACTS_VIA => "is in contact with",
        p if p == eg::PART_OF => "is part of",
        p if p == eg::LAUNCHED => "launched",
        p if p == eg::ANNOUNCED => "announced",
        p if p == eg::PARTICIPATED_IN => "took part in",
        p if p == eg::LOCATION => "is based in",
        p if p == eg::AGENT => "was carried out by",
        p if p == eg::TARGET => "was directed against",
        p if p == eg::PARTICIPANT => "involved",
        p if p == eg::COUNTERPART => "had as its counterpart",
        p if p == eg::EVENT_PLACE => "took place in",
        p if p == eg::SUB_EVENT_OF => "was part of",
        p if p == eg::IN_RESPONSE_TO => "came in response to",
        p if p == eg::LOCATED_IN => "lies in",
        _ => "relates to",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustc_hash::FxHashSet;

    #[test]
    fn core_names_are_distinct_words_of_two_syllables_or_more() {
        let names = Names::new(1);
        let cores: FxHashSet<String> = (0..20_000).map(|i| names.core(i)).collect();
        assert_eq!(cores.len(), 20_000);
        assert!(cores.iter().all(|c| c.len() >= 4 && !c.contains(' ')));
        assert_ne!(
            Names::new(2).core(0),
            names.core(0),
            "seeds shuffle the syllables"
        );
    }

    #[test]
    fn labels_and_aliases_of_different_entities_never_meet() {
        let names = Names::new(9);
        let classes = [
            eg::STATE,
            eg::PERSON,
            eg::GOVERNMENT_BODY,
            eg::ARMED_FORCE,
            eg::ORGANISATION,
            super::super::news::NEWS_OUTLET,
            eg::CITY,
            eg::REGION,
            eg::MILITARY_OPERATION,
            eg::ATTACK,
            eg::MEETING,
        ];
        let mut seen = FxHashSet::default();
        for i in 0..30_000 {
            let class = classes[i % classes.len()];
            let (label, aliases) = names.label(i, class, "2023-05-01", i / 7, true);
            for name in std::iter::once(label).chain(aliases) {
                assert!(seen.insert(name.clone()), "{name} is given twice");
            }
        }
    }
}
