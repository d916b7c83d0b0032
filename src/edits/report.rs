//! One article and its claims in one write: the source document, its statements, the entities
//! and figures they introduce, and the confirmations between them.
//!
//! A report is resolved, planned, checked against the SHACL shapes as a whole and committed in
//! one [`ReadModels::write`] step, so it is written whole or not at all. It leans on the edits'
//! [`Plan`] (each quad tagged with the request field it comes from, here a path such as
//! `statements[3].speaker`), on [`ReadView::resolve`] and the search index's exact names for
//! entities given by name, and on [`Shapes::check`] for everything the shapes say.
//!
//! The model is the seed's: the source document gets a named graph of its own, named by its
//! IRI, which holds the document, every direct triple with its statement node (provenance:
//! `eg:source`, `eg:speaker`, `eg:statedOn` or bounds, `eg:quote`, modality, attribution,
//! qualifiers, `eg:confirms`/`eg:confirmedBy` both ways), the entities the report creates and
//! its figures (`eg:Quantity` with `eg:hedge`, `eg:printedAs`, `eg:countOf`, `eg:value`).
//!
//! The document's IRI is the v5 uuid of its URL as given (trimmed, not normalised), so a
//! second report of the same URL is found in O(1) and refused ([`EditError::ReportExists`])
//! instead of replacing the first: the first report's statements may already be confirmed by other
//! documents and its new entities used by later reports, which a replacement would leave
//! dangling. A name is never matched loosely: it names exactly one entity, or the report asks
//! for a new one, or it is refused (with the candidates when several entities share it).
//!
//! What this module does not do: fetch or parse the article's text (it is stored as given),
//! merge entities, or revise an earlier report.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, Quad, Term};

use super::statement::{Attribution, Modality};
use super::{EditError, Plan, declared, invalid, term_field};
use crate::catalog::search::{IndexEntry, fold};
use crate::catalog::{Catalog, local_name};
use crate::model::{EntityId, is_day};
use crate::read_models::{ReadModels, ReadView, ResolveError, Written};
use crate::shapes::{Shapes, Violation};
use crate::store::Store;
use crate::vocab::{eg, skos};

/// IRIs the report writes that `vocab` does not name.
mod iri {
    use oxigraph::model::NamedNodeRef;

    pub const NEWS_ARTICLE: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://schema.org/NewsArticle");
    pub const HEADLINE: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://schema.org/headline");
    pub const SCHEMA_PUBLISHER: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://schema.org/publisher");
    pub const DATE_PUBLISHED: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://schema.org/datePublished");
    pub const IN_LANGUAGE: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://schema.org/inLanguage");
    pub const URL: NamedNodeRef<'_> = NamedNodeRef::new_unchecked("https://schema.org/url");
    pub const TEXT: NamedNodeRef<'_> = NamedNodeRef::new_unchecked("https://schema.org/text");
    pub const TITLE: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/title");
    pub const PUBLISHER: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/publisher");
    pub const ISSUED: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/issued");
    pub const LANGUAGE: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/language");
    pub const NOTE: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#note");
    pub const HEDGE: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#hedge");
    pub const PRINTED_AS: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#printedAs");
    pub const COUNT_OF: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#countOf");
    pub const HEDGE_WORD: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#hedgeWord");
    pub const VALUE: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#value");
    pub const PROBABLE_VALUE: NamedNodeRef<'_> =
        NamedNodeRef::new_unchecked("https://w3id.org/eventgraph/ontology#probableValue");
}

/// An entity a report names: an existing one by uuid, label or alias, or a new one.
#[derive(Debug, Clone)]
pub enum EntityRef {
    /// A uuid, label or alias that names exactly one entity (or a new entity of this report).
    Key(String),
    /// An entity the report creates; refused when its label already names an entity.
    New(NewEntity),
}

/// An entity a report creates.
#[derive(Debug, Clone, Default)]
pub struct NewEntity {
    /// The English label.
    pub label: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// Classes of the ontology (IRIs or `eg:` local names); at least one.
    pub types: Vec<String>,
    /// A description; the shapes require one.
    pub description: Option<String>,
    /// For a new event: the day it happened, `YYYY-MM-DD` (`eg:date`).
    pub date: Option<String>,
    /// For a new event: the earliest day it can have happened (`eg:notBefore`).
    pub not_before: Option<String>,
    /// For a new event: the latest day it can have happened (`eg:notAfter`).
    pub not_after: Option<String>,
}

/// How a printed figure relates to the true one (`eg:Hedge`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Hedge {
    /// No hedging word (`eg:Exact`).
    #[default]
    Exact,
    /// 'more than', 'over', 'exceeded' (`eg:LowerBound`).
    LowerBound,
    /// 'fewer than', 'up to' (`eg:UpperBound`).
    UpperBound,
    /// 'about', 'some' (`eg:Approximate`).
    Approximate,
}

impl Hedge {
    fn iri(self) -> NamedNode {
        let name = match self {
            Self::Exact => "Exact",
            Self::LowerBound => "LowerBound",
            Self::UpperBound => "UpperBound",
            Self::Approximate => "Approximate",
        };
        NamedNode::new_unchecked(format!("{}{name}", eg::NAMESPACE))
    }
}

/// A reported figure: a new `eg:Quantity`.
#[derive(Debug, Clone, Default)]
pub struct QuantityEdit {
    /// The number, when the printed figure is usable as printed: decimal digits, with an
    /// optional sign and fraction.
    pub value: Option<String>,
    /// The most likely intended number when the printed figure is evidently wrong (with `note`).
    pub probable_value: Option<String>,
    /// The figure exactly as printed ('more than 1,400').
    pub printed_as: String,
    /// The hedging word as printed ('more than').
    pub hedge_word: Option<String>,
    /// How the printed figure relates to the true one.
    pub hedge: Hedge,
    /// What is counted, in words ('people killed in Israel').
    pub count_of: String,
    /// Why the figure is read as it is.
    pub note: Option<String>,
}

/// The object of a reported statement.
#[derive(Debug, Clone)]
pub enum ObjectRef {
    /// An entity.
    Entity(EntityRef),
    /// A figure the statement reports.
    Quantity(QuantityEdit),
}

/// A statement that a report's statement confirms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmed {
    /// Another statement of the same report, by its index in `statements`.
    InReport(usize),
    /// An existing statement, by its uuid.
    Existing(String),
}

/// The source document of a report.
#[derive(Debug, Clone, Default)]
pub struct SourceEdit {
    /// Where it was published; its IRI is the v5 uuid of this text.
    pub url: String,
    /// Its title.
    pub title: String,
    /// Who published it.
    pub publisher: Option<EntityRef>,
    /// When, `YYYY-MM-DD`.
    pub published: String,
    /// Its language (BCP 47); English when absent.
    pub language: Option<String>,
    /// Its text, stored as given (`schema:text`).
    pub text: Option<String>,
    /// A description; by default one naming the publisher and the date.
    pub description: Option<String>,
}

/// One statement of a report.
#[derive(Debug, Clone)]
pub struct ReportStatement {
    /// The subject entity.
    pub subject: EntityRef,
    /// An object property of the ontology (IRI or `eg:` local name).
    pub predicate: String,
    /// The object: an entity or a figure.
    pub object: ObjectRef,
    /// Who said it.
    pub speaker: EntityRef,
    /// When it was said, `YYYY-MM-DD`.
    pub date: Option<String>,
    /// The earliest day it can have been said.
    pub date_not_before: Option<String>,
    /// The latest day it can have been said.
    pub date_not_after: Option<String>,
    /// The verbatim evidence quote.
    pub quote: String,
    /// Stated as fact or as possible.
    pub modality: Modality,
    /// Attributed in the text or the publisher's narration.
    pub attribution: Attribution,
    /// Qualifiers: property (IRI or `eg:` local name) → an entity for an object property, a
    /// text for a datatype property (`intermediary`, `reportedTo`, `referredToAs`, ...).
    pub qualifiers: BTreeMap<String, EntityRef>,
    /// The statements this one confirms.
    pub confirms: Vec<Confirmed>,
    /// A modeller's note (`eg:note`).
    pub note: Option<String>,
}

/// A whole report: one source document and its statements.
#[derive(Debug, Clone, Default)]
pub struct ReportEdit {
    /// The article.
    pub source: SourceEdit,
    /// What it reports.
    pub statements: Vec<ReportStatement>,
}

/// What a report wrote.
#[derive(Debug, Clone)]
pub struct ReportWritten {
    /// The source document, also the name of its graph.
    pub document: NamedNode,
    /// The statement nodes, in the order of the request.
    pub statements: Vec<NamedNode>,
    /// The entities the report created, with their labels.
    pub created: Vec<(NamedNode, String)>,
    /// The figures, with the index of their statement.
    pub quantities: Vec<(usize, NamedNode)>,
    /// How many quads were inserted.
    pub quads: usize,
}

/// The IRI of the source document published at `url`.
pub fn document_iri(url: &str) -> NamedNode {
    EntityId::from_canonical_name(url).iri()
}

/// What a checked resource is to the request: where its fields live.
#[derive(Debug, Clone)]
enum Role {
    Document,
    Statement(usize),
    NewEntity(String),
    Quantity(usize),
    /// An existing entity that gets a direct triple, by the first statement that gives it one.
    Subject(usize, String),
    /// An existing statement that gets `eg:confirmedBy`, by the field that confirms it.
    Confirmed(String),
}

/// The entities of a report resolved so far, and those it creates.
struct Resolver<'a> {
    view: &'a ReadView,
    store: &'a Store,
    /// Folded label → (IRI, label) of the entities this report creates.
    created: HashMap<String, (NamedNode, String)>,
}

impl Resolver<'_> {
    /// The IRI of an entity reference at `field`.
    fn resolve(&self, field: &str, reference: &EntityRef) -> Result<NamedNode, EditError> {
        let key = match reference {
            EntityRef::New(new) => {
                return self
                    .created
                    .get(&fold(&new.label))
                    .map(|(iri, _)| iri.clone())
                    .ok_or_else(|| invalid(format!("{field}.new.label"), "the label is empty"));
            }
            EntityRef::Key(key) => key,
        };
        if key.trim().is_empty() {
            return Err(invalid(field, "the name is empty"));
        }
        if key.parse::<EntityId>().is_err() {
            if let Some((iri, _)) = self.created.get(&fold(key)) {
                return Ok(iri.clone());
            }
        }
        self.view
            .resolve(self.store, key)
            .map_err(|error| match error {
                ResolveError::Unknown { key } => invalid(
                    field,
                    format!(
                        "no entity has the id or name '{key}'; to create one, give {{\"new\": {{\"label\": ..., \"types\": [...], \"description\": ...}}}}"
                    ),
                ),
                ResolveError::Ambiguous { key, candidates } => EditError::AmbiguousField {
                    field: field.to_owned(),
                    key,
                    candidates,
                },
                ResolveError::Catalog(error) => error.into(),
            })
    }

    /// The label of an entity the report names, for the statements' labels.
    fn label(&self, iri: &NamedNode) -> Result<String, EditError> {
        if let Some((_, label)) = self.created.values().find(|(i, _)| i == iri) {
            return Ok(label.clone());
        }
        Ok(Catalog::new(self.store).labelled(iri.as_ref())?.label)
    }
}

/// Every new entity a report asks for, with the field that asks.
fn new_entities(edit: &ReportEdit) -> Vec<(String, &NewEntity)> {
    let mut found = Vec::new();
    if let Some(EntityRef::New(new)) = &edit.source.publisher {
        found.push(("source.publisher".to_owned(), new));
    }
    for (k, statement) in edit.statements.iter().enumerate() {
        let mut refs = vec![
            (format!("statements[{k}].subject"), &statement.subject),
            (format!("statements[{k}].speaker"), &statement.speaker),
        ];
        if let ObjectRef::Entity(object) = &statement.object {
            refs.push((format!("statements[{k}].object"), object));
        }
        for (name, value) in &statement.qualifiers {
            refs.push((format!("statements[{k}].qualifiers.{name}"), value));
        }
        for (field, reference) in refs {
            if let EntityRef::New(new) = reference {
                found.push((field, new));
            }
        }
    }
    found
}

/// A day, checked, as an `xsd:date`.
fn day(field: &str, text: &str) -> Result<Literal, EditError> {
    if is_day(text) {
        Ok(Literal::new_typed_literal(text, xsd::DATE))
    } else {
        Err(invalid(
            field,
            format!("'{text}' is not a date written YYYY-MM-DD"),
        ))
    }
}

/// A number, checked, as an `xsd:integer` or `xsd:decimal`.
fn number(field: &str, text: &str) -> Result<Literal, EditError> {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return Err(invalid(field, format!("'{text}' is not a decimal number")));
    }
    if digits.contains('.') {
        if fraction.is_empty() {
            return Err(invalid(field, format!("'{text}' is not a decimal number")));
        }
        Ok(Literal::new_typed_literal(text, xsd::DECIMAL))
    } else {
        Ok(Literal::new_typed_literal(text, xsd::INTEGER))
    }
}

fn english(text: impl Into<String>) -> Literal {
    Literal::new_language_tagged_literal_unchecked(text, "en")
}

/// The quads of a report, tagged with their fields, and the role of each checked resource.
struct Planned {
    plan: Plan,
    roles: Vec<(NamedNode, Role)>,
    written: ReportWritten,
}

/// The quads a report inserts, all in its document's graph, each with its request field.
struct Quads {
    /// The document's IRI, naming its graph.
    graph: NamedNode,
    plan: Plan,
}

impl Quads {
    fn add(
        &mut self,
        subject: &NamedNode,
        predicate: NamedNodeRef<'_>,
        object: impl Into<Term>,
        field: impl Into<String>,
    ) {
        let quad = Quad::new(subject.clone(), predicate, object, self.graph.clone());
        self.plan.insert.push((quad, field.into()));
    }
}

#[allow(clippy::too_many_lines)] // one pass over the request, field by field, in its order
fn plan(view: &ReadView, store: &Store, edit: &ReportEdit) -> Result<Planned, EditError> {
    let source = &edit.source;
    if source.url.trim().is_empty() {
        return Err(invalid("source.url", "a report needs its source's URL"));
    }
    let url_text = source.url.trim();
    let url = NamedNode::new(url_text)
        .map_err(|e| invalid("source.url", format!("'{url_text}' is not an IRI: {e}")))?;
    let document = document_iri(url_text);
    if store
        .oxigraph()
        .quads_for_pattern(Some(document.as_ref().into()), None, None, None)
        .next()
        .transpose()?
        .is_some()
    {
        return Err(EditError::ReportExists {
            url: source.url.clone(),
            document: document.as_str().to_owned(),
        });
    }
    if source.title.trim().is_empty() {
        return Err(invalid("source.title", "a source needs its title"));
    }
    let published = day("source.published", &source.published)?;
    let language = source.language.clone().unwrap_or_else(|| "en".to_owned());
    let title = Literal::new_language_tagged_literal(source.title.trim(), &language)
        .map_err(|e| invalid("source.language", format!("'{language}': {e}")))?;
    if edit.statements.is_empty() {
        return Err(invalid(
            "statements",
            "a report needs at least one statement",
        ));
    }

    // The entities the report creates, first, so that any statement may name them.
    let mut resolver = Resolver {
        view,
        store,
        created: HashMap::new(),
    };
    let mut out = Quads {
        graph: document.clone(),
        plan: Plan::default(),
    };
    let mut roles: Vec<(NamedNode, Role)> = vec![(document.clone(), Role::Document)];
    let mut created = Vec::new();
    for (field, new) in new_entities(edit) {
        let label = new.label.trim();
        if label.is_empty() {
            return Err(invalid(format!("{field}.new.label"), "the label is empty"));
        }
        let folded = fold(label);
        if resolver.created.contains_key(&folded) {
            // The same new entity named again: the first definition holds.
            continue;
        }
        let existing: Vec<&IndexEntry> = view.index.exact(label);
        match existing.as_slice() {
            [] => {}
            [one] => {
                return Err(invalid(
                    format!("{field}.new.label"),
                    format!(
                        "'{label}' already names the entity {}; name it instead of creating another",
                        one.resource.iri
                    ),
                ));
            }
            many => {
                return Err(EditError::AmbiguousField {
                    field: format!("{field}.new.label"),
                    key: label.to_owned(),
                    candidates: many.iter().map(|&entry| entry.clone()).collect(),
                });
            }
        }
        let iri = EntityId::new_random().iri();
        let at = |name: &str| format!("{field}.new.{name}");
        out.add(&iri, rdfs::LABEL, english(label), at("label"));
        for (i, alias) in new.aliases.iter().enumerate() {
            if alias.trim().is_empty() {
                return Err(invalid(at(&format!("aliases[{i}]")), "the alias is empty"));
            }
            let field = at(&format!("aliases[{i}]"));
            out.add(&iri, skos::ALT_LABEL, english(alias.trim()), field);
        }
        for (i, name) in new.types.iter().enumerate() {
            let field = at(&format!("types[{i}]"));
            let class = term_field(&field, name)?;
            if !declared(store, &class, &["Class"])? {
                return Err(invalid(
                    field,
                    format!("'{name}' is not a class of the ontology"),
                ));
            }
            out.add(&iri, rdf::TYPE, class, field);
        }
        if let Some(description) = &new.description {
            out.add(
                &iri,
                rdfs::COMMENT,
                english(description.clone()),
                at("description"),
            );
        }
        // An event's dates; the shapes say which classes want them (an event needs one).
        for (date, property, name) in [
            (&new.date, eg::DATE, "date"),
            (&new.not_before, eg::NOT_BEFORE, "not_before"),
            (&new.not_after, eg::NOT_AFTER, "not_after"),
        ] {
            if let Some(date) = date {
                out.add(&iri, property, day(&at(name), date)?, at(name));
            }
        }
        resolver
            .created
            .insert(folded, (iri.clone(), label.to_owned()));
        roles.push((iri.clone(), Role::NewEntity(format!("{field}.new"))));
        created.push((iri, label.to_owned()));
    }

    // The source document.
    let publisher = match &source.publisher {
        Some(publisher) => resolver.resolve("source.publisher", publisher)?,
        None => return Err(invalid("source.publisher", "a source needs its publisher")),
    };
    let publisher_label = resolver.label(&publisher)?;
    let d = &document;
    out.add(d, rdf::TYPE, eg::SOURCE_DOCUMENT.into_owned(), "source");
    out.add(d, rdf::TYPE, iri::NEWS_ARTICLE.into_owned(), "source");
    out.add(d, rdfs::LABEL, english(source.title.trim()), "source.title");
    let description = source.description.clone().unwrap_or_else(|| {
        format!(
            "News article published by {publisher_label} on {}, reported through POST /api/v1/reports.",
            source.published
        )
    });
    out.add(d, rdfs::COMMENT, english(description), "source.description");
    out.add(d, iri::TITLE, title.clone(), "source.title");
    out.add(d, iri::HEADLINE, title, "source.title");
    out.add(d, iri::PUBLISHER, publisher.clone(), "source.publisher");
    out.add(d, iri::SCHEMA_PUBLISHER, publisher, "source.publisher");
    out.add(d, iri::ISSUED, published.clone(), "source.published");
    out.add(d, iri::DATE_PUBLISHED, published, "source.published");
    let language = Literal::new_simple_literal(language);
    out.add(d, iri::LANGUAGE, language.clone(), "source.language");
    out.add(d, iri::IN_LANGUAGE, language, "source.language");
    out.add(d, iri::URL, url, "source.url");
    if let Some(text) = &source.text {
        out.add(
            d,
            iri::TEXT,
            Literal::new_simple_literal(text.clone()),
            "source.text",
        );
    }
    let document_label = source.title.trim().to_owned();

    // The statements: ids first, so that a statement may confirm a later one.
    let statements: Vec<NamedNode> = edit
        .statements
        .iter()
        .map(|_| EntityId::new_random().iri())
        .collect();
    let mut quantities = Vec::new();
    let mut subjects: HashMap<NamedNode, usize> = HashMap::new();
    for (k, statement) in edit.statements.iter().enumerate() {
        let at = |name: &str| format!("statements[{k}].{name}");
        let node = &statements[k];
        let subject = resolver.resolve(&at("subject"), &statement.subject)?;
        let predicate = term_field(&at("predicate"), &statement.predicate)?;
        if !declared(store, &predicate, &["ObjectProperty"])? {
            return Err(invalid(
                at("predicate"),
                format!(
                    "'{}' is not an object property of the ontology",
                    statement.predicate
                ),
            ));
        }
        let (object, object_label) = match &statement.object {
            ObjectRef::Entity(object) => {
                let iri = resolver.resolve(&at("object"), object)?;
                let label = resolver.label(&iri)?;
                (iri, label)
            }
            ObjectRef::Quantity(quantity) => {
                let iri = EntityId::new_random().iri();
                let label = quantity_quads(&mut out, &iri, quantity, &at("object.quantity"))?;
                roles.push((iri.clone(), Role::Quantity(k)));
                quantities.push((k, iri.clone()));
                (iri, label)
            }
        };
        let speaker = resolver.resolve(&at("speaker"), &statement.speaker)?;
        if statement.quote.trim().is_empty() {
            return Err(invalid(at("quote"), "a statement needs its verbatim quote"));
        }
        let dates = [
            (&statement.date, eg::STATED_ON, "date"),
            (
                &statement.date_not_before,
                eg::STATED_NOT_BEFORE,
                "date_not_before",
            ),
            (
                &statement.date_not_after,
                eg::STATED_NOT_AFTER,
                "date_not_after",
            ),
        ];
        if dates.iter().all(|(date, _, _)| date.is_none()) {
            return Err(invalid(
                at("date"),
                "a statement needs the day it was made (date) or bounds (date_not_before, date_not_after)",
            ));
        }
        out.add(&subject, predicate.as_ref(), object.clone(), at("object"));
        subjects.entry(subject.clone()).or_insert(k);
        let label = format!(
            "Statement: {} — {} — {}",
            resolver.label(&subject)?,
            local_name(predicate.as_str()),
            object_label
        );
        let comment = format!(
            "Reported by {} in {document_label}.",
            resolver.label(&speaker)?
        );
        out.add(
            node,
            rdf::TYPE,
            eg::STATEMENT.into_owned(),
            format!("statements[{k}]"),
        );
        out.add(node, rdfs::LABEL, english(label), at("subject"));
        out.add(node, rdfs::COMMENT, english(comment), at("speaker"));
        out.add(node, rdf::SUBJECT, subject, at("subject"));
        out.add(node, rdf::PREDICATE, predicate, at("predicate"));
        out.add(node, rdf::OBJECT, object, at("object"));
        out.add(node, eg::SOURCE, document.clone(), "source");
        out.add(node, eg::SPEAKER, speaker, at("speaker"));
        out.add(
            node,
            eg::QUOTE,
            Literal::new_simple_literal(statement.quote.clone()),
            at("quote"),
        );
        for (date, property, name) in dates {
            if let Some(date) = date {
                out.add(node, property, day(&at(name), date)?, at(name));
            }
        }
        let modality = match statement.modality {
            Modality::Asserted => eg::ASSERTED,
            Modality::Possible => eg::POSSIBLE,
            Modality::Denied => eg::DENIED,
        };
        out.add(node, eg::MODALITY, modality.into_owned(), at("modality"));
        let attribution = match statement.attribution {
            Attribution::AttributedInText => eg::ATTRIBUTED_IN_TEXT,
            Attribution::PublisherNarration => eg::PUBLISHER_NARRATION,
        };
        out.add(
            node,
            eg::ATTRIBUTION,
            attribution.into_owned(),
            at("attribution"),
        );
        if let Some(note) = &statement.note {
            out.add(node, iri::NOTE, english(note.clone()), at("note"));
        }
        for (name, value) in &statement.qualifiers {
            let field = at(&format!("qualifiers.{name}"));
            let property = term_field(&field, name)?;
            let value: Term = if declared(store, &property, &["ObjectProperty"])? {
                resolver.resolve(&field, value)?.into()
            } else if declared(store, &property, &["DatatypeProperty"])? {
                match value {
                    EntityRef::Key(text) => Literal::new_simple_literal(text.clone()).into(),
                    EntityRef::New(_) => {
                        return Err(invalid(
                            field,
                            format!("'{name}' takes a text, not a new entity"),
                        ));
                    }
                }
            } else {
                return Err(invalid(
                    field,
                    format!("'{name}' is not a property of the ontology"),
                ));
            };
            out.add(node, property.as_ref(), value, field);
        }
        for (j, confirmed) in statement.confirms.iter().enumerate() {
            let field = at(&format!("confirms[{j}]"));
            let target = match confirmed {
                Confirmed::InReport(i) if *i == k => {
                    return Err(invalid(field, "a statement cannot confirm itself"));
                }
                Confirmed::InReport(i) => statements.get(*i).cloned().ok_or_else(|| {
                    invalid(
                        &field,
                        format!(
                            "the report has no statement {i} (it has {})",
                            statements.len()
                        ),
                    )
                })?,
                Confirmed::Existing(id) => {
                    let iri = id
                        .parse::<EntityId>()
                        .map_err(|_| invalid(&field, format!("'{id}' is not a uuid")))?
                        .iri();
                    let is_statement = store
                        .oxigraph()
                        .quads_for_pattern(
                            Some(iri.as_ref().into()),
                            Some(rdf::TYPE),
                            Some(eg::STATEMENT.into()),
                            None,
                        )
                        .next()
                        .transpose()?
                        .is_some();
                    if !is_statement {
                        return Err(invalid(&field, format!("no statement has the id '{id}'")));
                    }
                    roles.push((iri.clone(), Role::Confirmed(field.clone())));
                    iri
                }
            };
            out.add(node, eg::CONFIRMS, target.clone(), field.clone());
            out.add(&target, eg::CONFIRMED_BY, node.clone(), field);
        }
        roles.push((node.clone(), Role::Statement(k)));
    }
    for (subject, k) in subjects {
        if !roles.iter().any(|(iri, _)| *iri == subject) {
            let predicate = term_field("predicate", &edit.statements[k].predicate)?;
            roles.push((subject, Role::Subject(k, predicate.as_str().to_owned())));
        }
    }
    // Statements of one triple share its direct triple: each quad once, with its first field.
    let mut seen = std::collections::HashSet::new();
    out.plan
        .insert
        .retain(|(quad, _)| seen.insert(quad.clone()));
    let quads = out.plan.insert.len();
    Ok(Planned {
        plan: out.plan,
        roles,
        written: ReportWritten {
            document,
            statements,
            created,
            quantities,
            quads,
        },
    })
}

/// The quads of a figure; returns its label.
fn quantity_quads(
    out: &mut Quads,
    iri: &NamedNode,
    quantity: &QuantityEdit,
    field: &str,
) -> Result<String, EditError> {
    let at = |name: &str| format!("{field}.{name}");
    if quantity.printed_as.trim().is_empty() {
        return Err(invalid(
            at("printed_as"),
            "a figure needs its text as printed",
        ));
    }
    if quantity.count_of.trim().is_empty() {
        return Err(invalid(at("count_of"), "a figure needs what it counts"));
    }
    if quantity.value.is_none() && quantity.probable_value.is_none() {
        return Err(invalid(
            at("value"),
            "a figure needs its value, or a probable_value with a note when the printed figure is evidently wrong",
        ));
    }
    let label = format!(
        "{}: {}",
        quantity.count_of.trim(),
        quantity.printed_as.trim()
    );
    let text = |t: &str| Literal::new_simple_literal(t.trim());
    out.add(iri, rdf::TYPE, eg::QUANTITY.into_owned(), field);
    out.add(iri, rdfs::LABEL, english(label.clone()), at("count_of"));
    let comment = format!(
        "Figure of {} as the source prints it ('{}').",
        quantity.count_of.trim(),
        quantity.printed_as.trim()
    );
    out.add(iri, rdfs::COMMENT, english(comment), at("count_of"));
    out.add(
        iri,
        iri::PRINTED_AS,
        text(&quantity.printed_as),
        at("printed_as"),
    );
    out.add(iri, iri::HEDGE, quantity.hedge.iri(), at("hedge"));
    out.add(iri, iri::COUNT_OF, text(&quantity.count_of), at("count_of"));
    if let Some(word) = &quantity.hedge_word {
        out.add(iri, iri::HEDGE_WORD, text(word), at("hedge_word"));
    }
    if let Some(value) = &quantity.value {
        out.add(iri, iri::VALUE, number(&at("value"), value)?, at("value"));
    }
    if let Some(value) = &quantity.probable_value {
        let value = number(&at("probable_value"), value)?;
        out.add(iri, iri::PROBABLE_VALUE, value, at("probable_value"));
    }
    if let Some(note) = &quantity.note {
        out.add(iri, iri::NOTE, english(note.clone()), at("note"));
    }
    Ok(label)
}

/// The request field of a violation no inserted quad explains (a value the shapes want and
/// the report does not give), from the role of the resource at fault.
fn field_of(roles: &[(NamedNode, Role)], violation: &Violation) -> String {
    let Some((_, role)) = roles
        .iter()
        .find(|(iri, _)| iri.as_str() == violation.focus)
    else {
        return "body".to_owned();
    };
    let path = violation.path.as_deref().unwrap_or_default();
    let property = local_name(path);
    match role {
        Role::Document => match property {
            "title" | "headline" => "source.title".to_owned(),
            "publisher" => "source.publisher".to_owned(),
            "datePublished" | "issued" => "source.published".to_owned(),
            "language" | "inLanguage" => "source.language".to_owned(),
            "comment" => "source.description".to_owned(),
            _ => "source".to_owned(),
        },
        Role::Statement(k) => {
            let name = match property {
                "subject" | "label" => "subject",
                "predicate" => "predicate",
                "object" => "object",
                "source" => return "source".to_owned(),
                "speaker" | "comment" => "speaker",
                "quote" => "quote",
                "statedOn" | "" => "date",
                "statedNotBefore" => "date_not_before",
                "statedNotAfter" => "date_not_after",
                "modality" => "modality",
                "attribution" => "attribution",
                "confirms" | "confirmedBy" => "confirms",
                other if path.starts_with(eg::NAMESPACE) => {
                    return format!("statements[{k}].qualifiers.{other}");
                }
                _ => return format!("statements[{k}]"),
            };
            format!("statements[{k}].{name}")
        }
        Role::NewEntity(prefix) => {
            if violation.path.is_none() {
                // A constraint on the whole entity (an event's date or participant): its fields.
                return prefix.clone();
            }
            let name = match property {
                "label" => "label",
                "altLabel" => "aliases",
                "comment" => "description",
                "date" => "date",
                "notBefore" => "not_before",
                "notAfter" => "not_after",
                _ => "types",
            };
            format!("{prefix}.{name}")
        }
        Role::Quantity(k) => {
            let name = match property {
                "hedge" => "hedge",
                "printedAs" => "printed_as",
                "countOf" => "count_of",
                "hedgeWord" => "hedge_word",
                "probableValue" => "probable_value",
                "note" => "note",
                _ => "value",
            };
            format!("statements[{k}].object.quantity.{name}")
        }
        Role::Subject(k, predicate) => {
            if path == predicate {
                format!("statements[{k}].object")
            } else {
                format!("statements[{k}].predicate")
            }
        }
        Role::Confirmed(field) => field.clone(),
    }
}

/// Where a field path comes in a request: the source first, then the statements by index.
fn request_order(field: &str) -> (usize, String) {
    let index = field
        .strip_prefix("statements[")
        .and_then(|rest| rest.split(']').next())
        .and_then(|k| k.parse::<usize>().ok());
    match index {
        Some(k) => (k + 1, field.to_owned()),
        None => (0, field.to_owned()),
    }
}

/// Writes a report: its source document in a graph of its own, its statements with their
/// direct triples, the entities and figures it introduces, its confirmations, all in one
/// transaction after one check of every resource it creates or changes against the shapes.
///
/// # Errors
/// [`EditError::InvalidField`] naming the field path at fault (`statements[3].speaker`);
/// [`EditError::AmbiguousField`] when a name is shared by several entities;
/// [`EditError::ReportExists`] when a report of this URL was written before;
/// [`EditError::ShapeViolation`] with each violation's field path. Nothing is written then.
pub fn create(
    models: &Arc<ReadModels>,
    shapes: &Shapes,
    edit: &ReportEdit,
) -> Result<Written<ReportWritten>, EditError> {
    models.write(|store| {
        let view = models.read()?;
        let Planned {
            plan,
            roles,
            written,
        } = plan(&view, store, edit)?;
        drop(view);
        let focus: Vec<NamedNode> = roles.iter().map(|(iri, _)| iri.clone()).collect();
        let change = plan
            .check_and_commit(store, shapes, &focus, |v| field_of(&roles, v))
            .map_err(|error| match error {
                EditError::ShapeViolation { mut violations } => {
                    // In the order of the request, so that the first names the first field.
                    violations.sort_by_cached_key(|(field, _)| request_order(field));
                    EditError::ShapeViolation { violations }
                }
                other => other,
            })?;
        Ok((written, change))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StoreLocation;

    fn seeded() -> (Arc<ReadModels>, Shapes) {
        let store = Store::open(&StoreLocation::Memory).unwrap();
        store.seed_if_empty().unwrap();
        (
            ReadModels::build(store).unwrap(),
            Shapes::compiled().unwrap(),
        )
    }

    fn key(name: &str) -> EntityRef {
        EntityRef::Key(name.to_owned())
    }

    fn statement(subject: &str, predicate: &str, object: &str, speaker: &str) -> ReportStatement {
        ReportStatement {
            subject: key(subject),
            predicate: predicate.to_owned(),
            object: ObjectRef::Entity(key(object)),
            speaker: key(speaker),
            date: Some("2024-01-02".to_owned()),
            date_not_before: None,
            date_not_after: None,
            quote: "as quoted".to_owned(),
            modality: Modality::Asserted,
            attribution: Attribution::AttributedInText,
            qualifiers: BTreeMap::new(),
            confirms: Vec::new(),
            note: None,
        }
    }

    #[test]
    fn a_report_is_written_whole_in_its_documents_graph_or_not_at_all() {
        let (models, shapes) = seeded();
        let before = models.store().len().unwrap();
        let mut confirmation = statement("United States", "contactsVia", "Hamas", "Russia");
        confirmation.confirms = vec![Confirmed::InReport(0)];
        let mut edit = ReportEdit {
            source: SourceEdit {
                url: "https://example.org/a".to_owned(),
                title: "A".to_owned(),
                publisher: Some(key("Sputnik Africa")),
                published: "2024-01-02".to_owned(),
                ..SourceEdit::default()
            },
            statements: vec![
                statement("United States", "contactsVia", "Hamas", "Qatar"),
                confirmation,
                statement("Qatar", "contactsVia", "Hamas", "Nobody by that name"),
            ],
        };
        let Err(EditError::InvalidField { field, .. }) = create(&models, &shapes, &edit) else {
            panic!("an unknown speaker is refused");
        };
        assert_eq!(field, "statements[2].speaker");
        assert_eq!(models.store().len().unwrap(), before, "nothing was written");

        edit.statements[2].speaker = key("Qatar");
        let written = create(&models, &shapes, &edit).unwrap().value;
        assert_eq!(written.statements.len(), 3);
        assert_eq!(models.store().len().unwrap(), before + written.quads);
        let in_graph = models
            .store()
            .oxigraph()
            .quads_for_pattern(None, None, None, Some(written.document.as_ref().into()))
            .count();
        assert_eq!(
            in_graph, written.quads,
            "every quad is in the document's graph"
        );

        let Err(EditError::ReportExists { document, .. }) = create(&models, &shapes, &edit) else {
            panic!("a second report of the URL is refused");
        };
        assert_eq!(document, written.document.as_str());
        assert_eq!(models.store().len().unwrap(), before + written.quads);
    }

    #[test]
    fn numbers_are_integers_or_decimals_and_nothing_else() {
        let integer = number("f", "1400").unwrap();
        assert_eq!(integer.datatype(), xsd::INTEGER);
        assert_eq!(number("f", "-2.5").unwrap().datatype(), xsd::DECIMAL);
        for bad in ["", "1,400", "1e3", "2.", ".5", "about 240", "--1"] {
            assert!(number("f", bad).is_err(), "{bad:?} is refused");
        }
    }

    #[test]
    fn a_document_iri_is_the_same_for_the_same_url_and_differs_for_another() {
        let a = document_iri("https://example.org/a");
        assert_eq!(a, document_iri("https://example.org/a"));
        assert_ne!(a, document_iri("https://example.org/b"));
        assert!(EntityId::from_iri(a.as_str()).is_some());
    }

    #[test]
    fn fields_sort_in_the_order_of_the_request() {
        let mut fields = vec![
            "statements[10].quote",
            "statements[2].speaker",
            "source.title",
        ];
        fields.sort_by_cached_key(|f| request_order(f));
        assert_eq!(
            fields,
            [
                "source.title",
                "statements[2].speaker",
                "statements[10].quote"
            ]
        );
    }

    #[test]
    fn hedges_name_the_ontology_individuals() {
        assert_eq!(
            Hedge::LowerBound.iri().as_str(),
            "https://w3id.org/eventgraph/ontology#LowerBound"
        );
        assert_eq!(
            Hedge::Approximate.iri().as_str(),
            "https://w3id.org/eventgraph/ontology#Approximate"
        );
    }

    #[test]
    fn a_violation_is_named_by_the_field_of_the_resource_at_fault() {
        let statement = EntityId::new_random().iri();
        let quantity = EntityId::new_random().iri();
        let entity = EntityId::new_random().iri();
        let roles = vec![
            (statement.clone(), Role::Statement(3)),
            (quantity.clone(), Role::Quantity(4)),
            (
                entity.clone(),
                Role::NewEntity("statements[1].object.new".into()),
            ),
        ];
        let violation = |focus: &NamedNode, path: Option<&str>| Violation {
            focus: focus.as_str().to_owned(),
            path: path.map(str::to_owned),
            component: "MinCountConstraintComponent".into(),
            value: None,
            message: String::new(),
        };
        let cases = [
            (
                violation(&statement, Some(eg::SPEAKER.as_str())),
                "statements[3].speaker",
            ),
            (violation(&statement, None), "statements[3].date"),
            (
                violation(&statement, Some(eg::INTERMEDIARY.as_str())),
                "statements[3].qualifiers.intermediary",
            ),
            (
                violation(&quantity, Some(iri::HEDGE.as_str())),
                "statements[4].object.quantity.hedge",
            ),
            (
                violation(&entity, Some(rdfs::COMMENT.as_str())),
                "statements[1].object.new.description",
            ),
        ];
        for (violation, field) in cases {
            assert_eq!(field_of(&roles, &violation), field, "{violation:?}");
        }
    }
}
