//! The graph projection: on the seed, against SPARQL on generated graphs, and kept in step
//! with writes.

use std::collections::BTreeSet;

use eventgraph::config::StoreLocation;
use eventgraph::graph::rankings::{self, PageRankOptions};
use eventgraph::graph::{
    Direction, EvidenceFilter, PathWeight, Projection, best_supported_paths, generate::generate,
    k_shortest_paths, neighborhood, shortest_path,
};
use eventgraph::model::EntityId;
use eventgraph::sparql::remote::RemoteAccess;
use eventgraph::sparql::{DatasetRequest, ParsedQuery};
use eventgraph::store::Store;
use eventgraph::vocab;
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, Quad, Term};
use oxigraph::sparql::{CancellationToken, QueryResults};
use petgraph::stable_graph::NodeIndex;
use proptest::prelude::*;

fn seeded_store() -> Store {
    let store = Store::open(&StoreLocation::Memory).unwrap();
    store.seed_if_empty().unwrap();
    store
}

fn store_of(quads: &[Quad]) -> Store {
    let store = Store::open(&StoreLocation::Memory).unwrap();
    store.oxigraph().extend(quads.iter().cloned()).unwrap();
    store
}

fn entity(label: &str) -> NamedNode {
    EntityId::from_canonical_name(label).iri()
}

fn evaluate(store: &Store, query: &str) -> QueryResults<'static> {
    let dataset = DatasetRequest {
        union_default_graph: true,
        ..DatasetRequest::default()
    };
    ParsedQuery::parse(query, None)
        .unwrap_or_else(|e| panic!("{e}: {query}"))
        .evaluate(
            store,
            &dataset,
            CancellationToken::new(),
            &RemoteAccess::none(),
        )
        .unwrap()
}

/// The values of the first variable of a SELECT.
fn select_column(store: &Store, query: &str) -> BTreeSet<String> {
    let QueryResults::Solutions(solutions) = evaluate(store, query) else {
        panic!("not a SELECT: {query}");
    };
    solutions
        .map(|solution| {
            let solution = solution.unwrap();
            match solution.iter().next().map(|(_, term)| term.clone()) {
                Some(Term::NamedNode(n)) => n.into_string(),
                Some(Term::Literal(l)) => l.value().to_owned(),
                other => panic!("unexpected {other:?}"),
            }
        })
        .collect()
}

fn ask(store: &Store, query: &str) -> bool {
    let QueryResults::Boolean(answer) = evaluate(store, query) else {
        panic!("not an ASK: {query}");
    };
    answer
}

fn iri_of(projection: &Projection, node: NodeIndex) -> String {
    projection.resource(node).unwrap().iri().as_str().to_owned()
}

/// Everything a projection says, by IRI: nodes (IRI, label, classes, event days) and edges
/// (subject, predicate, object, graphs, evidence).
type Canonical = (
    BTreeSet<(String, Option<String>, Vec<String>, String)>,
    BTreeSet<(String, String, String, Vec<String>, Vec<String>)>,
);

/// An edge's evidence by IRIs and days: source, publisher, speaker, day, modality, confirmed.
fn evidence_of(projection: &Projection, edge: petgraph::stable_graph::EdgeIndex) -> Vec<String> {
    let mut all: Vec<String> = projection
        .evidence(edge)
        .map(|e| {
            let source = e.source();
            format!(
                "{:?} {:?} {:?} {:?} {:?} {}",
                source.map(|s| projection.source_iri(s).as_str().to_owned()),
                source
                    .and_then(|s| projection.publisher_of_source(s))
                    .map(|p| projection.agent_iri(p).as_str().to_owned()),
                e.speaker()
                    .map(|s| projection.agent_iri(s).as_str().to_owned()),
                e.day(),
                e.modality()
                    .map(|m| projection.modality_iri(m).as_str().to_owned()),
                e.confirmed()
            )
        })
        .collect();
    all.sort();
    // The per-edge digest the fast filters read agrees with the statements, around every
    // day they carry.
    let days: Vec<i32> = projection.evidence(edge).filter_map(|e| e.day()).collect();
    for probe in days.iter().flat_map(|&d| [d - 1, d, d + 1]) {
        assert_eq!(
            projection.made_by(edge, probe),
            Some(days.iter().any(|&d| d <= probe)),
            "the digest's earliest day of edge {edge:?}, on day {probe}"
        );
    }
    assert_eq!(
        projection.any_confirmed(edge),
        projection.evidence(edge).any(|e| e.confirmed()),
        "the digest's confirmation of edge {edge:?}"
    );
    all
}

/// What differs between a refreshed projection and a rebuilt one, for a readable failure.
fn difference(refreshed: &Canonical, rebuilt: &Canonical) -> String {
    let nodes: Vec<_> = refreshed.0.symmetric_difference(&rebuilt.0).collect();
    let edges: Vec<_> = refreshed.1.symmetric_difference(&rebuilt.1).collect();
    if nodes.is_empty() && edges.is_empty() {
        String::new()
    } else {
        format!("nodes differing: {nodes:#?}\nedges differing: {edges:#?}")
    }
}

fn canonical(projection: &Projection) -> Canonical {
    let nodes = projection
        .graph()
        .node_indices()
        .map(|n| {
            let resource = projection.resource(n).unwrap();
            let mut types: Vec<String> = resource
                .types()
                .iter()
                .map(|&c| projection.class(c).as_str().to_owned())
                .collect();
            types.sort();
            (
                resource.iri().as_str().to_owned(),
                resource.label().map(str::to_owned),
                types,
                format!("{:?}", projection.event_days(n)),
            )
        })
        .collect();
    let edges = projection
        .graph()
        .edge_indices()
        .map(|e| {
            let triple = projection.triple(e).unwrap();
            let mut graphs: Vec<String> = projection
                .graphs_of(e)
                .into_iter()
                .map(|g| projection.graph_name(g).to_string())
                .collect();
            graphs.sort();
            (
                triple.subject.to_string(),
                triple.predicate.as_str().to_owned(),
                triple.object.to_string(),
                graphs,
                evidence_of(projection, e),
            )
        })
        .collect();
    (nodes, edges)
}

#[test]
fn the_seed_projects_entities_events_and_figures_but_no_statement_or_document() {
    let store = seeded_store();
    let projection = Projection::build(&store).unwrap();
    let stats = projection.stats();
    assert_eq!(stats.nodes, 44 + 30 + 6, "entities, events and figures");
    let direct = select_column(
        &store,
        "PREFIX eg: <https://w3id.org/eventgraph/ontology#>
         PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
         PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
         SELECT (COUNT(*) AS ?n) WHERE {
           { SELECT DISTINCT ?s ?p ?o WHERE {
               ?s ?p ?o
               FILTER(isIRI(?o) && ?p != rdf:type)
               FILTER(STRSTARTS(STR(?s), 'https://w3id.org/eventgraph/id/'))
               FILTER(STRSTARTS(STR(?o), 'https://w3id.org/eventgraph/id/'))
               FILTER EXISTS { { ?s a ?class } UNION { ?s rdfs:label ?label } }
               FILTER NOT EXISTS { ?s a eg:Statement } FILTER NOT EXISTS { ?s a eg:SourceDocument }
               FILTER NOT EXISTS { ?o a eg:Statement } FILTER NOT EXISTS { ?o a eg:SourceDocument }
           } }
         }",
    );
    assert_eq!(
        direct,
        BTreeSet::from([stats.edges.to_string()]),
        "one edge per direct triple between two entities"
    );
    assert!(stats.edges > 100, "{stats:?}");
    let statement = projection
        .class_filter(vocab::eg::STATEMENT, false)
        .err()
        .is_some();
    assert!(statement, "no node is a statement, so the class is unknown");
    assert!(stats.estimated_bytes > stats.edges * 28);
}

#[test]
fn the_united_states_reach_hamas_directly_and_through_the_contact_event() {
    let store = seeded_store();
    let projection = Projection::build(&store).unwrap();
    let us = projection.entity(entity("United States").as_ref()).unwrap();
    let hamas = projection.entity(entity("Hamas").as_ref()).unwrap();
    let direct = shortest_path(projection.graph(), us, hamas, 4, Direction::Out).unwrap();
    assert_eq!(direct.len(), 1);
    assert_eq!(
        projection.triple(direct.edges[0]).unwrap().predicate,
        vocab::eg::CONTACTS_VIA
    );

    let contact = entity("Contacts of the United States with Hamas through Qatar");
    let paths = k_shortest_paths(projection.graph(), us, hamas, 5, 3, Direction::Both);
    assert_eq!(paths[0], direct, "the shortest path comes first");
    let through_contact = paths
        .iter()
        .find(|p| p.len() == 2 && iri_of(&projection, p.nodes[1]) == contact.as_str())
        .expect("a path US ← agent – contact – counterpart → Hamas");
    let steps: Vec<NamedNode> = through_contact
        .edges
        .iter()
        .map(|&e| projection.triple(e).unwrap().predicate)
        .collect();
    assert_eq!(
        steps,
        vec![
            vocab::eg::AGENT.into_owned(),
            vocab::eg::COUNTERPART.into_owned()
        ]
    );
    assert!(paths.windows(2).all(|w| w[0].len() <= w[1].len()));
    assert_eq!(
        paths,
        k_shortest_paths(projection.graph(), us, hamas, 5, 3, Direction::Both),
        "the same answer every time"
    );
    assert!(shortest_path(projection.graph(), hamas, us, 4, Direction::Out).is_none());
}

#[test]
fn qatars_neighbourhood_holds_the_contact_event_and_a_predicate_filter_narrows_it() {
    let store = seeded_store();
    let projection = Projection::build(&store).unwrap();
    let qatar = projection.entity(entity("Qatar").as_ref()).unwrap();
    let contact = projection
        .entity(entity("Contacts of the United States with Hamas through Qatar").as_ref())
        .unwrap();
    let around = neighborhood(projection.graph(), qatar, 1, Direction::Both, 100);
    assert_eq!(around.nodes[0], (qatar, 0));
    assert!(around.nodes.contains(&(contact, 1)), "{around:?}");
    let contact_resource = projection.resource(contact).unwrap();
    assert_eq!(
        contact_resource.label(),
        Some("Contacts of the United States with Hamas through Qatar")
    );
    let filter = projection
        .class_filter(vocab::eg::CONTACT_THROUGH_INTERMEDIARY, false)
        .unwrap();
    assert!(projection.is_a(contact, &filter));

    let intermediary = projection
        .predicate_ids(&[vocab::eg::INTERMEDIARY])
        .unwrap();
    let view = projection.view(Some(&intermediary));
    let narrow = neighborhood(&view, qatar, 2, Direction::Both, 100);
    let labels: BTreeSet<&str> = narrow
        .nodes
        .iter()
        .filter_map(|&(n, _)| projection.resource(n).unwrap().label())
        .collect();
    assert!(labels.contains("Contacts of the United States with Hamas through Qatar"));
    assert!(labels.contains("Government of Qatar"), "{labels:?}");
    assert!(!labels.contains("Hamas"), "eg:counterpart is filtered out");
    let two_hops = neighborhood(projection.graph(), qatar, 2, Direction::Both, 5);
    assert_eq!(two_hops.nodes.len(), 5);
    assert!(two_hops.truncated);
    assert_eq!(
        projection.entity(NamedNodeRef::new_unchecked(
            "https://w3id.org/eventgraph/id/nothing"
        )),
        Err(eventgraph::graph::TraversalError::UnknownEntity {
            iri: "https://w3id.org/eventgraph/id/nothing".to_owned()
        })
    );
}

#[test]
fn rankings_of_the_seed_keep_the_type_asked_for_and_repeat_themselves() {
    let store = seeded_store();
    let projection = Projection::build(&store).unwrap();
    let graph = projection.graph();
    let actors = projection.class_filter(vocab::eg::ACTOR, true).unwrap();
    let states = projection.class_filter(vocab::eg::STATE, false).unwrap();
    assert!(
        projection.is_a(
            projection.entity(entity("Qatar").as_ref()).unwrap(),
            &actors
        ),
        "a state is an actor through rdfs:subClassOf"
    );
    for scores in [
        rankings::degree(graph, Direction::Both),
        rankings::pagerank(graph, Direction::Both, &PageRankOptions::default()),
        rankings::betweenness(graph, Direction::Both),
    ] {
        let top = rankings::top_n(graph, &scores, |n| projection.is_a(n, &states), 3);
        assert_eq!(top.len(), 3);
        assert!(top.iter().all(|r| projection.is_a(r.node, &states)));
        assert!(top.windows(2).all(|w| w[0].score >= w[1].score));
        let all = rankings::top_n(graph, &scores, |_| true, usize::MAX);
        assert_eq!(all.len(), 80);
    }
    let pagerank = rankings::pagerank(graph, Direction::Out, &PageRankOptions::default());
    assert!((pagerank.iter().sum::<f64>() - 1.0).abs() < 1e-6);
    let betweenness = rankings::betweenness(graph, Direction::Both);
    assert_eq!(betweenness, rankings::betweenness(graph, Direction::Both));
    let top = rankings::top_n(graph, &betweenness, |n| projection.is_a(n, &actors), 1);
    assert!(top[0].score > 0.0);
}

#[test]
fn refreshing_after_writes_to_the_seed_gives_what_a_rebuild_gives() {
    let store = seeded_store();
    let mut projection = Projection::build(&store).unwrap();
    let graph: oxigraph::model::GraphName = entity("Another article").into();
    let russia = entity("Russia");
    let hamas = entity("Hamas");
    let newcomer = entity("Someone new");
    let written = vec![
        Quad::new(
            russia.clone(),
            vocab::eg::CONTACTS_VIA,
            hamas.clone(),
            graph.clone(),
        ),
        Quad::new(
            entity("United States"),
            vocab::eg::CONTACTS_VIA,
            hamas.clone(),
            graph.clone(),
        ),
        Quad::new(
            newcomer.clone(),
            vocab::eg::PART_OF,
            hamas.clone(),
            graph.clone(),
        ),
        Quad::new(
            newcomer.clone(),
            oxigraph::model::vocab::rdfs::LABEL,
            oxigraph::model::Literal::new_language_tagged_literal_unchecked("Someone new", "en"),
            graph.clone(),
        ),
    ];
    store.oxigraph().extend(written.iter().cloned()).unwrap();
    // As the server does: the store reads made ahead, then the refresh from them.
    let prefetched = projection
        .prefetch(&store, written.iter().map(Quad::as_ref))
        .unwrap();
    assert!(!prefetched.is_empty());
    let report = projection
        .refresh_prefetched(&store, written.iter().map(Quad::as_ref), &prefetched)
        .unwrap();
    assert_eq!(report.nodes_added, 1);
    assert_eq!(report.edges_added, 2, "{report:?}");
    assert_eq!(
        report.store_reads, 0,
        "the prefetch foresaw every read: {report:?}"
    );
    assert_eq!(
        canonical(&projection),
        canonical(&Projection::build(&store).unwrap())
    );

    // Remove what was written, and the Qatar contact event's type and label: it stays a node
    // through its edges, untyped.
    let contact = entity("Contacts of the United States with Hamas through Qatar");
    let mut removed = written.clone();
    removed.extend(
        store
            .oxigraph()
            .quads_for_pattern(Some(contact.as_ref().into()), None, None, None)
            .map(Result::unwrap)
            .filter(|q| {
                q.predicate == oxigraph::model::vocab::rdf::TYPE
                    || q.predicate == oxigraph::model::vocab::rdfs::LABEL
            }),
    );
    for quad in &removed {
        store.oxigraph().remove(quad).unwrap();
    }
    projection
        .refresh(&store, removed.iter().map(Quad::as_ref))
        .unwrap();
    assert_eq!(
        canonical(&projection),
        canonical(&Projection::build(&store).unwrap())
    );
    let contact = projection.entity(contact.as_ref()).unwrap();
    assert_eq!(projection.resource(contact).unwrap().label(), None);
}

/// The quads of `projection`'s graph plus, for each of its edges, 0 to 3 more statements from
/// four documents (three publishers, one document without) by three speakers, on three days,
/// with both modalities and some confirmations: several statements per edge for the filters.
fn with_statements(projection: &Projection, quads: &[Quad], seed: u64) -> Vec<Quad> {
    let base = vocab::id::BASE;
    let iri = |local: String| NamedNode::new_unchecked(format!("{base}{local}"));
    let graph: GraphName = iri("filters".into()).into();
    let mut out = quads.to_vec();
    let mut add = |s: NamedNode, p: NamedNodeRef<'_>, o: Term| {
        out.push(Quad::new(s, p, o, graph.clone()));
    };
    for doc in 0..4 {
        add(
            iri(format!("doc-{doc}")),
            oxigraph::model::vocab::rdf::TYPE,
            vocab::eg::SOURCE_DOCUMENT.into_owned().into(),
        );
        if doc < 3 {
            add(
                iri(format!("doc-{doc}")),
                NamedNodeRef::new_unchecked("http://purl.org/dc/terms/publisher"),
                iri(format!("publisher-{doc}")).into(),
            );
        }
    }
    let mut random = seed | 1;
    let mut next = |below: u64| {
        random ^= random << 13;
        random ^= random >> 7;
        random ^= random << 17;
        random % below
    };
    let mut n = 0;
    for edge in projection.graph().edge_indices() {
        let triple = projection.triple(edge).unwrap();
        for _ in 0..next(4) {
            let st = iri(format!("st-{n}"));
            n += 1;
            let rdf = oxigraph::model::vocab::rdf::TYPE;
            add(st.clone(), rdf, vocab::eg::STATEMENT.into_owned().into());
            let subject = match &triple.subject {
                oxigraph::model::NamedOrBlankNode::NamedNode(node) => node.clone(),
                other => panic!("{other}"),
            };
            add(
                st.clone(),
                oxigraph::model::vocab::rdf::SUBJECT,
                subject.into(),
            );
            add(
                st.clone(),
                oxigraph::model::vocab::rdf::PREDICATE,
                triple.predicate.clone().into(),
            );
            add(
                st.clone(),
                oxigraph::model::vocab::rdf::OBJECT,
                triple.object.clone(),
            );
            add(
                st.clone(),
                vocab::eg::SOURCE,
                iri(format!("doc-{}", next(4))).into(),
            );
            add(
                st.clone(),
                vocab::eg::SPEAKER,
                iri(format!("speaker-{}", next(3))).into(),
            );
            let day = format!("2023-10-{}", 29 + next(3));
            let day = Literal::new_typed_literal(day, oxigraph::model::vocab::xsd::DATE);
            if next(4) == 0 {
                add(st.clone(), vocab::eg::STATED_NOT_AFTER, day.into());
            } else {
                add(st.clone(), vocab::eg::STATED_ON, day.into());
            }
            let modality = if next(3) == 0 {
                vocab::eg::POSSIBLE
            } else {
                vocab::eg::ASSERTED
            };
            add(
                st.clone(),
                vocab::eg::MODALITY,
                modality.into_owned().into(),
            );
            if next(5) == 0 {
                add(
                    st.clone(),
                    vocab::eg::CONFIRMED_BY,
                    iri(format!("st-{}", n + 1)).into(),
                );
            }
        }
    }
    out
}

/// The filter numbered `pick`, and the SPARQL that selects the direct triples it lets pass,
/// written over statement nodes.
fn filter_and_sparql(pick: u32) -> (EvidenceFilter, String) {
    let base = vocab::id::BASE;
    let day = |d: &str| eventgraph::model::day_number(d);
    let f = EvidenceFilter::default();
    let (filter, conditions, having) = match pick % 10 {
        0 => (
            f.with_said_by(vec![NamedNode::new_unchecked(format!("{base}speaker-1"))]),
            format!("?st eg:speaker <{base}speaker-1> ."),
            String::new(),
        ),
        1 => (
            f.with_sources(vec![NamedNode::new_unchecked(format!("{base}publisher-0"))]),
            format!("FILTER(?doc = <{base}publisher-0> || ?pub = <{base}publisher-0>)"),
            String::new(),
        ),
        2 => (
            f.with_excluded_sources(vec![
                NamedNode::new_unchecked(format!("{base}doc-3")),
                NamedNode::new_unchecked(format!("{base}publisher-1")),
            ]),
            format!(
                "FILTER(!(COALESCE(?doc IN (<{base}doc-3>, <{base}publisher-1>), false) \
                 || COALESCE(?pub IN (<{base}doc-3>, <{base}publisher-1>), false)))"
            ),
            String::new(),
        ),
        3 => (
            f.with_min_sources(Some(2)),
            String::new(),
            "HAVING (COUNT(DISTINCT ?who) >= 2)".to_owned(),
        ),
        4 => (
            f.with_confirmed(true),
            String::new(),
            "HAVING (SUM(IF(?confirmed, 1, 0)) > 0)".to_owned(),
        ),
        5 => (
            f.with_modalities(vec![vocab::eg::POSSIBLE.into_owned()]),
            "?st eg:modality eg:Possible .".to_owned(),
            String::new(),
        ),
        6 => (
            f.with_as_of(day("2023-10-30")),
            "FILTER(COALESCE(?on, ?na) <= \"2023-10-30\"^^xsd:date)".to_owned(),
            String::new(),
        ),
        7 => (
            f.with_as_of(day("2023-10-30")).with_min_sources(Some(2)),
            "FILTER(COALESCE(?on, ?na) <= \"2023-10-30\"^^xsd:date)".to_owned(),
            "HAVING (COUNT(DISTINCT ?who) >= 2)".to_owned(),
        ),
        8 => (
            f.with_as_of(day("2023-10-30")).with_confirmed(true),
            "FILTER(COALESCE(?on, ?na) <= \"2023-10-30\"^^xsd:date)".to_owned(),
            "HAVING (SUM(IF(?confirmed, 1, 0)) > 0)".to_owned(),
        ),
        _ => (
            f.with_said_by(vec![NamedNode::new_unchecked(format!("{base}speaker-0"))])
                .with_confirmed(true),
            format!("?st eg:speaker <{base}speaker-0> ."),
            "HAVING (SUM(IF(?confirmed, 1, 0)) > 0)".to_owned(),
        ),
    };
    let sparql = format!(
        "PREFIX eg: <{eg}> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> \
         PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> \
         SELECT (CONCAT(STR(?s), ' ', STR(?p), ' ', STR(?o)) AS ?triple) WHERE {{ \
           ?st a eg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . \
           OPTIONAL {{ ?st eg:source ?doc OPTIONAL {{ ?doc <http://purl.org/dc/terms/publisher> ?pub }} }} \
           OPTIONAL {{ ?st eg:statedOn ?on }} OPTIONAL {{ ?st eg:statedNotAfter ?na }} \
           BIND(EXISTS {{ {{ ?st eg:confirmedBy ?c }} UNION {{ ?st eg:confirms ?c }} }} AS ?confirmed) \
           BIND(COALESCE(?pub, ?doc) AS ?who) \
           {conditions} \
         }} GROUP BY ?s ?p ?o {having}",
        eg = vocab::eg::NAMESPACE,
    );
    (filter, sparql)
}

/// Each passing triple's weights as SPARQL counts them over the statements that pass the
/// filter: its distinct publishers (else documents) and its latest statement day.
fn triple_weights(
    store: &Store,
    sparql: &str,
) -> std::collections::BTreeMap<String, (i32, Option<i32>)> {
    let query = sparql.replacen(
        "AS ?triple) WHERE",
        "AS ?triple) (COUNT(DISTINCT ?who) AS ?n) (MAX(COALESCE(?on, ?na)) AS ?latest) WHERE",
        1,
    );
    let QueryResults::Solutions(solutions) = evaluate(store, &query) else {
        panic!("not a SELECT: {query}");
    };
    solutions
        .map(|solution| {
            let solution = solution.unwrap();
            let text = |name: &str| match solution.get(name) {
                Some(Term::Literal(l)) => Some(l.value().to_owned()),
                _ => None,
            };
            let n = text("n").and_then(|n| n.parse().ok()).unwrap_or(0);
            let latest = text("latest").and_then(|d| eventgraph::model::day_number(&d));
            (text("triple").unwrap(), (n, latest.filter(|&d| d >= 0)))
        })
        .collect()
}

/// Every simple path from `start` to `target` of at most `max_length` steps over `edges`
/// (subject, object, weight) in `direction`, each as its weakest weight and length.
fn weakest_links(
    edges: &[(NodeIndex, NodeIndex, Option<i32>)],
    start: NodeIndex,
    target: NodeIndex,
    max_length: usize,
    direction: Direction,
) -> Vec<(Option<i32>, usize)> {
    #[allow(clippy::too_many_arguments)]
    fn walk(
        edges: &[(NodeIndex, NodeIndex, Option<i32>)],
        at: NodeIndex,
        target: NodeIndex,
        left: usize,
        direction: Direction,
        seen: &mut Vec<NodeIndex>,
        weakest: Option<Option<i32>>,
        found: &mut Vec<(Option<i32>, usize)>,
    ) {
        if at == target {
            found.push((weakest.flatten(), seen.len() - 1));
            return;
        }
        if left == 0 {
            return;
        }
        for &(s, o, w) in edges {
            let nexts = match direction {
                Direction::Out => [(s == at).then_some(o), None],
                Direction::In => [(o == at).then_some(s), None],
                Direction::Both => [(s == at).then_some(o), (o == at && s != o).then_some(s)],
            };
            for next in nexts.into_iter().flatten() {
                if seen.contains(&next) {
                    continue;
                }
                seen.push(next);
                let weakest = Some(weakest.map_or(w, |x| x.min(w)));
                walk(
                    edges,
                    next,
                    target,
                    left - 1,
                    direction,
                    seen,
                    weakest,
                    found,
                );
                seen.pop();
            }
        }
    }
    let mut found = Vec::new();
    walk(
        edges,
        start,
        target,
        max_length,
        direction,
        &mut vec![start],
        None,
        &mut found,
    );
    found
}

/// A generated graph of `entities` with several statements per edge, stored and projected.
fn graph_with_statements(seed: u64, entities: usize) -> (Store, Projection) {
    let quads = generate(seed, entities, entities * 2);
    let plain = Projection::build(&store_of(&quads)).unwrap();
    let quads = with_statements(&plain, &quads, seed);
    let store = store_of(&quads);
    let projection = Projection::build(&store).unwrap();
    (store, projection)
}

/// Breadth-first distances from `start` over `edges` (subject, object) in `direction`, up to
/// `depth`: the reference the filtered traversals are checked against.
fn distances(
    edges: &[(NodeIndex, NodeIndex)],
    start: NodeIndex,
    depth: usize,
    direction: Direction,
) -> std::collections::BTreeMap<NodeIndex, usize> {
    let mut seen = std::collections::BTreeMap::from([(start, 0)]);
    let mut frontier = vec![start];
    for d in 1..=depth {
        let mut next = Vec::new();
        for &node in &frontier {
            for &(s, o) in edges {
                let others = match direction {
                    Direction::Out => [(s == node).then_some(o), None],
                    Direction::In => [(o == node).then_some(s), None],
                    Direction::Both => [(s == node).then_some(o), (o == node).then_some(s)],
                };
                for other in others.into_iter().flatten() {
                    if let std::collections::btree_map::Entry::Vacant(e) = seen.entry(other) {
                        e.insert(d);
                        next.push(other);
                    }
                }
            }
        }
        frontier = next;
    }
    seen
}

/// A property path step over `predicates` in `direction`, for SPARQL.
fn step(predicates: &[String], direction: Direction) -> String {
    let alternatives: Vec<String> = predicates
        .iter()
        .flat_map(|p| match direction {
            Direction::Out => vec![format!("<{p}>")],
            Direction::In => vec![format!("^<{p}>")],
            Direction::Both => vec![format!("<{p}>"), format!("^<{p}>")],
        })
        .collect();
    format!("({})", alternatives.join("|"))
}

fn direction() -> impl Strategy<Value = Direction> {
    prop_oneof![
        Just(Direction::Out),
        Just(Direction::In),
        Just(Direction::Both)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 200,
        // Failures are reported with their inputs; no file is written next to the tests.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn neighbourhoods_and_path_lengths_agree_with_sparql_property_paths(
        seed in any::<u64>(),
        entities in 20usize..200,
        density in 1usize..4,
        picks in any::<(u32, u32, u32)>(),
        depth in 1usize..4,
        direction in direction(),
        filtered in any::<bool>(),
    ) {
        let quads = generate(seed, entities, entities * density);
        let store = store_of(&quads);
        let projection = Projection::build(&store).unwrap();
        let nodes: Vec<NodeIndex> = projection.graph().node_indices().collect();
        prop_assert_eq!(nodes.len(), entities);
        let start = nodes[picks.0 as usize % nodes.len()];
        let target = nodes[picks.1 as usize % nodes.len()];
        let all: Vec<_> = projection.predicates().map(|(id, _)| id).collect();
        let chosen: Vec<_> = if filtered {
            all.iter().copied().filter(|p| (picks.2 >> (p_index(&all, *p) % 32)) & 1 == 1).collect()
        } else {
            all.clone()
        };
        prop_assume!(!chosen.is_empty());
        let iris: Vec<String> = chosen.iter().map(|&p| projection.predicate(p).as_str().to_owned()).collect();
        let view = projection.view(if filtered { Some(&chosen) } else { None });
        let step = step(&iris, direction);
        let start_iri = iri_of(&projection, start);

        let around = neighborhood(&view, start, depth, direction, usize::MAX);
        let found: BTreeSet<String> = around.nodes.iter().map(|&(n, _)| iri_of(&projection, n)).collect();
        let unions: Vec<String> = (1..=depth)
            .map(|d| format!("{{ <{start_iri}> {} ?n }}", vec![step.as_str(); d].join("/")))
            .collect();
        let expected = select_column(&store, &format!(
            "SELECT DISTINCT ?n WHERE {{ {{ BIND(<{start_iri}> AS ?n) }} UNION {} }}",
            unions.join(" UNION ")
        ));
        prop_assert_eq!(found, expected);
        for &(node, d) in &around.nodes {
            let length = shortest_path(&view, start, node, depth, direction).map(|p| p.len());
            prop_assert_eq!(length, Some(d), "the depth of a node is its distance");
        }

        let target_iri = iri_of(&projection, target);
        let max_length = 4;
        let expected_length = if start == target {
            Some(0)
        } else {
            (1..=max_length).find(|&l| ask(&store, &format!(
                "ASK {{ <{start_iri}> {} <{target_iri}> }}",
                vec![step.as_str(); l].join("/")
            )))
        };
        let path = shortest_path(&view, start, target, max_length, direction);
        prop_assert_eq!(path.as_ref().map(|p| p.len()), expected_length);
        let paths = k_shortest_paths(&view, start, target, 3, max_length, direction);
        prop_assert_eq!(paths.first().map(|p| p.len()), expected_length);
    }

    #[test]
    fn filtered_neighbourhoods_and_paths_agree_with_sparql_over_statement_nodes(
        seed in any::<u64>(),
        entities in 20usize..120,
        picks in any::<(u32, u32, u32)>(),
        depth in 1usize..4,
        direction in direction(),
    ) {
        let (store, projection) = graph_with_statements(seed, entities);
        let (filter, sparql) = filter_and_sparql(picks.2);
        let passing = select_column(&store, &sparql);
        let test = projection.edge_test(&filter);
        let mut kept = Vec::new();
        for edge in projection.graph().edge_indices() {
            let triple = projection.triple(edge).unwrap();
            let key = format!(
                "{} {} {}",
                iri_of(&projection, projection.relation(edge).unwrap().0),
                triple.predicate.as_str(),
                iri_of(&projection, projection.relation(edge).unwrap().1),
            );
            prop_assert_eq!(test.allows(edge), passing.contains(&key), "{} ({:?})", key, filter);
            if passing.contains(&key) {
                let (s, o, _) = projection.relation(edge).unwrap();
                kept.push((s, o));
            }
        }
        let nodes: Vec<NodeIndex> = projection.graph().node_indices().collect();
        let start = nodes[picks.0 as usize % nodes.len()];
        let target = nodes[picks.1 as usize % nodes.len()];
        let allows = |edge| test.allows(edge);
        for view in [
            projection.adjacency().view(None).with_test(Some(&test)),
        ] {
            let around = neighborhood(view, start, depth, direction, usize::MAX);
            let found: std::collections::BTreeMap<NodeIndex, usize> = around.nodes.iter().copied().collect();
            prop_assert_eq!(&found, &distances(&kept, start, depth, direction));
            let expected = distances(&kept, start, 4, direction).get(&target).copied();
            let path = shortest_path(view, start, target, 4, direction);
            prop_assert_eq!(path.as_ref().map(|p| p.len()), expected);
            let paths = k_shortest_paths(view, start, target, 3, 4, direction);
            prop_assert_eq!(paths.first().map(|p| p.len()), expected);
            for path in &paths {
                prop_assert!(path.edges.iter().all(|&e| test.allows(e)));
            }
        }
        let petgraph_view = projection.view_with(None, Some(&allows));
        let around = neighborhood(&petgraph_view, start, depth, direction, usize::MAX);
        let found: std::collections::BTreeMap<NodeIndex, usize> = around.nodes.iter().copied().collect();
        prop_assert_eq!(found, distances(&kept, start, depth, direction));
    }

    #[test]
    fn best_supported_paths_have_the_strongest_weakest_links_of_all_simple_paths(
        seed in any::<u64>(),
        entities in 15usize..60,
        picks in any::<(u32, u32, u32)>(),
        k in 1usize..5,
        by_recency in any::<bool>(),
        direction in direction(),
    ) {
        let (store, projection) = graph_with_statements(seed, entities);
        let (filter, sparql) = filter_and_sparql(picks.2);
        let weights = triple_weights(&store, &sparql);
        let weight = if by_recency { PathWeight::Recency } else { PathWeight::Publishers };
        let key = |edge| {
            let (s, o, _) = projection.relation(edge).unwrap();
            format!(
                "{} {} {}",
                iri_of(&projection, s),
                projection.triple(edge).unwrap().predicate.as_str(),
                iri_of(&projection, o),
            )
        };
        let weight_of = |key: &str| {
            weights.get(key).map(|&(n, latest)| if by_recency { latest } else { Some(n) })
        };
        let mut kept = Vec::new();
        for edge in projection.graph().edge_indices() {
            if let Some(w) = weight_of(&key(edge)) {
                let (s, o, _) = projection.relation(edge).unwrap();
                kept.push((s, o, w));
            }
        }
        let nodes: Vec<NodeIndex> = projection.graph().node_indices().collect();
        let start = nodes[picks.0 as usize % nodes.len()];
        let target = nodes[picks.1 as usize % nodes.len()];
        let max_length = 3;
        let mut expected = weakest_links(&kept, start, target, max_length, direction);
        // Strongest first (None is weakest), then shortest.
        expected.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        expected.truncate(k);
        let found = best_supported_paths(
            &projection, &filter, None, start, target, k, max_length, direction, weight,
        );
        let keys: Vec<(Option<i32>, usize)> =
            found.iter().map(|p| (p.weakest_link, p.path.len())).collect();
        // Publishers never says None: a step without publisher weighs 0.
        let expected: Vec<(Option<i32>, usize)> = expected
            .into_iter()
            .map(|(w, l)| (if by_recency || l == 0 { w } else { Some(w.unwrap_or(0)) }, l))
            .collect();
        prop_assert_eq!(&keys, &expected, "{:?} by {:?}", filter, weight);
        for path in &found {
            let weakest = path.path.edges.iter().map(|&e| weight_of(&key(e)).flatten()).min();
            let weakest = if by_recency { weakest.flatten() } else { weakest.flatten().or(Some(0)) };
            prop_assert_eq!(path.weakest_link, if path.path.is_empty() { None } else { weakest });
            let mut distinct = path.path.nodes.clone();
            distinct.sort_unstable();
            distinct.dedup();
            prop_assert_eq!(distinct.len(), path.path.nodes.len(), "a simple path");
        }
    }

    #[test]
    fn refreshing_after_random_writes_gives_what_a_rebuild_gives(
        seed in any::<u64>(),
        entities in 20usize..120,
        later in 1u64..5,
        removed in 1u64..5,
    ) {
        let quads = generate(seed, entities, entities * 2);
        // Some quads come in a later write, and then some are removed: statements, types,
        // labels and direct triples alike.
        let hash = |i: usize, salt: u64| (i as u64 ^ seed ^ salt).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 60;
        let pick = |salt: u64, below: bool| -> Vec<Quad> {
            quads
                .iter()
                .enumerate()
                .filter(|&(i, _)| (hash(i, salt) < later) == below)
                .map(|(_, q)| q.clone())
                .collect()
        };
        let store = store_of(&pick(1, false));
        let mut projection = Projection::build(&store).unwrap();
        // The adjacency exists before the writes, so that the refreshes patch it.
        projection.adjacency();
        let second = pick(1, true);
        store.oxigraph().extend(second.iter().cloned()).unwrap();
        // The write as the server applies it (reads made ahead), the removal without.
        let prefetched = projection.prefetch(&store, second.iter().map(Quad::as_ref)).unwrap();
        projection.refresh_prefetched(&store, second.iter().map(Quad::as_ref), &prefetched).unwrap();
        let rebuilt = canonical(&Projection::build(&store).unwrap());
        prop_assert_eq!(difference(&canonical(&projection), &rebuilt), "");
        prop_assert!(projection.adjacency() == &projection.rebuilt_adjacency());

        let gone: Vec<Quad> = quads
            .iter()
            .enumerate()
            .filter(|&(i, _)| hash(i, 2) < removed)
            .map(|(_, q)| q.clone())
            .collect();
        for quad in &gone {
            store.oxigraph().remove(quad).unwrap();
        }
        projection.refresh(&store, gone.iter().map(Quad::as_ref)).unwrap();
        let rebuilt = canonical(&Projection::build(&store).unwrap());
        prop_assert_eq!(difference(&canonical(&projection), &rebuilt), "");
        prop_assert!(projection.adjacency() == &projection.rebuilt_adjacency());
    }
}

/// The position of a predicate id among all, to pick a subset from random bits.
fn p_index(all: &[eventgraph::graph::PredicateId], p: eventgraph::graph::PredicateId) -> usize {
    all.iter().position(|&q| q == p).unwrap_or(0)
}
