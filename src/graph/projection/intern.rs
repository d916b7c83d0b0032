//! How the projection holds what it knows in few bytes: interning tables, node IRIs (a uuid
//! in 16 bytes, any other IRI in a side table), the index from IRI to node, the label arena,
//! the encoding of a node's record, and the extra graphs of edges asserted more than once.
//! Also the small rules for reading `egid:` IRIs and labels out of terms.
//!
//! Every hash table here is a hashbrown `HashTable` of 4-byte positions into a `Vec` (or into
//! the graph) that holds the values, so that a value is stored once and an entry costs 4
//! bytes and a control byte; only the extra graphs of edges are 8-byte (edge, graph) pairs.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{BuildHasher, Hash};
use std::mem::size_of;
use std::num::NonZeroU32;

use hashbrown::HashTable;
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNodeRef, TermRef};
use petgraph::stable_graph::{EdgeIndex, NodeIndex};
use rustc_hash::FxBuildHasher;
use uuid::Uuid;

use super::{EntityGraph, GraphId, RelationId, ResourceRecord};
use crate::vocab;

/// Converts a count to a `u32` id. Ids index petgraph's `u32` graph, which cannot hold more
/// than `u32::MAX` nodes or edges either, so an overflow is a broken invariant.
pub(super) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).expect("more than u32::MAX interned values")
}

fn hash_of<Q: Hash + ?Sized>(value: &Q) -> u64 {
    FxBuildHasher.hash_one(value)
}

/// An interning table: ids are positions in `items`.
#[derive(Debug, Clone)]
pub(super) struct Table<T> {
    items: Vec<T>,
    /// The id of each item, found by the item's hash.
    ids: HashTable<u32>,
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            ids: HashTable::new(),
        }
    }
}

impl<T: Hash + Eq> Table<T> {
    /// The table of distinct `items`, each with its position as id.
    pub(super) fn from_items(items: Vec<T>) -> Self {
        let mut table = Self {
            items: Vec::with_capacity(items.len()),
            ids: HashTable::with_capacity(items.len()),
        };
        for item in items {
            table.intern(item);
        }
        table
    }

    pub(super) fn get<Q>(&self, key: &Q) -> Option<u32>
    where
        T: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let items = &self.items;
        self.ids
            .find(hash_of(key), |&id| items[id as usize].borrow() == key)
            .copied()
    }

    /// The id of `key`, interning `make()` (which must borrow as `key`) when it is new.
    pub(super) fn intern_with<Q>(&mut self, key: &Q, make: impl FnOnce() -> T) -> u32
    where
        T: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let hash = hash_of(key);
        let Self { items, ids } = self;
        if let Some(&id) = ids.find(hash, |&id| items[id as usize].borrow() == key) {
            return id;
        }
        let id = to_u32(items.len());
        items.push(make());
        // `Borrow` promises that an item hashes as the key it borrows as.
        ids.insert_unique(hash, id, |&id| hash_of(&items[id as usize]));
        id
    }

    pub(super) fn intern(&mut self, item: T) -> u32 {
        let hash = hash_of(&item);
        let Self { items, ids } = self;
        if let Some(&id) = ids.find(hash, |&id| items[id as usize] == item) {
            return id;
        }
        let id = to_u32(items.len());
        items.push(item);
        ids.insert_unique(hash, id, |&id| hash_of(&items[id as usize]));
        id
    }

    /// Renumbers the items in `order`; returns the new id of each old id.
    pub(super) fn sort_by(&mut self, order: impl Fn(&T, &T) -> Ordering) -> Vec<u32> {
        let mut old_ids: Vec<u32> = (0..to_u32(self.items.len())).collect();
        old_ids.sort_by(|&a, &b| order(&self.items[a as usize], &self.items[b as usize]));
        let mut renumber = vec![0; old_ids.len()];
        for (new, &old) in old_ids.iter().enumerate() {
            renumber[old as usize] = to_u32(new);
        }
        let mut items: Vec<Option<T>> = std::mem::take(&mut self.items)
            .into_iter()
            .map(Some)
            .collect();
        self.items = old_ids
            .iter()
            .filter_map(|&old| items[old as usize].take())
            .collect();
        self.reindex();
        renumber
    }

    /// Keeps the items whose id is marked in `keep`, then renumbers them in `order`; returns
    /// the new id of each old id (`u32::MAX` for those dropped).
    pub(super) fn keep_sorted(
        &mut self,
        keep: &[bool],
        order: impl Fn(&T, &T) -> Ordering,
    ) -> Vec<u32> {
        let mut kept = vec![u32::MAX; self.items.len()];
        let mut items = Vec::with_capacity(keep.iter().filter(|&&k| k).count());
        for (old, item) in std::mem::take(&mut self.items).into_iter().enumerate() {
            if keep[old] {
                kept[old] = to_u32(items.len());
                items.push(item);
            }
        }
        self.items = items;
        let sorted = self.sort_by(order);
        kept.iter()
            .map(|&k| if k == u32::MAX { k } else { sorted[k as usize] })
            .collect()
    }

    /// Gives back the slack of growing (a build interns without knowing how many items come).
    pub(super) fn shrink_to_fit(&mut self) {
        self.items.shrink_to_fit();
        self.reindex();
    }

    fn reindex(&mut self) {
        let Self { items, ids } = self;
        *ids = HashTable::with_capacity(items.len());
        for (id, item) in items.iter().enumerate() {
            ids.insert_unique(hash_of(item), to_u32(id), |&id| {
                hash_of(&items[id as usize])
            });
        }
    }
}

impl<T> Table<T> {
    pub(super) fn item(&self, id: u32) -> &T {
        &self.items[id as usize]
    }

    pub(super) fn items(&self) -> &[T] {
        &self.items
    }

    pub(super) fn len(&self) -> usize {
        self.items.len()
    }

    /// The bytes held: the items' slots, `heap` of each item, and the hash table.
    pub(super) fn bytes(&self, heap: impl Fn(&T) -> usize) -> usize {
        self.items.capacity() * size_of::<T>()
            + self.items.iter().map(heap).sum::<usize>()
            + self.ids.allocation_size()
    }
}

/// How a node's IRI is held: the 16 bytes of its uuid, or its id in the side table of IRIs
/// that are not `{BASE}{uuid}` (the tests' `…/id/us`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum IriKey {
    Uuid([u8; 16]),
    Other(u32),
}

impl IriKey {
    /// The key of an `egid:` IRI, if it is a node's or can be one without interning.
    pub(super) fn find(iri: &str, others: &Table<Box<str>>) -> Option<Self> {
        match uuid_of(iri) {
            Some(uuid) => Some(Self::Uuid(uuid)),
            None => others.get(iri).map(Self::Other),
        }
    }

    /// The key of an `egid:` IRI, adding it to the side table when it is not a uuid IRI.
    pub(super) fn intern(iri: &str, others: &mut Table<Box<str>>) -> Self {
        match uuid_of(iri) {
            Some(uuid) => Self::Uuid(uuid),
            None => Self::Other(others.intern_with(iri, || iri.into())),
        }
    }
}

/// The length of `{BASE}{uuid}`.
const UUID_IRI_LEN: usize = vocab::id::BASE.len() + 36;

/// The uuid of `{BASE}{uuid}` when the suffix is a uuid written the one canonical way
/// (hyphenated, lowercase), so that formatting the 16 bytes gives back the very IRI.
fn uuid_of(iri: &str) -> Option<[u8; 16]> {
    let suffix = iri.strip_prefix(vocab::id::BASE)?;
    if suffix.len() != 36 {
        return None;
    }
    let uuid = Uuid::try_parse(suffix).ok()?;
    let mut text = [0; 36];
    (uuid.hyphenated().encode_lower(&mut text) == suffix).then(|| uuid.into_bytes())
}

/// An `egid:` IRI as a build holds it before nodes get their records.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Name {
    Uuid([u8; 16]),
    Other(Box<str>),
}

impl Name {
    /// The name of an `egid:` IRI; `None` for any other IRI.
    pub(super) fn parse(iri: &str) -> Option<Self> {
        if !iri.starts_with(vocab::id::BASE) {
            return None;
        }
        Some(match uuid_of(iri) {
            Some(uuid) => Self::Uuid(uuid),
            None => Self::Other(iri.into()),
        })
    }

    pub(super) fn iri(&self) -> ResourceIri<'_> {
        match self {
            Self::Uuid(uuid) => ResourceIri::of_uuid(uuid),
            Self::Other(iri) => ResourceIri(IriText::Other(iri)),
        }
    }

    /// IRI order, without formatting uuids when both are uuid IRIs: lowercase hex digits and
    /// hyphens at fixed places sort as the bytes they encode.
    pub(super) fn cmp_iri(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Uuid(a), Self::Uuid(b)) => a.cmp(b),
            _ => self.iri().as_str().cmp(other.iri().as_str()),
        }
    }
}

/// A node's IRI, formatted on the stack from the 16 bytes the projection holds (or borrowed
/// from its side table); [`as_str`](Self::as_str), [`as_ref`](Self::as_ref) and
/// [`into_owned`](Self::into_owned) read it as oxrdf's `NamedNode` would.
#[derive(Clone, Copy)]
pub struct ResourceIri<'a>(IriText<'a>);

#[derive(Clone, Copy)]
enum IriText<'a> {
    Uuid([u8; UUID_IRI_LEN]),
    Other(&'a str),
}

impl<'a> ResourceIri<'a> {
    fn of_uuid(uuid: &[u8; 16]) -> Self {
        let mut text = [0; UUID_IRI_LEN];
        let (base, suffix) = text.split_at_mut(vocab::id::BASE.len());
        base.copy_from_slice(vocab::id::BASE.as_bytes());
        Uuid::from_bytes(*uuid).hyphenated().encode_lower(suffix);
        Self(IriText::Uuid(text))
    }

    pub(super) fn of_key(key: IriKey, others: &'a Table<Box<str>>) -> Self {
        match key {
            IriKey::Uuid(uuid) => Self::of_uuid(&uuid),
            IriKey::Other(id) => Self(IriText::Other(others.item(id))),
        }
    }

    /// The IRI.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Written from ASCII only: the base and lowercase hex digits and hyphens.
            IriText::Uuid(text) => std::str::from_utf8(text).expect("an ASCII IRI"),
            IriText::Other(iri) => iri,
        }
    }

    /// The IRI as a named node.
    pub fn as_ref(&self) -> NamedNodeRef<'_> {
        // The IRI was read from the store, where every IRI is valid.
        NamedNodeRef::new_unchecked(self.as_str())
    }

    /// The IRI as an owned named node.
    pub fn into_owned(self) -> NamedNode {
        self.as_ref().into_owned()
    }
}

impl fmt::Display for ResourceIri<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.as_ref().fmt(f)
    }
}

impl fmt::Debug for ResourceIri<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for ResourceIri<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for ResourceIri<'_> {}

/// The index from IRI to node: node numbers in a hash table keyed by the node's [`IriKey`],
/// which the table reads from the graph instead of copying it.
#[derive(Debug, Clone, Default)]
pub(super) struct IriIndex {
    nodes: HashTable<u32>,
}

impl IriIndex {
    pub(super) fn with_capacity(nodes: usize) -> Self {
        Self {
            nodes: HashTable::with_capacity(nodes),
        }
    }

    pub(super) fn find(&self, graph: &EntityGraph, key: IriKey) -> Option<NodeIndex> {
        self.nodes
            .find(hash_of(&key), |&n| key_of(graph, n) == Some(key))
            .map(|&n| NodeIndex::new(n as usize))
    }

    /// Indexes a node already in `graph`.
    pub(super) fn insert(&mut self, graph: &EntityGraph, node: NodeIndex) {
        let hash = hash_of(&graph[node].key());
        self.nodes.insert_unique(hash, to_u32(node.index()), |&n| {
            key_of(graph, n).map_or(0, |key| hash_of(&key))
        });
    }

    /// Forgets a node still in `graph` (its key gives its place).
    pub(super) fn remove(&mut self, graph: &EntityGraph, node: NodeIndex) {
        let hash = hash_of(&graph[node].key());
        if let Ok(entry) = self.nodes.find_entry(hash, |&n| n as usize == node.index()) {
            entry.remove();
        }
    }

    pub(super) fn bytes(&self) -> usize {
        self.nodes.allocation_size()
    }
}

fn key_of(graph: &EntityGraph, node: u32) -> Option<IriKey> {
    graph
        .node_weight(NodeIndex::new(node as usize))
        .map(ResourceRecord::key)
}

/// Where a record has no label.
pub(super) const NO_LABEL: u32 = u32::MAX;

/// Every node's label in one string: each is its length in base-64 digits (ASCII bytes, so
/// that the arena stays a `String`: 6 bits each, `0x40` on all but the last) then its text,
/// and a node holds the offset of its label.
#[derive(Debug, Clone, Default)]
pub(super) struct Labels {
    text: String,
    /// Bytes of labels no node points to any more, left behind by refreshes.
    left_behind: usize,
}

impl Labels {
    /// The arena as [`Labels::parts`] gave it.
    pub(super) fn from_parts(text: String, left_behind: usize) -> Self {
        Self { text, left_behind }
    }

    /// The arena's text and the bytes in it no node points to.
    pub(super) fn parts(&self) -> (&str, usize) {
        (&self.text, self.left_behind)
    }

    pub(super) fn with_capacity(bytes: usize) -> Self {
        Self {
            text: String::with_capacity(bytes),
            left_behind: 0,
        }
    }

    /// The bytes `label` takes in the arena.
    pub(super) fn encoded_len(label: &str) -> usize {
        let mut digits = 1;
        while label.len() >> (6 * digits) > 0 {
            digits += 1;
        }
        digits + label.len()
    }

    /// Appends a label; the offset to keep, or [`NO_LABEL`].
    pub(super) fn push(&mut self, label: Option<&str>) -> u32 {
        let Some(label) = label else {
            return NO_LABEL;
        };
        // An arena of 4 GiB is a graph of a hundred million labelled nodes, beyond what a
        // projection in memory is for.
        let at = u32::try_from(self.text.len())
            .ok()
            .filter(|&at| at != NO_LABEL)
            .expect("a label arena under 4 GiB");
        let needed = Self::encoded_len(label);
        if self.text.capacity() - self.text.len() < needed {
            // Grow by an eighth rather than double the exactly sized arena of a build.
            self.text.reserve_exact(needed.max(self.text.len() / 8));
        }
        let mut shift = 6 * (needed - label.len() - 1);
        loop {
            let digit = ((label.len() >> shift) & 0x3f) as u8;
            let more = if shift > 0 { 0x40 } else { 0 };
            self.text.push(char::from(digit | more));
            if shift == 0 {
                break;
            }
            shift -= 6;
        }
        self.text.push_str(label);
        at
    }

    pub(super) fn get(&self, at: u32) -> Option<&str> {
        if at == NO_LABEL {
            return None;
        }
        let bytes = self.text.as_bytes();
        let (mut len, mut at) = (0, at as usize);
        loop {
            let digit = bytes[at];
            len = (len << 6) | usize::from(digit & 0x3f);
            at += 1;
            if digit & 0x40 == 0 {
                break;
            }
        }
        Some(&self.text[at..at + len])
    }

    /// Counts the label at `at` as left behind, for a node that changes or loses its label.
    pub(super) fn release(&mut self, at: u32) {
        if let Some(label) = self.get(at) {
            self.left_behind += Self::encoded_len(label);
        }
    }

    /// Whether more than half the arena is left behind.
    pub(super) fn wasteful(&self) -> bool {
        self.left_behind > self.text.len() / 2
    }

    /// Copies the labels still pointed to into an arena of exactly their size.
    pub(super) fn compact<'a>(&mut self, offsets: impl Iterator<Item = &'a mut u32>) {
        let mut compact = Self::with_capacity(self.text.len() - self.left_behind);
        for at in offsets {
            *at = compact.push(self.get(*at));
        }
        *self = compact;
    }

    pub(super) fn bytes(&self) -> usize {
        self.text.capacity()
    }
}

/// A record's flags, above its type set id.
const DESCRIBED: u32 = 1 << 31;
const OTHER_IRI: u32 = 1 << 30;
const TYPE_SET: u32 = OTHER_IRI - 1;

impl ResourceRecord {
    pub(super) fn new(key: IriKey, label: u32, type_set: u32, described: bool) -> Self {
        let (key, other) = match key {
            IriKey::Uuid(uuid) => (uuid, 0),
            IriKey::Other(id) => {
                let mut bytes = [0; 16];
                bytes[..4].copy_from_slice(&id.to_le_bytes());
                (bytes, OTHER_IRI)
            }
        };
        let mut record = Self {
            key,
            label,
            meta: NonZeroU32::MIN,
        };
        record.set_meta(type_set, described, other);
        record
    }

    fn set_meta(&mut self, type_set: u32, described: bool, other: u32) {
        // A billion distinct sets of classes would take a billion nodes first.
        assert!(type_set < TYPE_SET, "fewer than 2^30 type sets");
        let described = if described { DESCRIBED } else { 0 };
        // The type set is stored plus one, so that `meta` is never 0: `Option<ResourceRecord>`
        // uses the zero as `None` and costs no more than the record.
        self.meta = NonZeroU32::new((type_set + 1) | described | other).unwrap_or(NonZeroU32::MIN);
    }

    pub(super) fn key(&self) -> IriKey {
        if self.meta.get() & OTHER_IRI == 0 {
            IriKey::Uuid(self.key)
        } else {
            let mut id = [0; 4];
            id.copy_from_slice(&self.key[..4]);
            IriKey::Other(u32::from_le_bytes(id))
        }
    }

    pub(super) fn label_at(&self) -> u32 {
        self.label
    }

    pub(super) fn label_at_mut(&mut self) -> &mut u32 {
        &mut self.label
    }

    pub(super) fn type_set(&self) -> u32 {
        (self.meta.get() & TYPE_SET) - 1
    }

    pub(super) fn described(&self) -> bool {
        self.meta.get() & DESCRIBED != 0
    }

    pub(super) fn set_description(&mut self, type_set: u32, described: bool) {
        let other = self.meta.get() & OTHER_IRI;
        self.set_meta(type_set, described, other);
    }
}

impl RelationId {
    pub(super) fn of(index: u32) -> Self {
        // Stored plus one for the niche, as a record's type set.
        Self(NonZeroU32::new(index + 1).unwrap_or(NonZeroU32::MAX))
    }

    pub(super) fn index(self) -> u32 {
        self.0.get() - 1
    }
}

/// The graphs, after the first, of the edges asserted in more than one graph: (edge, graph)
/// pairs, found by the edge's hash. Rare (one edge in twenty on generated graphs), so kept
/// aside rather than in every edge.
#[derive(Debug, Clone, Default)]
pub(super) struct MoreGraphs {
    pairs: HashTable<(u32, u32)>,
}

impl MoreGraphs {
    pub(super) fn with_capacity(pairs: usize) -> Self {
        Self {
            pairs: HashTable::with_capacity(pairs),
        }
    }

    /// The graphs of `edge` after its first, sorted.
    pub(super) fn of(&self, edge: EdgeIndex) -> Vec<GraphId> {
        let edge = to_u32(edge.index());
        let mut graphs: Vec<GraphId> = self
            .pairs
            .iter_hash(hash_of(&edge))
            .filter(|&&(e, _)| e == edge)
            .map(|&(_, g)| GraphId(g))
            .collect();
        graphs.sort_unstable();
        graphs
    }

    /// Sets the graphs of `edge` after its first.
    pub(super) fn set(&mut self, edge: EdgeIndex, graphs: &[GraphId]) {
        self.remove(edge);
        let edge = to_u32(edge.index());
        for graph in graphs {
            self.pairs
                .insert_unique(hash_of(&edge), (edge, graph.0), |(e, _)| hash_of(e));
        }
    }

    pub(super) fn remove(&mut self, edge: EdgeIndex) {
        let edge = to_u32(edge.index());
        while let Ok(entry) = self.pairs.find_entry(hash_of(&edge), |&(e, _)| e == edge) {
            entry.remove();
        }
    }

    pub(super) fn bytes(&self) -> usize {
        self.pairs.allocation_size()
    }

    /// Every (edge, graph) pair, in no particular order.
    pub(super) fn pairs(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.pairs.iter().copied()
    }

    /// The pairs listed by [`MoreGraphs::pairs`], held again.
    pub(super) fn from_pairs(pairs: Vec<(u32, u32)>) -> Self {
        let mut more = Self::with_capacity(pairs.len());
        for (edge, graph) in pairs {
            more.pairs
                .insert_unique(hash_of(&edge), (edge, graph), |(e, _)| hash_of(e));
        }
        more
    }
}

/// The `egid:` IRI of a subject, if it is one.
pub(super) fn resource_of_subject<'a>(subject: NamedOrBlankNodeRef<'a>) -> Option<&'a str> {
    match subject {
        NamedOrBlankNodeRef::NamedNode(node) if is_resource(node.as_str()) => Some(node.as_str()),
        _ => None,
    }
}

/// The `egid:` IRI of an object, if it is one.
pub(super) fn resource_of_object<'a>(object: TermRef<'a>) -> Option<&'a str> {
    match object {
        TermRef::NamedNode(node) if is_resource(node.as_str()) => Some(node.as_str()),
        _ => None,
    }
}

fn is_resource(iri: &str) -> bool {
    iri.starts_with(vocab::id::BASE)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_canonical_uuid_iris_are_held_as_16_bytes() {
        let iri = format!("{}0b6e0d4c-8f2a-5f3e-9c1d-2a3b4c5d6e7f", vocab::id::BASE);
        let uuid = uuid_of(&iri).unwrap();
        assert_eq!(ResourceIri::of_uuid(&uuid).as_str(), iri);
        for other in [
            iri.to_uppercase(),
            format!("{}0B6E0D4C-8F2A-5F3E-9C1D-2A3B4C5D6E7F", vocab::id::BASE),
            format!("{}0b6e0d4c8f2a5f3e9c1d2a3b4c5d6e7f", vocab::id::BASE),
            format!("{}{{0b6e0d4c-8f2a-5f3e-9c1d-2a3b4c5d6e7}}", vocab::id::BASE),
            format!("{}us", vocab::id::BASE),
            format!("{iri}#x"),
        ] {
            assert_eq!(uuid_of(&other), None, "{other}");
        }
    }

    #[test]
    fn labels_of_any_length_read_back() {
        let mut labels = Labels::default();
        let texts: Vec<String> = [0, 1, 63, 64, 4095, 4096, 300_000]
            .iter()
            .map(|&n| "é".repeat(n / 2) + &"x".repeat(n % 2))
            .collect();
        let offsets: Vec<u32> = texts.iter().map(|t| labels.push(Some(t))).collect();
        for (text, &at) in texts.iter().zip(&offsets) {
            assert_eq!(labels.get(at), Some(text.as_str()));
        }
        assert_eq!(
            labels.text.len(),
            texts.iter().map(|t| Labels::encoded_len(t)).sum::<usize>()
        );
        let none = labels.push(None);
        assert_eq!(labels.get(none), None);
    }

    #[test]
    fn records_keep_their_key_types_and_flag() {
        for key in [IriKey::Uuid([7; 16]), IriKey::Other(12)] {
            let mut record = ResourceRecord::new(key, 3, 5, true);
            assert_eq!(
                (record.key(), record.type_set(), record.described()),
                (key, 5, true)
            );
            record.set_description(0, false);
            assert_eq!(
                (record.key(), record.type_set(), record.described()),
                (key, 0, false)
            );
        }
    }
}
