//! Checks of a request's shape before anything parses it: nesting depth, text length, the
//! length of literals and IRIs, UTF-8, and XML entity declarations.
//!
//! Oxigraph's parsers recurse once per nesting level (SPARQL groups and expressions, RDF/XML
//! elements) or expand what a document declares (XML entities): a body a few kilobytes long
//! can overflow a thread's stack or fill the memory. These checks are one linear pass over the
//! bytes, without allocation, and say where the input breaks a limit ([`LimitError`], with a
//! 1-based line and column). They do not validate syntax — the parsers do — and they count
//! conservatively: a bracket inside an IRI may count as nesting. The limits themselves are
//! [`InputLimits`], set by `serve`'s flags; the command line is trusted and not checked.

use crate::config::InputLimits;

/// A 1-based line and column (in characters) in a request's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct InputPosition {
    /// Line, starting at 1.
    pub line: u64,
    /// Column in characters, starting at 1.
    pub column: u64,
}

/// A limit an input breaks, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitError {
    /// Brackets, blank nodes, collections, JSON values or XML elements nest too deep.
    #[error(
        "the {what} nests deeper than {limit} levels at line {}, column {} (the server's --max-nesting-depth)",
        position.line, position.column
    )]
    TooDeep {
        /// What nests: "query", "Turtle document", ...
        what: &'static str,
        /// The limit.
        limit: usize,
        /// Where the level past the limit opens.
        position: InputPosition,
    },
    /// Operators (`UNION`, `OPTIONAL`, joins of groups, `+`, `||`, path `/`) chain deeper
    /// than allowed.
    #[error(
        "the {what}'s operators nest {depth} deep, more than the {limit} this server evaluates (five times --max-nesting-depth); split a long chain of UNION, OPTIONAL, `/` or `+`"
    )]
    TooDeepAlgebra {
        /// "query" or "update".
        what: &'static str,
        /// How deep they nest.
        depth: usize,
        /// The limit.
        limit: usize,
    },
    /// The query or update text is longer than allowed.
    #[error(
        "the {what} is {length} bytes long, more than the {limit} bytes this server accepts (--max-query-bytes)"
    )]
    TooLong {
        /// "query" or "update".
        what: &'static str,
        /// The text's length in bytes.
        length: usize,
        /// The limit.
        limit: usize,
    },
    /// A literal is longer than allowed.
    #[error(
        "a literal starting at line {}, column {} is longer than {limit} bytes (--max-literal-bytes)",
        position.line, position.column
    )]
    LiteralTooLong {
        /// The limit.
        limit: usize,
        /// Where the literal starts.
        position: InputPosition,
    },
    /// An IRI or a prefixed name is longer than allowed.
    #[error(
        "an IRI or name starting at line {}, column {} is longer than {limit} bytes (--max-iri-bytes)",
        position.line, position.column
    )]
    IriTooLong {
        /// The limit.
        limit: usize,
        /// Where the IRI starts.
        position: InputPosition,
    },
    /// The query or update has more triple patterns than allowed.
    #[error(
        "the {what} has {count} triple patterns, more than the {limit} this server evaluates (--max-triple-patterns)"
    )]
    TooManyTriplePatterns {
        /// "query" or "update".
        what: &'static str,
        /// How many it has (counted up to the first one past the limit).
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// The bytes are not UTF-8.
    #[error("the {what} is not UTF-8: invalid byte at line {}, column {}", position.line, position.column)]
    InvalidUtf8 {
        /// "body", "query", ...
        what: &'static str,
        /// Where the first invalid byte is.
        position: InputPosition,
    },
    /// An XML document declares entities (or a DTD), which RDF/XML does not need and which
    /// expand without bound ("billion laughs").
    #[error(
        "the RDF/XML document declares a DTD or entities at line {}, column {}; this server does not expand XML entities",
        position.line, position.column
    )]
    XmlDoctype {
        /// Where the `<!DOCTYPE` or `<!ENTITY` starts.
        position: InputPosition,
    },
}

impl LimitError {
    /// Where in the input the limit is broken, when that is a place.
    pub fn position(&self) -> Option<InputPosition> {
        match self {
            Self::TooDeep { position, .. }
            | Self::LiteralTooLong { position, .. }
            | Self::IriTooLong { position, .. }
            | Self::InvalidUtf8 { position, .. }
            | Self::XmlDoctype { position } => Some(*position),
            Self::TooLong { .. }
            | Self::TooManyTriplePatterns { .. }
            | Self::TooDeepAlgebra { .. } => None,
        }
    }
}

/// The syntax family a document is scanned as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// SPARQL query or update text.
    Sparql,
    /// Turtle, TriG, N-Triples or N-Quads.
    Turtle,
    /// JSON (JSON-LD).
    Json,
    /// RDF/XML.
    Xml,
}

/// Checks `bytes` in `syntax` against `limits`; `what` names the input in messages.
///
/// # Errors
/// The first limit the input breaks, with its position.
pub fn check(
    syntax: Syntax,
    what: &'static str,
    bytes: &[u8],
    limits: &InputLimits,
) -> Result<(), LimitError> {
    let text = std::str::from_utf8(bytes).map_err(|e| LimitError::InvalidUtf8 {
        what,
        position: position_at(bytes, e.valid_up_to()),
    })?;
    match syntax {
        Syntax::Sparql | Syntax::Turtle => Scanner::new(text, what, limits).turtle(),
        Syntax::Json => Scanner::new(text, what, limits).json(),
        Syntax::Xml => Scanner::new(text, what, limits).xml(),
    }
}

/// Checks a query or update text: its length first, then as [`check`] does.
///
/// # Errors
/// [`LimitError::TooLong`], or what [`check`] finds.
pub fn check_sparql(
    what: &'static str,
    text: &str,
    limits: &InputLimits,
) -> Result<(), LimitError> {
    if text.len() > limits.max_query_bytes {
        return Err(LimitError::TooLong {
            what,
            length: text.len(),
            limit: limits.max_query_bytes,
        });
    }
    Scanner::new(text, what, limits).turtle()
}

/// The line and column of byte `offset` of `bytes` (valid UTF-8 up to there).
fn position_at(bytes: &[u8], offset: usize) -> InputPosition {
    let before = String::from_utf8_lossy(&bytes[..offset.min(bytes.len())]);
    let line = before.matches('\n').count() as u64 + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() as u64 + 1;
    InputPosition { line, column }
}

/// One pass over a text, tracking the line and column.
struct Scanner<'t> {
    text: &'t str,
    /// Byte offset of the next character.
    at: usize,
    line: u64,
    column: u64,
    what: &'static str,
    limits: &'t InputLimits,
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str, what: &'static str, limits: &'t InputLimits) -> Self {
        Self {
            text,
            at: 0,
            line: 1,
            column: 1,
            what,
            limits,
        }
    }

    fn position(&self) -> InputPosition {
        InputPosition {
            line: self.line,
            column: self.column,
        }
    }

    fn peek(&self) -> Option<char> {
        self.text[self.at..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn rest_starts_with(&self, prefix: &str) -> bool {
        self.text[self.at..].starts_with(prefix)
    }

    fn too_deep(&self, position: InputPosition) -> LimitError {
        LimitError::TooDeep {
            what: self.what,
            limit: self.limits.max_nesting_depth,
            position,
        }
    }

    /// SPARQL and the Turtle family: brackets outside strings, IRIs and comments; the length
    /// of strings, IRIs and names.
    fn turtle(mut self) -> Result<(), LimitError> {
        let mut depth = 0_usize;
        while let Some(c) = self.peek() {
            let start = self.position();
            match c {
                '{' | '(' | '[' => {
                    self.bump();
                    depth += 1;
                    if depth > self.limits.max_nesting_depth {
                        return Err(self.too_deep(start));
                    }
                }
                '}' | ')' | ']' => {
                    self.bump();
                    depth = depth.saturating_sub(1);
                }
                '#' => {
                    while let Some(c) = self.bump() {
                        if c == '\n' {
                            break;
                        }
                    }
                }
                '"' | '\'' => self.string(c)?,
                '<' => self.iri()?,
                c if c.is_whitespace() || ",;.".contains(c) => {
                    self.bump();
                }
                _ => self.name()?,
            }
        }
        Ok(())
    }

    /// A string literal, short or long (`"""`), with escapes.
    fn string(&mut self, quote: char) -> Result<(), LimitError> {
        let start = self.position();
        let begin = self.at;
        let triple: String = std::iter::repeat_n(quote, 3).collect();
        let long = self.rest_starts_with(&triple);
        for _ in 0..if long { 3 } else { 1 } {
            self.bump();
        }
        loop {
            if self.at - begin > self.limits.max_literal_bytes {
                return Err(LimitError::LiteralTooLong {
                    limit: self.limits.max_literal_bytes,
                    position: start,
                });
            }
            let Some(c) = self.bump() else {
                return Ok(());
            };
            match c {
                '\\' => {
                    self.bump();
                }
                c if c == quote => {
                    if !long {
                        return Ok(());
                    }
                    if self.rest_starts_with(&triple[1..]) {
                        self.bump();
                        self.bump();
                        return Ok(());
                    }
                }
                '\n' if !long => return Ok(()),
                _ => {}
            }
        }
    }

    /// `<...>`: an IRI when it closes before a space or a character IRIs exclude; otherwise
    /// the `<` is an operator.
    fn iri(&mut self) -> Result<(), LimitError> {
        let start = self.position();
        let rest = &self.text[self.at + 1..];
        let end = rest.find(|c: char| {
            c == '>' || c.is_whitespace() || matches!(c, '<' | '"' | '{' | '}' | '|' | '^' | '`')
        });
        self.bump();
        if let Some(end) = end {
            if rest[end..].starts_with('>') {
                if end > self.limits.max_iri_bytes {
                    return Err(LimitError::IriTooLong {
                        limit: self.limits.max_iri_bytes,
                        position: start,
                    });
                }
                for _ in rest[..=end].chars() {
                    self.bump();
                }
            }
        }
        Ok(())
    }

    /// A run of other characters: a prefixed name, a variable, a keyword, a number.
    fn name(&mut self) -> Result<(), LimitError> {
        let start = self.position();
        let begin = self.at;
        while let Some(c) = self.peek() {
            // Operators end a name too, so that `1+1+…` is many short tokens.
            if c.is_whitespace() || "{}()[]<>\"'#,;+*/=!&|^".contains(c) {
                break;
            }
            self.bump();
            if c == '\\' {
                // An escaped character of a local name (`ex:a\+b`).
                self.bump();
            }
            if self.at - begin > self.limits.max_iri_bytes {
                return Err(LimitError::IriTooLong {
                    limit: self.limits.max_iri_bytes,
                    position: start,
                });
            }
        }
        if self.at == begin {
            self.bump();
        }
        Ok(())
    }

    /// JSON: arrays and objects outside strings; the length of strings.
    fn json(mut self) -> Result<(), LimitError> {
        let mut depth = 0_usize;
        while let Some(c) = self.peek() {
            let start = self.position();
            match c {
                '{' | '[' => {
                    self.bump();
                    depth += 1;
                    if depth > self.limits.max_nesting_depth {
                        return Err(self.too_deep(start));
                    }
                }
                '}' | ']' => {
                    self.bump();
                    depth = depth.saturating_sub(1);
                }
                '"' => {
                    let begin = self.at;
                    self.bump();
                    while let Some(c) = self.bump() {
                        match c {
                            '\\' => {
                                self.bump();
                            }
                            '"' => break,
                            _ => {}
                        }
                        // An IRI or a literal: both are JSON strings in JSON-LD.
                        if self.at - begin > self.limits.max_literal_bytes {
                            return Err(LimitError::LiteralTooLong {
                                limit: self.limits.max_literal_bytes,
                                position: start,
                            });
                        }
                    }
                }
                _ => {
                    self.bump();
                }
            }
        }
        Ok(())
    }

    /// XML: element depth, no DTD or entity declarations, the length of text and attributes.
    fn xml(mut self) -> Result<(), LimitError> {
        let mut depth = 0_usize;
        let mut run_start = self.position();
        let mut run = 0_usize;
        while let Some(c) = self.peek() {
            let start = self.position();
            if c != '<' {
                if run == 0 {
                    run_start = start;
                }
                run += c.len_utf8();
                if run > self.limits.max_literal_bytes {
                    return Err(LimitError::LiteralTooLong {
                        limit: self.limits.max_literal_bytes,
                        position: run_start,
                    });
                }
                self.bump();
                continue;
            }
            run = 0;
            if self.rest_starts_with("<!--") {
                self.skip_past("-->");
            } else if self.rest_starts_with("<![CDATA[") {
                let begin = self.at;
                self.skip_past("]]>");
                if self.at - begin > self.limits.max_literal_bytes {
                    return Err(LimitError::LiteralTooLong {
                        limit: self.limits.max_literal_bytes,
                        position: start,
                    });
                }
            } else if self.rest_starts_with("<!") {
                return Err(LimitError::XmlDoctype { position: start });
            } else if self.rest_starts_with("<?") {
                self.skip_past("?>");
            } else if self.rest_starts_with("</") {
                self.skip_past(">");
                depth = depth.saturating_sub(1);
            } else {
                let begin = self.at;
                let mut quote = None;
                let mut self_closing = false;
                let mut previous = '<';
                self.bump();
                while let Some(c) = self.bump() {
                    match (quote, c) {
                        (None, '"' | '\'') => quote = Some(c),
                        (Some(q), c) if c == q => quote = None,
                        (None, '>') => {
                            self_closing = previous == '/';
                            break;
                        }
                        _ => {}
                    }
                    previous = c;
                    if self.at - begin > self.limits.max_literal_bytes {
                        return Err(LimitError::LiteralTooLong {
                            limit: self.limits.max_literal_bytes,
                            position: start,
                        });
                    }
                }
                if !self_closing {
                    depth += 1;
                    if depth > self.limits.max_nesting_depth {
                        return Err(self.too_deep(start));
                    }
                }
            }
        }
        Ok(())
    }

    /// Moves past the next `end`, or to the end of the text.
    fn skip_past(&mut self, end: &str) {
        match self.text[self.at..].find(end) {
            Some(found) => {
                let stop = self.at + found + end.len();
                while self.at < stop {
                    self.bump();
                }
            }
            None => while self.bump().is_some() {},
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> InputLimits {
        InputLimits {
            max_nesting_depth: 3,
            max_query_bytes: 1000,
            max_triple_patterns: 10,
            max_literal_bytes: 10,
            max_iri_bytes: 12,
        }
    }

    #[test]
    fn nesting_counts_brackets_outside_strings_iris_and_comments() {
        let ok = "SELECT * { { ?s ?p \"{{{{\" . # {{{{\n FILTER(?o < 3) } }";
        assert_eq!(check_sparql("query", ok, &limits()), Ok(()));
        let Err(LimitError::TooDeep { position, .. }) =
            check_sparql("query", "ASK {\n { { {} } } }", &limits())
        else {
            panic!("four levels break a limit of three");
        };
        assert_eq!(position, InputPosition { line: 2, column: 6 });
    }

    #[test]
    fn long_literals_iris_and_names_are_refused_where_they_start() {
        assert!(matches!(
            check(
                Syntax::Turtle,
                "body",
                b"<a> <b> \"0123456789ab\" .",
                &limits()
            ),
            Err(LimitError::LiteralTooLong {
                position: InputPosition { line: 1, column: 9 },
                ..
            })
        ));
        assert!(matches!(
            check(
                Syntax::Turtle,
                "body",
                b"<http://example.com/x> <b> 1 .",
                &limits()
            ),
            Err(LimitError::IriTooLong { .. })
        ));
        assert!(matches!(
            check(
                Syntax::Turtle,
                "body",
                b"ex:aaaaaaaaaaaaaaaa <b> 1 .",
                &limits()
            ),
            Err(LimitError::IriTooLong { .. })
        ));
        assert_eq!(
            check(
                Syntax::Turtle,
                "body",
                b"<a> <b> \"\"\"x\ny\"\"\" .",
                &limits()
            ),
            Ok(())
        );
    }

    #[test]
    fn invalid_utf8_is_refused_at_its_line_and_column() {
        assert_eq!(
            check(
                Syntax::Turtle,
                "body",
                b"<a> <b>\n \"\xff\xfe\" .",
                &limits()
            ),
            Err(LimitError::InvalidUtf8 {
                what: "body",
                position: InputPosition { line: 2, column: 3 }
            })
        );
    }

    #[test]
    fn xml_refuses_doctypes_and_deep_elements_and_json_deep_arrays() {
        assert!(matches!(
            check(
                Syntax::Xml,
                "body",
                b"<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"b\">]><x/>",
                &limits()
            ),
            Err(LimitError::XmlDoctype {
                position: InputPosition { line: 2, column: 1 }
            })
        ));
        assert!(matches!(
            check(Syntax::Xml, "body", b"<a><b><c><d/></c></b></a>", &limits()),
            Ok(())
        ));
        assert!(matches!(
            check(
                Syntax::Xml,
                "body",
                b"<a><b><c><d></d></c></b></a>",
                &limits()
            ),
            Err(LimitError::TooDeep { .. })
        ));
        assert!(matches!(
            check(Syntax::Json, "body", b"[[[[1]]]]", &limits()),
            Err(LimitError::TooDeep { .. })
        ));
        assert_eq!(
            check(Syntax::Json, "body", b"[[[\"[[[[\"]]]", &limits()),
            Ok(())
        );
    }
}
