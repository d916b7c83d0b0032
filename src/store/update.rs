//! SPARQL 1.1 Update, evaluated here so that the write knows which quads it changed.
//!
//! [`Store::update`] runs the operations of a parsed update one after another in one Oxigraph
//! transaction (`TrackedTransaction`), commits, and returns the [`ChangeSet`]. Its semantics
//! are Oxigraph's own evaluator's (`oxigraph::sparql::update`), operation by operation: the
//! `WHERE` of a `DELETE`/`INSERT` is a `SELECT` evaluated by Oxigraph on the transaction (so
//! later operations see earlier ones), and the templates are instantiated the way spareval's
//! `DeleteInsertIter` does. Errors are Oxigraph's [`UpdateEvaluationError`].
//!
//! It does not fetch documents: `LOAD` is answered by `sparql::update`, which replaces it by
//! the `INSERT DATA` of the fetched document before the store sees the update, and fails here
//! as it does in an Oxigraph built without an HTTP client. Nor does it list what
//! `CLEAR`/`DROP` of `DEFAULT`, `NAMED` or `ALL` removes: those mark the change set
//! [`ChangeSet::unlisted`].

use oxigraph::model::{
    BlankNode, GraphName, GraphNameRef, NamedNode, NamedOrBlankNode, Quad, Term, Triple,
};
use oxigraph::sparql::{
    QueryDatasetSpecification, QueryResults, QuerySolution, SparqlEvaluator, UpdateEvaluationError,
};
use oxiri::Iri;
use rustc_hash::FxHashMap;
use spargebra::GraphUpdateOperation;
use spargebra::algebra::{GraphPattern, GraphTarget, QueryDataset};
use spargebra::term::{
    GraphNamePattern, GroundQuad, GroundQuadPattern, GroundTerm, GroundTermPattern, GroundTriple,
    GroundTriplePattern, NamedNodePattern, QuadPattern, TermPattern, TriplePattern,
};

use super::Store;
use super::change::{ChangeSet, TrackedTransaction};
use super::write::WriteError;

/// Fresh blank nodes for the labels of one `INSERT DATA` or of one solution of a template.
type BlankNodes = FxHashMap<BlankNode, BlankNode>;

impl Store {
    /// Applies a SPARQL Update in one transaction and returns the quads it changed.
    ///
    /// `using` is the SPARQL 1.1 Protocol's `using-graph-uri` and `using-named-graph-uri`
    /// (section 2.2.3): when given, it replaces the dataset of every `DELETE`/`INSERT`
    /// operation. Without it, an operation's `WHERE` sees its `USING`/`WITH` dataset, or else
    /// the store's default graph (not the union of the graphs) and every named graph.
    ///
    /// # Errors
    /// [`WriteError::Update`] when an operation fails (`CREATE` of an existing graph,
    /// `CLEAR`/`DROP` of a missing one without `SILENT`, an evaluation error, a `LOAD` that
    /// reached the store); [`WriteError::Storage`] when the commit fails. The store is then
    /// unchanged.
    pub fn update(
        &self,
        update: &spargebra::Update,
        using: Option<&QueryDatasetSpecification>,
    ) -> Result<ChangeSet, WriteError> {
        self.update_with(update, using, &SparqlEvaluator::new())
    }

    /// [`Store::update`], the `WHERE` patterns evaluated by `evaluator`: the caller's
    /// `SERVICE` handler (the allow-list) and cancellation token. An update whose token is
    /// cancelled before its commit writes nothing.
    ///
    /// # Errors
    /// As [`Store::update`]; a cancelled update fails with [`WriteError::Update`] wrapping
    /// the evaluator's `QueryEvaluationError::Cancelled`, and writes nothing.
    pub fn update_with(
        &self,
        update: &spargebra::Update,
        using: Option<&QueryDatasetSpecification>,
        evaluator: &SparqlEvaluator,
    ) -> Result<ChangeSet, WriteError> {
        let mut transaction = TrackedTransaction::new(self.inner.start_transaction()?);
        let context = Context {
            base_iri: update.base_iri.as_ref(),
            using,
            evaluator,
        };
        for operation in &update.operations {
            context.apply(&mut transaction, operation)?;
        }
        // Dropping the transaction on an error above rolls it back.
        Ok(transaction.commit(self)?)
    }
}

/// What every operation of one update shares.
struct Context<'u> {
    /// The update's base IRI, for the `WHERE` patterns' functions (`IRI()`, ...).
    base_iri: Option<&'u Iri<String>>,
    /// The protocol's dataset, replacing the operations' own.
    using: Option<&'u QueryDatasetSpecification>,
    /// Evaluates the `WHERE` patterns: with the caller's `SERVICE` handler, so that the
    /// allow-list holds in updates as in queries, and its cancellation token.
    evaluator: &'u SparqlEvaluator,
}

impl Context<'_> {
    /// Applies one operation, as `ReadableUpdateEvaluator::eval` does.
    fn apply(
        &self,
        transaction: &mut TrackedTransaction<'_>,
        operation: &GraphUpdateOperation,
    ) -> Result<(), UpdateEvaluationError> {
        match operation {
            GraphUpdateOperation::InsertData { data } => insert_data(transaction, data),
            GraphUpdateOperation::DeleteData { data } => {
                for quad in data {
                    transaction.remove(ground_quad(quad))?;
                }
                Ok(())
            }
            GraphUpdateOperation::DeleteInsert {
                delete,
                insert,
                using,
                pattern,
            } => self.delete_insert(transaction, delete, insert, using.as_ref(), pattern),
            GraphUpdateOperation::Load { silent: true, .. } => Ok(()),
            GraphUpdateOperation::Load { source, .. } => Err(UpdateEvaluationError::Unexpected(
                format!(
                    "LOAD <{}> reached the store: it is answered before the update is applied",
                    source.as_str()
                )
                .into(),
            )),
            GraphUpdateOperation::Create { graph, silent } => {
                create_graph(transaction, graph, *silent)
            }
            GraphUpdateOperation::Clear { graph, silent } => {
                clear_target(transaction, graph, *silent)
            }
            GraphUpdateOperation::Drop { graph, silent } => {
                drop_target(transaction, graph, *silent)
            }
        }
    }

    /// `DELETE`/`INSERT ... WHERE`: every solution first, then every deletion, then every
    /// insertion (SPARQL 1.1 Update, 3.1.3).
    fn delete_insert(
        &self,
        transaction: &mut TrackedTransaction<'_>,
        delete: &[GroundQuadPattern],
        insert: &[QuadPattern],
        using: Option<&QueryDataset>,
        pattern: &GraphPattern,
    ) -> Result<(), UpdateEvaluationError> {
        let solutions = self.solutions(transaction, using, pattern)?;
        let mut deletions = Vec::new();
        let mut insertions = Vec::new();
        for solution in &solutions {
            deletions.extend(
                delete
                    .iter()
                    .filter_map(|quad| fill_ground_quad(quad, solution)),
            );
            // Blank nodes of the template are fresh for each solution.
            let mut bnodes = BlankNodes::default();
            insertions.extend(
                insert
                    .iter()
                    .filter_map(|quad| fill_quad(quad, solution, &mut bnodes)),
            );
        }
        for quad in deletions {
            transaction.remove(quad)?;
        }
        for quad in insertions {
            transaction.insert(quad)?;
        }
        Ok(())
    }

    /// The solutions of `pattern` on the transaction, all read before anything changes.
    fn solutions(
        &self,
        transaction: &TrackedTransaction<'_>,
        using: Option<&QueryDataset>,
        pattern: &GraphPattern,
    ) -> Result<Vec<QuerySolution>, UpdateEvaluationError> {
        let query = spargebra::Query::Select {
            dataset: using.cloned(),
            pattern: pattern.clone(),
            base_iri: self.base_iri.cloned(),
        };
        let mut prepared = self.evaluator.clone().for_query(query);
        if let Some(using) = self.using {
            *prepared.dataset_mut() = using.clone();
        }
        match prepared
            .on_transaction(transaction.transaction())
            .execute()?
        {
            QueryResults::Solutions(solutions) => Ok(solutions.collect::<Result<Vec<_>, _>>()?),
            // A SELECT always has solutions; this arm only satisfies the match.
            QueryResults::Boolean(_) | QueryResults::Graph(_) => {
                Err(UpdateEvaluationError::Unexpected(
                    "the WHERE pattern did not give solutions".into(),
                ))
            }
        }
    }
}

/// `INSERT DATA`: one blank node per label for the whole operation, as `convert_quad` does.
fn insert_data(
    transaction: &mut TrackedTransaction<'_>,
    data: &[spargebra::term::Quad],
) -> Result<(), UpdateEvaluationError> {
    let mut bnodes = BlankNodes::default();
    for quad in data {
        let quad = data_quad(quad, &mut bnodes);
        if let GraphName::NamedNode(graph) = &quad.graph_name {
            transaction.insert_named_graph(graph)?;
        }
        transaction.insert(quad)?;
    }
    Ok(())
}

/// `CREATE [SILENT] GRAPH`.
fn create_graph(
    transaction: &mut TrackedTransaction<'_>,
    graph: &NamedNode,
    silent: bool,
) -> Result<(), UpdateEvaluationError> {
    if !transaction.transaction().contains_named_graph(graph)? {
        transaction.insert_named_graph(graph)?;
        Ok(())
    } else if silent {
        Ok(())
    } else {
        Err(UpdateEvaluationError::GraphAlreadyExists(graph.clone()))
    }
}

/// `CLEAR [SILENT]`: a named graph's quads are listed; the default graph, the named graphs or
/// all graphs are cleared unlisted.
fn clear_target(
    transaction: &mut TrackedTransaction<'_>,
    target: &GraphTarget,
    silent: bool,
) -> Result<(), UpdateEvaluationError> {
    match target {
        GraphTarget::NamedNode(graph) => {
            if transaction.transaction().contains_named_graph(graph)? {
                transaction.clear_graph(graph.into())?;
                Ok(())
            } else if silent {
                Ok(())
            } else {
                Err(UpdateEvaluationError::GraphDoesNotExist(graph.clone()))
            }
        }
        GraphTarget::DefaultGraph => {
            transaction
                .untracked()
                .clear_graph(GraphNameRef::DefaultGraph)?;
            Ok(())
        }
        GraphTarget::NamedGraphs => {
            for graph in named_graphs(transaction)? {
                transaction.untracked().clear_graph(&graph)?;
            }
            Ok(())
        }
        GraphTarget::AllGraphs => {
            transaction
                .untracked()
                .clear_graph(GraphNameRef::DefaultGraph)?;
            for graph in named_graphs(transaction)? {
                transaction.untracked().clear_graph(&graph)?;
            }
            Ok(())
        }
    }
}

/// `DROP [SILENT]`: as [`clear_target`], and named graphs disappear.
fn drop_target(
    transaction: &mut TrackedTransaction<'_>,
    target: &GraphTarget,
    silent: bool,
) -> Result<(), UpdateEvaluationError> {
    match target {
        GraphTarget::NamedNode(graph) => {
            if transaction.transaction().contains_named_graph(graph)? {
                transaction.remove_named_graph(graph.into())?;
                Ok(())
            } else if silent {
                Ok(())
            } else {
                Err(UpdateEvaluationError::GraphDoesNotExist(graph.clone()))
            }
        }
        GraphTarget::DefaultGraph => {
            transaction
                .untracked()
                .clear_graph(GraphNameRef::DefaultGraph)?;
            Ok(())
        }
        GraphTarget::NamedGraphs => {
            for graph in named_graphs(transaction)? {
                transaction.untracked().remove_named_graph(&graph)?;
            }
            Ok(())
        }
        GraphTarget::AllGraphs => {
            transaction.untracked().clear()?;
            Ok(())
        }
    }
}

/// The names of every named graph, read before any is changed.
fn named_graphs(
    transaction: &TrackedTransaction<'_>,
) -> Result<Vec<NamedOrBlankNode>, UpdateEvaluationError> {
    Ok(transaction
        .transaction()
        .named_graphs()
        .collect::<Result<Vec<_>, _>>()?)
}

/// A quad of `INSERT DATA`, its blank nodes replaced by fresh ones.
fn data_quad(quad: &spargebra::term::Quad, bnodes: &mut BlankNodes) -> Quad {
    Quad {
        subject: data_subject(&quad.subject, bnodes),
        predicate: quad.predicate.clone(),
        object: data_term(&quad.object, bnodes),
        graph_name: graph_name(&quad.graph_name),
    }
}

fn data_subject(subject: &NamedOrBlankNode, bnodes: &mut BlankNodes) -> NamedOrBlankNode {
    match subject {
        NamedOrBlankNode::NamedNode(node) => node.clone().into(),
        NamedOrBlankNode::BlankNode(node) => fresh(node, bnodes).into(),
    }
}

fn data_term(term: &Term, bnodes: &mut BlankNodes) -> Term {
    match term {
        Term::NamedNode(node) => node.clone().into(),
        Term::BlankNode(node) => fresh(node, bnodes).into(),
        Term::Literal(literal) => literal.clone().into(),
        Term::Triple(triple) => Triple {
            subject: data_subject(&triple.subject, bnodes),
            predicate: triple.predicate.clone(),
            object: data_term(&triple.object, bnodes),
        }
        .into(),
    }
}

fn fresh(node: &BlankNode, bnodes: &mut BlankNodes) -> BlankNode {
    bnodes.entry(node.clone()).or_default().clone()
}

/// A quad of `DELETE DATA`.
fn ground_quad(quad: &GroundQuad) -> Quad {
    Quad {
        subject: quad.subject.clone().into(),
        predicate: quad.predicate.clone(),
        object: ground_term(&quad.object),
        graph_name: graph_name(&quad.graph_name),
    }
}

fn ground_term(term: &GroundTerm) -> Term {
    match term {
        GroundTerm::NamedNode(node) => node.clone().into(),
        GroundTerm::Literal(literal) => literal.clone().into(),
        GroundTerm::Triple(triple) => ground_triple(triple).into(),
    }
}

fn ground_triple(triple: &GroundTriple) -> Triple {
    Triple {
        subject: triple.subject.clone().into(),
        predicate: triple.predicate.clone(),
        object: ground_term(&triple.object),
    }
}

fn graph_name(graph: &spargebra::term::GraphName) -> GraphName {
    match graph {
        spargebra::term::GraphName::NamedNode(node) => node.clone().into(),
        spargebra::term::GraphName::DefaultGraph => GraphName::DefaultGraph,
    }
}

// Template instantiation, as spareval's `DeleteInsertIter`: a quad with an unbound variable,
// a subject that is a literal or a triple term, a predicate that is not an IRI, or a graph
// name that is a literal or a triple term is left out.

/// An `INSERT` template quad for one solution.
fn fill_quad(
    quad: &QuadPattern,
    solution: &QuerySolution,
    bnodes: &mut BlankNodes,
) -> Option<Quad> {
    Some(Quad {
        subject: subject(fill_term(&quad.subject, solution, bnodes)?)?,
        predicate: fill_predicate(&quad.predicate, solution)?,
        object: fill_term(&quad.object, solution, bnodes)?,
        graph_name: fill_graph_name(&quad.graph_name, solution)?,
    })
}

fn fill_term(
    term: &TermPattern,
    solution: &QuerySolution,
    bnodes: &mut BlankNodes,
) -> Option<Term> {
    Some(match term {
        TermPattern::NamedNode(node) => node.clone().into(),
        TermPattern::BlankNode(node) => fresh(node, bnodes).into(),
        TermPattern::Literal(literal) => literal.clone().into(),
        TermPattern::Triple(triple) => fill_triple(triple, solution, bnodes)?.into(),
        TermPattern::Variable(variable) => solution.get(variable)?.clone(),
    })
}

fn fill_triple(
    triple: &TriplePattern,
    solution: &QuerySolution,
    bnodes: &mut BlankNodes,
) -> Option<Triple> {
    Some(Triple {
        subject: subject(fill_term(&triple.subject, solution, bnodes)?)?,
        predicate: fill_predicate(&triple.predicate, solution)?,
        object: fill_term(&triple.object, solution, bnodes)?,
    })
}

/// A `DELETE` template quad for one solution.
fn fill_ground_quad(quad: &GroundQuadPattern, solution: &QuerySolution) -> Option<Quad> {
    Some(Quad {
        subject: subject(fill_ground_term(&quad.subject, solution)?)?,
        predicate: fill_predicate(&quad.predicate, solution)?,
        object: fill_ground_term(&quad.object, solution)?,
        graph_name: fill_graph_name(&quad.graph_name, solution)?,
    })
}

fn fill_ground_term(term: &GroundTermPattern, solution: &QuerySolution) -> Option<Term> {
    Some(match term {
        GroundTermPattern::NamedNode(node) => node.clone().into(),
        GroundTermPattern::Literal(literal) => literal.clone().into(),
        GroundTermPattern::Triple(triple) => fill_ground_triple(triple, solution)?.into(),
        GroundTermPattern::Variable(variable) => solution.get(variable)?.clone(),
    })
}

fn fill_ground_triple(triple: &GroundTriplePattern, solution: &QuerySolution) -> Option<Triple> {
    Some(Triple {
        subject: subject(fill_ground_term(&triple.subject, solution)?)?,
        predicate: fill_predicate(&triple.predicate, solution)?,
        object: fill_ground_term(&triple.object, solution)?,
    })
}

/// A filled term as a subject: an IRI or a blank node.
fn subject(term: Term) -> Option<NamedOrBlankNode> {
    match term {
        Term::NamedNode(node) => Some(node.into()),
        Term::BlankNode(node) => Some(node.into()),
        Term::Literal(_) | Term::Triple(_) => None,
    }
}

fn fill_predicate(predicate: &NamedNodePattern, solution: &QuerySolution) -> Option<NamedNode> {
    match predicate {
        NamedNodePattern::NamedNode(node) => Some(node.clone()),
        NamedNodePattern::Variable(variable) => match solution.get(variable)? {
            Term::NamedNode(node) => Some(node.clone()),
            _ => None,
        },
    }
}

fn fill_graph_name(graph: &GraphNamePattern, solution: &QuerySolution) -> Option<GraphName> {
    match graph {
        GraphNamePattern::NamedNode(node) => Some(node.clone().into()),
        GraphNamePattern::DefaultGraph => Some(GraphName::DefaultGraph),
        GraphNamePattern::Variable(variable) => match solution.get(variable)? {
            Term::NamedNode(node) => Some(node.clone().into()),
            Term::BlankNode(node) => Some(node.clone().into()),
            Term::Literal(_) | Term::Triple(_) => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use oxigraph::io::RdfFormat;
    use oxigraph::model::dataset::CanonicalizationAlgorithm;
    use oxigraph::model::{Dataset, NamedNodeRef};
    use proptest::prelude::*;
    use spargebra::SparqlParser;

    use super::*;
    use crate::config::StoreLocation;

    const PREFIX: &str = "PREFIX ex: <http://example.com/>\n";

    /// The dataset both stores start from: no blank nodes, so both start identical.
    const DATA: &str = r#"
        @prefix ex: <http://example.com/> .
        ex:a ex:p ex:b .
        ex:b ex:p ex:c .
        ex:a ex:name "A" .
        ex:g1 { ex:a ex:p ex:c . ex:c ex:q ex:a . ex:c ex:name "C" . }
        ex:g2 { ex:b ex:q ex:b . ex:b ex:p ex:a . }
    "#;

    /// An Oxigraph store in memory and one of ours in memory, holding the same dataset (plus
    /// the empty graph `ex:empty`).
    fn twins() -> (oxigraph::store::Store, Store) {
        twins_at(&StoreLocation::Memory)
    }

    /// As [`twins`], ours at `location`.
    fn twins_at(location: &StoreLocation) -> (oxigraph::store::Store, Store) {
        let reference = oxigraph::store::Store::new().unwrap();
        let ours = Store::open(location).unwrap();
        for store in [&reference, ours.oxigraph()] {
            store
                .load_from_reader(RdfFormat::TriG, DATA.as_bytes())
                .unwrap();
            store
                .insert_named_graph(NamedNodeRef::new_unchecked("http://example.com/empty"))
                .unwrap();
        }
        (reference, ours)
    }

    /// Every quad and every named graph of a store.
    #[derive(Debug, Clone, PartialEq, Eq)]
    struct Snapshot {
        quads: HashSet<Quad>,
        graphs: HashSet<NamedOrBlankNode>,
    }

    fn snapshot(store: &oxigraph::store::Store) -> Snapshot {
        Snapshot {
            quads: store.iter().collect::<Result<_, _>>().unwrap(),
            graphs: store.named_graphs().collect::<Result<_, _>>().unwrap(),
        }
    }

    /// The quads with their blank nodes named canonically, to compare datasets up to renaming.
    fn canonical(quads: &HashSet<Quad>) -> Dataset {
        let mut dataset: Dataset = quads.iter().collect();
        dataset.canonicalize(CanonicalizationAlgorithm::Unstable);
        dataset
    }

    /// The named graphs that are IRIs, and how many are blank nodes.
    fn graph_names(snapshot: &Snapshot) -> (HashSet<NamedNode>, usize) {
        let mut iris = HashSet::new();
        let mut blank = 0;
        for graph in &snapshot.graphs {
            match graph {
                NamedOrBlankNode::NamedNode(node) => {
                    iris.insert(node.clone());
                }
                NamedOrBlankNode::BlankNode(_) => blank += 1,
            }
        }
        (iris, blank)
    }

    /// The protocol's `using-graph-uri` and `using-named-graph-uri`.
    type Using<'a> = (&'a [&'a str], &'a [&'a str]);

    fn spec((default, named): Using<'_>) -> QueryDatasetSpecification {
        let iri = |iri: &&str| NamedNode::new(*iri).unwrap();
        let mut spec = QueryDatasetSpecification::new();
        spec.set_default_graph(default.iter().map(iri).map(Into::into).collect());
        spec.set_available_named_graphs(named.iter().map(iri).map(Into::into).collect());
        spec
    }

    /// Applies `update` with Oxigraph's evaluator to `reference` and with ours to `ours`, and
    /// asserts that both succeed or fail alike, with the same message, that both stores then
    /// hold the same dataset (blank nodes up to renaming) and named graphs, that a failure
    /// changed nothing, and that a listed change set is exactly the net change. Returns our
    /// outcome, the error as its message.
    fn differential(
        message: &str,
        update: &str,
        using: Option<Using<'_>>,
        reference: &oxigraph::store::Store,
        ours: &Store,
    ) -> Result<ChangeSet, String> {
        let before = snapshot(ours.oxigraph());
        let mut prepared = SparqlEvaluator::new()
            .parse_update(update)
            .unwrap_or_else(|e| panic!("{message}: {update} does not parse: {e}"));
        if let Some(using) = using {
            for dataset in prepared.using_datasets_mut() {
                *dataset = spec(using);
            }
        }
        let expected = prepared
            .on_store(reference)
            .execute()
            .map_err(|e| e.to_string());
        let parsed = SparqlParser::new().parse_update(update).unwrap();
        let actual = ours
            .update(&parsed, using.map(spec).as_ref())
            .map_err(|e| match e {
                WriteError::Update(e) => e.to_string(),
                other => other.to_string(),
            });
        assert_eq!(
            expected.as_ref().err(),
            actual.as_ref().err(),
            "{message}: {update}: Oxigraph and we disagree on failing"
        );
        let (theirs, after) = (snapshot(reference), snapshot(ours.oxigraph()));
        assert_eq!(
            canonical(&theirs.quads),
            canonical(&after.quads),
            "{message}: {update}: the datasets differ"
        );
        assert_eq!(
            graph_names(&theirs),
            graph_names(&after),
            "{message}: {update}: the named graphs differ"
        );
        match &actual {
            Err(_) => assert_eq!(
                before, after,
                "{message}: a failed update changed the store"
            ),
            Ok(changes) if !changes.unlisted => assert_exact(message, &before, &after, changes),
            Ok(_) => {}
        }
        actual
    }

    /// Asserts that `changes` is the net change from `before` to `after`: removing `removed`
    /// (each there before) then inserting `inserted` (each new) gives `after`.
    fn assert_exact(message: &str, before: &Snapshot, after: &Snapshot, changes: &ChangeSet) {
        let mut quads = before.quads.clone();
        for quad in &changes.removed {
            assert!(
                quads.remove(quad),
                "{message}: {quad} is listed as removed but was not there (or twice)"
            );
        }
        for quad in &changes.inserted {
            assert!(
                quads.insert(quad.clone()),
                "{message}: {quad} is listed as inserted but was there (or twice)"
            );
        }
        assert_eq!(
            quads, after.quads,
            "{message}: the change set misses a change"
        );
    }

    /// What an update of the table must do.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Outcome {
        /// Succeed and list every quad it changed.
        Listed,
        /// Succeed and say that it changed more than it lists.
        Unlisted,
        /// Fail, changing nothing.
        Fails,
    }

    #[test]
    fn updates_change_the_store_as_oxigraph_does_and_list_exactly_what_changed() {
        use Outcome::{Fails, Listed, Unlisted};
        let g1: &[&str] = &["http://example.com/g1"];
        let g2: &[&str] = &["http://example.com/g2"];
        let none: &[&str] = &[];
        let cases: &[(&str, &str, Option<Using<'_>>, Outcome)] = &[
            (
                "INSERT DATA gives one fresh blank node per label across the operation",
                "INSERT DATA { _:x ex:p ex:a . _:x ex:q _:y . GRAPH ex:g3 { _:x ex:p ex:b } }",
                None,
                Listed,
            ),
            (
                "INSERT DATA of quads already there changes nothing",
                "INSERT DATA { ex:a ex:p ex:b . GRAPH ex:g1 { ex:c ex:q ex:a } }",
                None,
                Listed,
            ),
            (
                "DELETE DATA removes what is there and ignores what is not",
                "DELETE DATA { ex:a ex:p ex:b . GRAPH ex:g1 { ex:a ex:p ex:c } . ex:z ex:p ex:z }",
                None,
                Listed,
            ),
            (
                "DELETE/INSERT with GRAPH ?g rewrites inside every named graph",
                "DELETE { GRAPH ?g { ?s ex:p ?o } } INSERT { GRAPH ?g { ?o ex:r ?s } } WHERE { GRAPH ?g { ?s ex:p ?o } }",
                None,
                Listed,
            ),
            (
                "without USING the WHERE sees the default graph, not the union",
                "INSERT { ?s ex:named ?o } WHERE { ?s ex:name ?o }",
                None,
                Listed,
            ),
            (
                "WITH names the graph of the WHERE and of the templates",
                "WITH ex:g1 DELETE { ?s ex:q ?o } INSERT { ?o ex:q ?s . GRAPH ex:g2 { ?s ex:seen true } } WHERE { ?s ex:q ?o }",
                None,
                Listed,
            ),
            (
                "USING makes a named graph the default graph of the WHERE only",
                "DELETE { ?s ex:p ?o } INSERT { GRAPH ex:g3 { ?s ex:p ?o } } USING ex:g1 WHERE { ?s ex:p ?o }",
                None,
                Listed,
            ),
            (
                "USING NAMED limits the graphs GRAPH ?g sees",
                "INSERT { ?s ex:in ?g } USING NAMED ex:g2 WHERE { GRAPH ?g { ?s ?p ?o } }",
                None,
                Listed,
            ),
            (
                "OPTIONAL leaves template variables unbound and those quads out",
                "INSERT { ?s ex:label ?l . ?s ex:seen ex:yes } WHERE { ?s ex:p ?o OPTIONAL { ?s ex:name ?l } }",
                None,
                Listed,
            ),
            (
                "literal subjects, literal predicates and literal graph names are left out",
                "INSERT { ?o ex:back ?s . ?s ?o ?s . GRAPH ?o { ?s ex:p ?s } . ?s ex:kept ?o } WHERE { ?s ex:name ?o }",
                None,
                Listed,
            ),
            (
                "blank nodes of an INSERT template are fresh for each solution",
                "INSERT { _:n ex:about ?s . _:n ex:to ?o } WHERE { ?s ex:p ?o }",
                None,
                Listed,
            ),
            (
                "an expression error leaves its variable unbound",
                "INSERT { ?s ex:v ?x . ?s ex:w ?v } WHERE { VALUES ?v { 1 2 } ?s ex:name ?n BIND(1/0 AS ?x) }",
                None,
                Listed,
            ),
            (
                "DELETE WHERE removes every match",
                "DELETE WHERE { GRAPH ex:g2 { ?s ?p ?o } }",
                None,
                Listed,
            ),
            (
                "a quad both deleted and inserted by one operation stays: deletions come first",
                "DELETE { ?s ex:p ?o } INSERT { ?s ex:p ?o . ?o ex:p ?s } WHERE { ?s ex:p ?o }",
                None,
                Listed,
            ),
            (
                "a second WHERE sees the first operation's insert",
                "INSERT DATA { ex:x ex:p ex:y } ; INSERT { ?o ex:q ?s } WHERE { ?s ex:p ?o }",
                None,
                Listed,
            ),
            (
                "a quad inserted then deleted in one update is no change",
                "INSERT DATA { ex:t ex:p ex:t } ; DELETE DATA { ex:t ex:p ex:t } ; DELETE DATA { ex:a ex:p ex:b } ; INSERT DATA { ex:a ex:p ex:b }",
                None,
                Listed,
            ),
            (
                "a DELETE template removes a blank node an earlier operation inserted",
                "INSERT DATA { _:b ex:p ex:a } ; DELETE { ?s ex:p ex:a } WHERE { ?s ex:p ex:a }",
                None,
                Listed,
            ),
            (
                "a graph bound to a blank node names a graph",
                "INSERT DATA { _:g ex:is ex:graph } ; INSERT { GRAPH ?g { ex:a ex:p ex:b } } WHERE { ?g ex:is ex:graph }",
                None,
                Listed,
            ),
            (
                "triple terms are inserted, matched and deleted",
                "INSERT DATA { ex:a ex:says <<( ex:b ex:p _:z )>> } ; DELETE { ?s ex:says <<( ?x ex:p ?y )>> } INSERT { ?s ex:said <<( ?x ex:p ?y )>> } WHERE { ?s ex:says <<( ?x ex:p ?y )>> }",
                None,
                Listed,
            ),
            (
                "the protocol's using-graph-uri replaces the default graph and leaves no named graph",
                "INSERT { ?s ex:seen ?o } WHERE { ?s ex:p ?o OPTIONAL { GRAPH ?g { ?s ?q ?r } } }",
                Some((g1, none)),
                Listed,
            ),
            (
                "the protocol's using-named-graph-uri names the graphs GRAPH ?g sees",
                "INSERT { ?s ex:in ?g } WHERE { GRAPH ?g { ?s ?p ?o } }",
                Some((none, g2)),
                Listed,
            ),
            (
                "CREATE makes an empty graph",
                "CREATE GRAPH ex:g9",
                None,
                Listed,
            ),
            (
                "CREATE of an existing graph fails",
                "INSERT DATA { ex:x ex:p ex:y } ; CREATE GRAPH ex:g1",
                None,
                Fails,
            ),
            (
                "CREATE SILENT of an existing graph is no change",
                "CREATE SILENT GRAPH ex:g1",
                None,
                Listed,
            ),
            (
                "CLEAR of a named graph lists its quads and keeps it",
                "CLEAR GRAPH ex:g1",
                None,
                Listed,
            ),
            (
                "CLEAR of a missing graph fails",
                "DELETE DATA { ex:a ex:p ex:b } ; CLEAR GRAPH ex:nope",
                None,
                Fails,
            ),
            (
                "CLEAR SILENT of a missing graph is no change",
                "CLEAR SILENT GRAPH ex:nope",
                None,
                Listed,
            ),
            (
                "DROP of a named graph lists its quads and removes it",
                "DROP GRAPH ex:g2 ; DROP GRAPH ex:empty",
                None,
                Listed,
            ),
            (
                "DROP of a missing graph fails",
                "DROP GRAPH ex:nope",
                None,
                Fails,
            ),
            (
                "DROP SILENT of a missing graph is no change",
                "DROP SILENT GRAPH ex:nope",
                None,
                Listed,
            ),
            (
                "a graph cleared then written lists both",
                "CLEAR GRAPH ex:g1 ; INSERT DATA { GRAPH ex:g1 { ex:c ex:q ex:a . ex:new ex:p ex:a } }",
                None,
                Listed,
            ),
            ("CLEAR DEFAULT is unlisted", "CLEAR DEFAULT", None, Unlisted),
            ("DROP DEFAULT is unlisted", "DROP DEFAULT", None, Unlisted),
            ("CLEAR NAMED is unlisted", "CLEAR NAMED", None, Unlisted),
            ("DROP NAMED is unlisted", "DROP NAMED", None, Unlisted),
            ("CLEAR ALL is unlisted", "CLEAR ALL", None, Unlisted),
            (
                "DROP ALL is unlisted, and later writes land in the empty store",
                "DROP ALL ; INSERT DATA { ex:x ex:p ex:y }",
                None,
                Unlisted,
            ),
        ];
        // On memory and on RocksDB: reads inside the transaction must see its writes on both.
        let directory = tempfile::tempdir().unwrap();
        for (number, &(message, update, using, outcome)) in cases.iter().enumerate() {
            let rocksdb = StoreLocation::Directory(directory.path().join(number.to_string()));
            for location in [StoreLocation::Memory, rocksdb] {
                let (reference, ours) = twins_at(&location);
                let update = format!("{PREFIX}{update}");
                let actual = differential(message, &update, using, &reference, &ours);
                let found = match &actual {
                    Ok(changes) if changes.unlisted => Outcome::Unlisted,
                    Ok(_) => Outcome::Listed,
                    Err(_) => Outcome::Fails,
                };
                assert_eq!(found, outcome, "{message} ({location:?}): {actual:?}");
            }
        }
    }

    #[test]
    fn errors_are_oxigraphs_own() {
        let (_, store) = twins();
        let parse = |update: &str| {
            SparqlParser::new()
                .parse_update(&format!("{PREFIX}{update}"))
                .unwrap()
        };
        assert!(matches!(
            store.update(&parse("CREATE GRAPH ex:g1"), None),
            Err(WriteError::Update(UpdateEvaluationError::GraphAlreadyExists(g)))
                if g.as_str() == "http://example.com/g1"
        ));
        assert!(matches!(
            store.update(&parse("DROP GRAPH ex:nope"), None),
            Err(WriteError::Update(
                UpdateEvaluationError::GraphDoesNotExist(_)
            ))
        ));
    }

    #[test]
    fn creating_an_empty_graph_or_dropping_one_is_flagged_for_the_journal() {
        let (_, store) = twins();
        let run = |update: &str| {
            let update = SparqlParser::new()
                .parse_update(&format!("{PREFIX}{update}"))
                .unwrap();
            store.update(&update, None).unwrap()
        };
        let cases = [
            ("CREATE GRAPH ex:new1", true, "an empty graph no quad shows"),
            (
                "INSERT DATA { GRAPH ex:new2 { ex:a ex:b ex:c } }",
                false,
                "its quad recreates it",
            ),
            (
                "INSERT DATA { GRAPH ex:g1 { ex:a ex:b ex:d } }",
                false,
                "an existing graph",
            ),
            ("CREATE SILENT GRAPH ex:g1", false, "no change"),
            (
                "DROP GRAPH ex:new2",
                true,
                "its quads' removal leaves it empty, not gone",
            ),
            ("DROP GRAPH ex:new1", true, "an empty graph dropped"),
        ];
        for (update, flagged, why) in cases {
            assert_eq!(run(update).graphs_changed, flagged, "{update}: {why}");
        }
    }

    #[test]
    fn load_fails_when_it_reaches_the_store_unless_silent() {
        let (_, store) = twins();
        let before = snapshot(store.oxigraph());
        let parse = |update: &str| SparqlParser::new().parse_update(update).unwrap();
        assert!(matches!(
            store.update(
                &parse("INSERT DATA { <http://example.com/x> <http://example.com/p> <http://example.com/y> } ; LOAD <http://example.com/doc>"),
                None
            ),
            Err(WriteError::Update(UpdateEvaluationError::Unexpected(_)))
        ));
        assert_eq!(
            snapshot(store.oxigraph()),
            before,
            "the failed update changed nothing"
        );
        let changes = store
            .update(&parse("LOAD SILENT <http://example.com/doc>"), None)
            .unwrap();
        assert!(changes.is_empty());
    }

    /// One operation of the generated updates, over a vocabulary small enough that operations
    /// often meet.
    #[derive(Debug, Clone)]
    enum Operation {
        InsertData(Vec<(usize, usize, usize, usize)>),
        DeleteData(Vec<(usize, usize, usize, usize)>),
        DeleteInsert {
            form: usize,
            matched: usize,
            written: usize,
            deleted: usize,
            inserted: usize,
            blank: bool,
        },
        Graph {
            verb: usize,
            graph: usize,
            silent: bool,
        },
    }

    const SUBJECTS: [&str; 3] = ["ex:a", "ex:b", "ex:c"];
    const PREDICATES: [&str; 2] = ["ex:p", "ex:q"];
    const OBJECTS: [&str; 4] = ["ex:a", "ex:b", "ex:c", "\"1\""];
    const GRAPHS: [&str; 3] = ["ex:g1", "ex:g2", "ex:g3"];

    /// A triple block in the default graph (0), a named graph (1, 2) or the graph `?g` (3).
    fn in_graph(graph: usize, triples: &str) -> String {
        match graph {
            0 => triples.to_owned(),
            3 => format!("GRAPH ?g {{ {triples} }}"),
            named => format!("GRAPH {} {{ {triples} }}", GRAPHS[named - 1]),
        }
    }

    fn data(quads: &[(usize, usize, usize, usize)]) -> String {
        quads
            .iter()
            .map(|&(s, p, o, g)| {
                let triple = format!("{} {} {}", SUBJECTS[s], PREDICATES[p], OBJECTS[o]);
                in_graph(g, &triple)
            })
            .collect::<Vec<_>>()
            .join(" . ")
    }

    impl Operation {
        fn render(&self) -> String {
            match self {
                Self::InsertData(quads) => format!("INSERT DATA {{ {} }}", data(quads)),
                Self::DeleteData(quads) => format!("DELETE DATA {{ {} }}", data(quads)),
                Self::DeleteInsert {
                    form,
                    matched,
                    written,
                    deleted,
                    inserted,
                    blank,
                } => {
                    let pattern = in_graph(*matched, &format!("?s {} ?o", PREDICATES[0]));
                    let delete = in_graph(*deleted, &format!("?s {} ?o", PREDICATES[0]));
                    let new = if *blank {
                        format!("?s {} _:n . _:n {} ?o", PREDICATES[1], PREDICATES[0])
                    } else if *written < 2 {
                        format!("?o {} ?s", PREDICATES[*written])
                    } else {
                        format!("?s {} ?o", PREDICATES[*written - 2])
                    };
                    let insert = in_graph(*inserted, &new);
                    match form {
                        0 => format!(
                            "DELETE {{ {delete} }} INSERT {{ {insert} }} WHERE {{ {pattern} }}"
                        ),
                        1 => format!("DELETE {{ {delete} }} WHERE {{ {pattern} }}"),
                        2 => format!("INSERT {{ {insert} }} WHERE {{ {pattern} }}"),
                        _ => format!("DELETE WHERE {{ {pattern} }}"),
                    }
                }
                Self::Graph {
                    verb,
                    graph,
                    silent,
                } => {
                    let verb = ["CREATE", "CLEAR", "DROP"][*verb];
                    let silent = if *silent { " SILENT" } else { "" };
                    format!("{verb}{silent} GRAPH {}", GRAPHS[*graph])
                }
            }
        }
    }

    fn operation() -> impl Strategy<Value = Operation> {
        let quads = proptest::collection::vec((0..3usize, 0..2usize, 0..4usize, 0..3usize), 1..4);
        prop_oneof![
            3 => quads.clone().prop_map(Operation::InsertData),
            2 => quads.prop_map(Operation::DeleteData),
            3 => (0..4usize, 0..4usize, 0..4usize, 0..4usize, 0..4usize, any::<bool>()).prop_map(
                |(form, matched, written, deleted, inserted, blank)| Operation::DeleteInsert {
                    form,
                    matched,
                    written,
                    deleted,
                    inserted,
                    blank,
                }
            ),
            1 => (0..3usize, 0..3usize, any::<bool>())
                .prop_map(|(verb, graph, silent)| Operation::Graph { verb, graph, silent }),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            cases: 200,
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        #[test]
        fn random_updates_change_the_store_as_oxigraph_does_and_list_exactly_what_changed(
            updates in proptest::collection::vec(proptest::collection::vec(operation(), 1..5), 1..5),
        ) {
            let (reference, ours) = twins();
            for operations in &updates {
                let update = format!(
                    "{PREFIX}{}",
                    operations.iter().map(Operation::render).collect::<Vec<_>>().join(" ;\n")
                );
                let outcome = differential("generated", &update, None, &reference, &ours);
                prop_assert!(!matches!(outcome, Ok(ChangeSet { unlisted: true, .. })), "{update}");
            }
        }
    }
}
