//! The ontology and the seed graph, embedded in the binary, and seeding an empty store.
//!
//! The files are compiled in with `include_str!`, so `eventgraph serve` works
//! from any directory and the seed is the same bytes on every machine. An
//! empty store receives them in one atomic load; a store that holds anything
//! is never touched, so a user's data is never silently overwritten.

use oxigraph::io::RdfFormat;

use super::load::{LoadError, LoadOptions, RdfSource};
use super::{Store, StoreError};
use crate::vocab;

/// `ontology/eventgraph.ttl`, the OWL ontology.
pub const ONTOLOGY: &str = include_str!("../../ontology/eventgraph.ttl");
/// `ontology/cameo.ttl`, the CAMEO event codes as a SKOS concept scheme (GDELT's event types),
/// loaded into the ontology graph with the ontology.
pub const CAMEO: &str = include_str!("../../ontology/cameo.ttl");
/// `ontology/shapes.ttl`, the SHACL shapes the seed conforms to.
pub const SHAPES: &str = include_str!("../../ontology/shapes.ttl");
/// The seed graph: one TriG file per source document, each in its own named graph.
pub const SEED_DATASETS: &[(&str, &str)] = &[(
    "seed-data/sputnik-africa-2023-10-31-us-hamas-qatar.trig",
    include_str!("../../seed-data/sputnik-africa-2023-10-31-us-hamas-qatar.trig"),
)];

/// What opening a store with seeding did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedOutcome {
    /// The store was empty and now holds the ontology and the seed graph.
    Seeded {
        /// Quads parsed from the embedded files.
        quads: u64,
    },
    /// The store already held data and was left as it was.
    AlreadyPopulated,
}

/// Errors of seeding.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The embedded files did not load (a build with broken seed files; tests catch it).
    #[error("the embedded seed data does not load: {0}")]
    Load(#[from] LoadError),
}

impl Store {
    /// Loads the ontology (into its own graph) and the seed datasets when the store is empty.
    ///
    /// # Errors
    /// [`SeedError`] when the store cannot be read or written.
    pub fn seed_if_empty(&self) -> Result<SeedOutcome, SeedError> {
        if !self.is_empty()? {
            return Ok(SeedOutcome::AlreadyPopulated);
        }
        let ontology = RdfSource::from_str("ontology/eventgraph.ttl", RdfFormat::Turtle, ONTOLOGY)
            .with_graph(vocab::graph::ONTOLOGY.into_owned());
        let cameo = RdfSource::from_str("ontology/cameo.ttl", RdfFormat::Turtle, CAMEO)
            .with_graph(vocab::graph::ONTOLOGY.into_owned());
        let datasets = SEED_DATASETS
            .iter()
            .map(|(name, text)| RdfSource::from_str(*name, RdfFormat::TriG, text));
        // One load, so that a store is either fully seeded or still empty.
        let report = self.load(
            [ontology, cameo].into_iter().chain(datasets).collect(),
            &LoadOptions::default(),
            &|_| {},
        )?;
        Ok(SeedOutcome::Seeded {
            quads: report.quads,
        })
    }
}

/// A store in memory holding the ontology and the seed, for the unit tests of every module.
#[cfg(test)]
pub(crate) fn seeded_in_memory() -> Store {
    let store = Store::open(&crate::config::StoreLocation::Memory).expect("a memory store opens");
    store.seed_if_empty().expect("the embedded seed loads");
    store
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StoreLocation;

    #[test]
    fn seeding_fills_an_empty_store_once_and_never_again() {
        let store = Store::open(&StoreLocation::Memory).unwrap();
        let SeedOutcome::Seeded { .. } = store.seed_if_empty().unwrap() else {
            panic!("an empty store must be seeded");
        };
        let len = store.len().unwrap();
        assert!(len > 0);
        assert_eq!(
            store.seed_if_empty().unwrap(),
            SeedOutcome::AlreadyPopulated
        );
        assert_eq!(store.len().unwrap(), len);
    }
}
