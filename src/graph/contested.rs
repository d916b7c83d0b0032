//! Relations the sources give differently, found from the evidence the projection holds per
//! edge (`projection::evidence`): relations one statement asserts and another denies
//! ([`disputed`]), and relations that only one publisher stands behind ([`single_publisher`]).
//! Both look only at the statements that pass a request's provenance filter
//! ([`EdgeTest::passes`]) and only at edges the filter lets through ([`EdgeTest::allows`]),
//! so that "contested as of 2023-10-31" or "contested among these publishers" is one request.
//!
//! Both scan the edges of the projection once, from memory: O(E · s) for E edges of s
//! distinct evidences each, no store read. This module judges; it does not read statements
//! (the HTTP edge lists them from the catalog).

use petgraph::stable_graph::EdgeIndex;

use super::provenance::EdgeTest;
use super::{Evidence, Projection};
use crate::vocab::eg;

/// Who stands behind a statement, for counting independent publishers: the publisher of its
/// source document, else the document itself (a document without a publisher counts as its
/// own), else nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Backer {
    /// The publisher (an agent id) of the statement's source document.
    Publisher(u32),
    /// A source document (its id) without a publisher.
    Document(u32),
}

/// Who stands behind one evidence, if anyone.
#[inline]
pub fn backer(projection: &Projection, evidence: &Evidence) -> Option<Backer> {
    let source = evidence.source()?;
    Some(match projection.publisher_of_source(source) {
        Some(publisher) => Backer::Publisher(publisher),
        None => Backer::Document(source),
    })
}

/// The edges, in index order, among whose passing statements one is denied (`eg:Denied`)
/// and another is not: what one source asserts (or holds possible) and another denies.
///
/// # Complexity
/// O(E · s), from memory.
pub fn disputed(projection: &Projection, test: &EdgeTest<'_>) -> Vec<EdgeIndex> {
    let Some(denied) = projection.modality_id(eg::DENIED) else {
        return Vec::new();
    };
    projection
        .graph()
        .edge_indices()
        .filter(|&edge| {
            let (mut denies, mut holds) = (false, false);
            for evidence in projection.evidence(edge).filter(|e| test.passes(e)) {
                if evidence.modality() == Some(denied) {
                    denies = true;
                } else {
                    holds = true;
                }
            }
            denies && holds && test.allows(edge)
        })
        .collect()
}

/// The edges, in index order, whose passing statements all come from one publisher (or one
/// document without publisher), with that backer: the relations nobody else confirms.
///
/// # Complexity
/// O(E · s), from memory.
pub fn single_publisher(projection: &Projection, test: &EdgeTest<'_>) -> Vec<(EdgeIndex, Backer)> {
    projection
        .graph()
        .edge_indices()
        .filter_map(|edge| {
            let mut only: Option<Backer> = None;
            for evidence in projection.evidence(edge).filter(|e| test.passes(e)) {
                let backer = backer(projection, evidence)?;
                match only {
                    None => only = Some(backer),
                    Some(seen) if seen != backer => return None,
                    Some(_) => {}
                }
            }
            let backer = only?;
            test.allows(edge).then_some((edge, backer))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use oxigraph::model::vocab::{rdf, rdfs, xsd};
    use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, Quad, Term};

    use super::*;
    use crate::graph::{EvidenceFilter, ProjectionOptions};
    use crate::vocab;

    fn id(name: &str) -> NamedNode {
        NamedNode::new_unchecked(format!("{}{name}", vocab::id::BASE))
    }

    /// `us contactsVia hamas`: asserted in doc1 (publisher a), denied in doc2 (publisher b)
    /// on a later day; `us partOf nato`: asserted twice in doc1; `hamas partOf nato`: no
    /// statement.
    fn projection() -> Projection {
        let mut quads = Vec::new();
        let g: GraphName = id("doc1").into();
        let mut add = |s: NamedNode, p: NamedNodeRef<'_>, o: Term| {
            quads.push(Quad::new(s, p, o, g.clone()));
        };
        for name in ["us", "hamas", "nato"] {
            add(id(name), rdf::TYPE, eg::STATE.into_owned().into());
            add(
                id(name),
                rdfs::LABEL,
                Literal::new_simple_literal(name).into(),
            );
        }
        add(id("us"), eg::CONTACTS_VIA, id("hamas").into());
        add(id("us"), eg::PART_OF, id("nato").into());
        add(id("hamas"), eg::PART_OF, id("nato").into());
        for (doc, publisher) in [("doc1", "a"), ("doc2", "b")] {
            add(id(doc), rdf::TYPE, eg::SOURCE_DOCUMENT.into_owned().into());
            add(id(doc), vocab::publisher::DCTERMS, id(publisher).into());
        }
        let statements = [
            (
                "st1",
                "us",
                eg::CONTACTS_VIA,
                "hamas",
                "doc1",
                "2023-10-31",
                eg::ASSERTED,
            ),
            (
                "st2",
                "us",
                eg::CONTACTS_VIA,
                "hamas",
                "doc2",
                "2023-11-02",
                eg::DENIED,
            ),
            (
                "st3",
                "us",
                eg::PART_OF,
                "nato",
                "doc1",
                "2023-10-31",
                eg::ASSERTED,
            ),
            (
                "st4",
                "us",
                eg::PART_OF,
                "nato",
                "doc1",
                "2023-11-01",
                eg::POSSIBLE,
            ),
        ];
        for (st, s, p, o, doc, on, modality) in statements {
            add(id(st), rdf::TYPE, eg::STATEMENT.into_owned().into());
            add(id(st), rdf::SUBJECT, id(s).into());
            add(id(st), rdf::PREDICATE, p.into_owned().into());
            add(id(st), rdf::OBJECT, id(o).into());
            add(id(st), eg::SOURCE, id(doc).into());
            add(id(st), eg::SPEAKER, id(doc).into());
            add(
                id(st),
                eg::STATED_ON,
                Literal::new_typed_literal(on, xsd::DATE).into(),
            );
            add(id(st), eg::MODALITY, modality.into_owned().into());
        }
        Projection::from_quads(quads.iter().map(Quad::as_ref), ProjectionOptions::default())
    }

    fn names(projection: &Projection, edges: impl IntoIterator<Item = EdgeIndex>) -> Vec<String> {
        let mut names: Vec<String> = edges
            .into_iter()
            .map(|edge| {
                let (s, o, relation) = projection.relation(edge).unwrap();
                let label = |n| projection.resource(n).unwrap().label().unwrap().to_owned();
                format!(
                    "{} {} {}",
                    label(s),
                    vocab::local_name(projection.predicate(relation.predicate).as_str()),
                    label(o)
                )
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_relation_asserted_and_denied_is_disputed_until_the_denial_is_filtered_out() {
        let p = projection();
        let open = EvidenceFilter::default();
        assert_eq!(
            names(&p, disputed(&p, &p.edge_test(&open))),
            ["us contactsVia hamas"]
        );
        let before_denial = open.with_as_of(crate::model::day_number("2023-11-01"));
        assert!(disputed(&p, &p.edge_test(&before_denial)).is_empty());
    }

    #[test]
    fn a_relation_from_one_publisher_only_is_single_sourced_and_unsourced_ones_are_not() {
        let p = projection();
        let open = EvidenceFilter::default();
        let found = single_publisher(&p, &p.edge_test(&open));
        assert_eq!(names(&p, found.iter().map(|(e, _)| *e)), ["us partOf nato"]);
        let a = p.agent_id(id("a").as_ref()).unwrap();
        assert_eq!(found[0].1, Backer::Publisher(a));
        // Without the denial (from publisher b), the contact is publisher a's alone.
        let asserted = open.with_modalities(vec![eg::ASSERTED.into_owned()]);
        assert_eq!(
            names(
                &p,
                single_publisher(&p, &p.edge_test(&asserted))
                    .into_iter()
                    .map(|(e, _)| e)
            ),
            ["us contactsVia hamas", "us partOf nato"]
        );
    }
}
