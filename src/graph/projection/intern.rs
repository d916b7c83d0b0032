//! Interning tables, and the small rules for reading IRIs and labels out of quads.

use std::mem::size_of;

use oxigraph::model::{NamedOrBlankNodeRef, TermRef};
use rustc_hash::FxHashMap;

use crate::vocab;

/// An interning table: ids are positions.
#[derive(Debug, Clone)]
pub(super) struct Table<T> {
    /// The values, by id.
    pub(super) items: Vec<T>,
    /// The id of each value.
    ids: FxHashMap<T, u32>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            ids: FxHashMap::default(),
        }
    }
}

impl<T: Clone + Eq + std::hash::Hash> Table<T> {
    pub(super) fn get<Q>(&self, item: &Q) -> Option<u32>
    where
        T: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        self.ids.get(item).copied()
    }

    pub(super) fn intern(&mut self, item: T) -> u32 {
        if let Some(&id) = self.ids.get(&item) {
            return id;
        }
        let id = to_u32(self.items.len());
        self.items.push(item.clone());
        self.ids.insert(item, id);
        id
    }

    pub(super) fn len(&self) -> usize {
        self.items.len()
    }

    /// Renumbers the values in `key` order; returns the new id of each old id.
    pub(super) fn sort_by_key<K: Ord>(&mut self, key: impl Fn(&T) -> K) -> Vec<u32> {
        let mut order: Vec<u32> = (0..to_u32(self.items.len())).collect();
        order.sort_by_key(|&id| key(&self.items[id as usize]));
        let mut renumber = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            renumber[old as usize] = to_u32(new);
        }
        self.items = order
            .iter()
            .map(|&old| self.items[old as usize].clone())
            .collect();
        self.ids = self
            .items
            .iter()
            .enumerate()
            .map(|(id, item)| (item.clone(), to_u32(id)))
            .collect();
        renumber
    }

    pub(super) fn bytes(&self, heap: impl Fn(&T) -> usize) -> usize {
        self.items.capacity() * size_of::<T>()
            + hash_table_bytes::<(T, u32)>(self.ids.capacity())
            + self.items.iter().map(|item| 2 * heap(item)).sum::<usize>()
    }
}

/// Converts a count to a `u32` id. Ids index petgraph's `u32` graph, which cannot hold more
/// than `u32::MAX` nodes or edges either, so an overflow is a broken invariant.
pub(super) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).expect("more than u32::MAX interned values")
}

/// The bytes of a hashbrown table with this capacity: buckets × (entry + control byte).
pub(super) fn hash_table_bytes<T>(capacity: usize) -> usize {
    if capacity == 0 {
        0
    } else {
        (capacity * 8 / 7).next_power_of_two() * (size_of::<T>() + 1)
    }
}

/// Whether `iri` names an eventgraph resource (an `egid:` IRI).
pub(super) fn is_resource(iri: &str) -> bool {
    iri.starts_with(vocab::id::BASE)
}

/// The `egid:` IRI of a subject or object, if it is one.
pub(super) fn resource_of_subject<'a>(subject: NamedOrBlankNodeRef<'a>) -> Option<&'a str> {
    match subject {
        NamedOrBlankNodeRef::NamedNode(node) if is_resource(node.as_str()) => Some(node.as_str()),
        _ => None,
    }
}

pub(super) fn resource_of_object<'a>(object: TermRef<'a>) -> Option<&'a str> {
    match object {
        TermRef::NamedNode(node) if is_resource(node.as_str()) => Some(node.as_str()),
        _ => None,
    }
}

/// How good a label is for people reading English: lower is better, `None` is not a label.
pub(super) fn label_rank(object: TermRef<'_>) -> Option<(u8, &str)> {
    let TermRef::Literal(literal) = object else {
        return None;
    };
    let rank = match literal.language() {
        Some("en") => 0,
        Some(tag) if tag.starts_with("en-") => 1,
        Some(_) => return None,
        None if literal.datatype() == oxigraph::model::vocab::xsd::STRING => 2,
        None => return None,
    };
    Some((rank, literal.value()))
}

/// Keeps the better of two candidate labels (then the smaller string, for determinism).
pub(super) fn better_label(current: &mut Option<(u8, Box<str>)>, candidate: (u8, &str)) {
    let better = match current {
        None => true,
        Some((rank, value)) => (candidate.0, candidate.1) < (*rank, &**value),
    };
    if better {
        *current = Some((candidate.0, candidate.1.into()));
    }
}
