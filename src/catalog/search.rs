//! Search over labels and aliases: case- and accent-insensitive, prefixes first.
//!
//! The index holds, for every resource under the id base that has a label
//! (statements excepted; source documents are in, so that they can be named), its label, its aliases
//! (`skos:altLabel`, and `skos:hiddenLabel` for search only) and its types,
//! folded to lower-case ASCII with `deunicode`. It is rebuilt from the store
//! whenever the store changes; a few thousand entries take milliseconds.

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term};

use super::{Catalog, CatalogError, Labelled};
use crate::model::EntityId;
use crate::store::Store;
use crate::vocab::{eg, skos};

/// One searchable resource.
#[derive(Debug, Clone)]
pub struct IndexEntry {
    /// The resource.
    pub resource: Labelled,
    /// Its aliases as written.
    pub aliases: Vec<String>,
    /// Its types.
    pub types: Vec<Labelled>,
    /// The folded label and aliases (hidden labels too), matched against folded queries.
    keys: Vec<String>,
}

/// How well an entry matches a query, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchKind {
    /// The label or an alias is the query.
    Exact,
    /// The label starts with the query.
    LabelPrefix,
    /// An alias starts with the query.
    AliasPrefix,
    /// The label or an alias contains the query.
    Substring,
}

/// A search hit: the entry and how it matched.
#[derive(Debug, Clone)]
pub struct Hit<'a> {
    /// The entry.
    pub entry: &'a IndexEntry,
    /// How it matched.
    pub kind: MatchKind,
}

/// The search index.
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// Entries sorted by folded label.
    entries: Vec<IndexEntry>,
}

/// Folds text for matching: ASCII transliteration, lower case, single spaces.
pub fn fold(text: &str) -> String {
    deunicode::deunicode(text)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

impl SearchIndex {
    /// Builds the index from every labelled resource of `store`.
    ///
    /// # Errors
    /// [`CatalogError::Storage`] when the store cannot be read.
    pub fn build(store: &Store) -> Result<Self, CatalogError> {
        let catalog = Catalog::new(store);
        let mut subjects: Vec<NamedNode> = Vec::new();
        for quad in store
            .oxigraph()
            .quads_for_pattern(None, Some(rdfs::LABEL), None, None)
        {
            if let NamedOrBlankNode::NamedNode(node) = quad?.subject {
                if EntityId::from_iri(node.as_str()).is_some() {
                    subjects.push(node);
                }
            }
        }
        subjects.sort();
        subjects.dedup();
        let mut entries = Vec::with_capacity(subjects.len());
        for subject in subjects {
            let types = catalog.objects(subject.as_ref(), rdf::TYPE)?;
            let excluded = types
                .iter()
                .any(|t| matches!(t, Term::NamedNode(n) if n.as_ref() == eg::STATEMENT));
            if excluded {
                continue;
            }
            let literals = |predicate| -> Result<Vec<String>, CatalogError> {
                Ok(catalog
                    .objects(subject.as_ref(), predicate)?
                    .into_iter()
                    .filter_map(|t| match t {
                        Term::Literal(l) => Some(l.value().to_owned()),
                        _ => None,
                    })
                    .collect())
            };
            let aliases = literals(skos::ALT_LABEL)?;
            let resource = catalog.labelled(subject.as_ref())?;
            let mut keys: Vec<String> = std::iter::once(resource.label.clone())
                .chain(aliases.iter().cloned())
                .chain(literals(skos::HIDDEN_LABEL)?)
                .map(|k| fold(&k))
                .collect();
            // The label stays first; aliases equal to it add nothing.
            let label_key = keys[0].clone();
            keys.retain(|k| *k != label_key);
            keys.insert(0, label_key);
            keys.dedup();
            entries.push(IndexEntry {
                resource,
                aliases,
                types: catalog.labelled_all(types)?,
                keys,
            });
        }
        entries.sort_by(|a, b| {
            fold(&a.resource.label)
                .cmp(&fold(&b.resource.label))
                .then(a.resource.iri.cmp(&b.resource.iri))
        });
        Ok(Self { entries })
    }

    /// How many resources are indexed.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every entry matching `query` (all when it is empty) and `type_filter` (a type IRI or
    /// its local name), best matches first ([`MatchKind`]), each kind in label order.
    ///
    /// # Complexity
    /// O(entries × keys) per query, then a stable sort of the hits.
    pub fn search(&self, query: &str, type_filter: Option<&str>) -> Vec<Hit<'_>> {
        let query = fold(query);
        let type_matches = |entry: &IndexEntry| {
            type_filter.is_none_or(|wanted| {
                entry.types.iter().any(|t| {
                    t.iri == wanted || super::local_name(&t.iri).eq_ignore_ascii_case(wanted)
                })
            })
        };
        let mut hits: Vec<Hit<'_>> = self
            .entries
            .iter()
            .filter(|e| type_matches(e))
            .filter_map(|entry| {
                // keys[0] is the label; the rest are aliases.
                let kind = if entry.keys.contains(&query) {
                    MatchKind::Exact
                } else if entry.keys[0].starts_with(&query) {
                    MatchKind::LabelPrefix
                } else if entry.keys[1..].iter().any(|k| k.starts_with(&query)) {
                    MatchKind::AliasPrefix
                } else if entry.keys.iter().any(|k| k.contains(&query)) {
                    MatchKind::Substring
                } else {
                    return None;
                };
                Some(Hit { entry, kind })
            })
            .collect();
        hits.sort_by_key(|hit| hit.kind);
        hits
    }

    /// The entries whose label or an alias equals `name` (folded).
    pub fn exact(&self, name: &str) -> Vec<&IndexEntry> {
        let name = fold(name);
        self.entries
            .iter()
            .filter(|e| e.keys.contains(&name))
            .collect()
    }

    /// The entry of this id, if indexed.
    pub fn by_id(&self, id: EntityId) -> Option<&IndexEntry> {
        self.entries.iter().find(|e| e.resource.id == Some(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> SearchIndex {
        SearchIndex::build(&crate::store::seed::seeded_in_memory()).unwrap()
    }

    #[test]
    fn search_is_case_and_accent_insensitive_with_prefixes_first() {
        let index = index();
        let hits = index.search("QATAR", None);
        assert_eq!(
            hits[0].kind,
            MatchKind::Exact,
            "the exact match comes first"
        );
        assert_eq!(hits[0].entry.resource.label, "Qatar");
        assert!(
            hits.windows(2).all(|w| w[0].kind <= w[1].kind),
            "better matches come first"
        );
        let prefixed = index.search("qat", None);
        assert_eq!(
            prefixed[0].entry.resource.label, "Qatar",
            "a label prefix beats an alias prefix"
        );
        assert_eq!(index.search("qatár", None)[0].entry.resource.label, "Qatar");
    }

    #[test]
    fn aliases_and_types_narrow_the_search() {
        let index = index();
        assert_eq!(
            index.exact("IDF")[0].resource.label,
            "Israel Defense Forces"
        );
        let states: Vec<&str> = index
            .search("", Some("State"))
            .iter()
            .map(|h| h.entry.resource.label.as_str())
            .collect();
        assert!(
            states.contains(&"Qatar") && !states.contains(&"Hamas"),
            "{states:?}"
        );
        assert!(
            index.search("statement:", None).is_empty(),
            "statements are not searchable"
        );
    }
}

impl SearchIndex {
    /// Brings the index in step with the store after a write (temporary: rebuilds).
    ///
    /// # Errors
    /// [`CatalogError::Storage`] when the store cannot be read.
    pub fn refresh<'a>(
        &mut self,
        store: &Store,
        _changed: impl IntoIterator<Item = oxigraph::model::QuadRef<'a>>,
    ) -> Result<(), CatalogError> {
        *self = Self::build(store)?;
        Ok(())
    }
}
