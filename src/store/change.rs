//! What a committed write did to the store: the quads it inserted and removed.
//!
//! Every write path (REST edits, SPARQL Update, the Graph Store Protocol, loads through the
//! server) returns a [`ChangeSet`] once its transaction has committed, so that the read models
//! can apply exactly that change instead of rebuilding from the store. A change that cannot be
//! listed cheaply (clearing the default graph, dropping every graph) says so with
//! [`ChangeSet::unlisted`]; the read models then rebuild.

use oxigraph::model::Quad;

/// The quads a committed write inserted and removed.
///
/// The lists may hold quads the write did not really change (inserting a quad already there,
/// removing one that was not): consumers re-read the store for each quad they are given, so
/// naming a quad too many costs a look-up, never a wrong answer. They never miss a quad that
/// did change, unless `unlisted` is set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeSet {
    /// Quads the write inserted.
    pub inserted: Vec<Quad>,
    /// Quads the write removed.
    pub removed: Vec<Quad>,
    /// The write also changed quads it does not list (`CLEAR DEFAULT`, `DROP ALL`, ...): what
    /// is derived from the store must be rebuilt.
    pub unlisted: bool,
}

impl ChangeSet {
    /// A change that lists everything it did.
    pub fn listed(inserted: Vec<Quad>, removed: Vec<Quad>) -> Self {
        Self {
            inserted,
            removed,
            unlisted: false,
        }
    }

    /// Whether the write changed nothing at all.
    pub fn is_empty(&self) -> bool {
        self.inserted.is_empty() && self.removed.is_empty() && !self.unlisted
    }

    /// How many quads it lists.
    pub fn len(&self) -> usize {
        self.inserted.len() + self.removed.len()
    }

    /// Every quad it lists, inserted then removed.
    pub fn quads(&self) -> impl Iterator<Item = &Quad> + Clone {
        self.inserted.iter().chain(&self.removed)
    }

    /// Appends another change made after this one in the same ordered step.
    pub fn extend(&mut self, later: ChangeSet) {
        self.inserted.extend(later.inserted);
        self.removed.extend(later.removed);
        self.unlisted |= later.unlisted;
    }
}
