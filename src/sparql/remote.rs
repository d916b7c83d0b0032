//! Reaching other servers: `SERVICE` (federated query) and `LOAD <url>`, for allowed hosts only.
//!
//! Both make the server fetch a URL that a client chose, so both are off
//! unless the operator names the hosts they may reach (`--allow-remote-host`).
//! [`RemoteAccess`] is Oxigraph's default service handler: every `SERVICE`
//! call, however deeply nested or computed from a variable, comes through it
//! and is checked at the moment it is made. Redirects are not followed (a
//! redirect could lead to a host that is not allowed), and every request has
//! a time limit. `LOAD` is answered by fetching the document here and
//! inserting its triples in the update's transaction.

use std::io::Read;
use std::time::Duration;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode};
use oxigraph::sparql::results::{
    QueryResultsFormat, QueryResultsParser, ReaderQueryResultsParserOutput,
};
use oxigraph::sparql::{DefaultServiceHandler, QuerySolutionIter};
use oxiri::Iri;
use spargebra::algebra::GraphPattern;

/// Errors of reaching another server.
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// The host is not on the operator's allow-list.
    #[error("{url}: the host is not allowed; the operator allows hosts with --allow-remote-host")]
    HostNotAllowed {
        /// The URL asked for.
        url: String,
    },
    /// The request failed or the answer could not be read.
    #[error("{url}: {message}")]
    Failed {
        /// The URL asked for.
        url: String,
        /// What went wrong.
        message: String,
    },
}

/// Which remote hosts the server may reach, and how long it waits for them.
#[derive(Debug, Clone)]
pub struct RemoteAccess {
    /// Allowed hosts, as `host` or `host:port`; empty allows none.
    allowed_hosts: Vec<String>,
    /// Time limit of one request.
    timeout: Duration,
    /// The largest document `LOAD` reads, in bytes.
    max_bytes: u64,
}

impl RemoteAccess {
    /// Access to `allowed_hosts` only (none when empty).
    pub fn new(allowed_hosts: Vec<String>, timeout: Duration, max_bytes: u64) -> Self {
        Self {
            allowed_hosts: allowed_hosts
                .into_iter()
                .map(|h| h.to_ascii_lowercase())
                .collect(),
            timeout,
            max_bytes,
        }
    }

    /// Access to nothing.
    pub fn none() -> Self {
        Self::new(Vec::new(), Duration::from_secs(30), 0)
    }

    /// Whether any host is allowed.
    pub fn allows_any(&self) -> bool {
        !self.allowed_hosts.is_empty()
    }

    /// Checks that `url` is an http(s) URL on an allowed host.
    ///
    /// # Errors
    /// [`RemoteError::HostNotAllowed`] otherwise.
    pub fn check(&self, url: &str) -> Result<(), RemoteError> {
        let refused = || RemoteError::HostNotAllowed {
            url: url.to_owned(),
        };
        let iri = Iri::parse(url).map_err(|_| refused())?;
        if !matches!(iri.scheme(), "http" | "https") {
            return Err(refused());
        }
        let authority = iri.authority().unwrap_or_default().to_ascii_lowercase();
        let host_port = authority.rsplit('@').next().unwrap_or_default();
        let host = match host_port.rsplit_once(':') {
            Some((host, port)) if port.chars().all(|c| c.is_ascii_digit()) => host,
            _ => host_port,
        };
        if self
            .allowed_hosts
            .iter()
            .any(|allowed| allowed == host || allowed == host_port)
        {
            Ok(())
        } else {
            Err(refused())
        }
    }

    fn agent(&self) -> ureq::Agent {
        ureq::Agent::config_builder()
            .timeout_global(Some(self.timeout))
            .max_redirects(0)
            .http_status_as_error(true)
            .build()
            .new_agent()
    }

    /// Fetches the RDF document at `url` (an allowed host) and returns its triples in `graph`.
    ///
    /// # Errors
    /// [`RemoteError::HostNotAllowed`], or [`RemoteError::Failed`] when the request fails, the
    /// media type is not RDF, or the document does not parse.
    pub fn fetch_graph(
        &self,
        url: &NamedNode,
        graph: &GraphName,
    ) -> Result<Vec<oxigraph::model::Quad>, RemoteError> {
        self.check(url.as_str())?;
        let failed = |message: String| RemoteError::Failed {
            url: url.as_str().to_owned(),
            message,
        };
        let mut response = self
            .agent()
            .get(url.as_str())
            .header(
                "Accept",
                "text/turtle, application/n-triples;q=0.9, application/rdf+xml;q=0.8, application/ld+json;q=0.7",
            )
            .call()
            .map_err(|e| failed(e.to_string()))?;
        let content_type = media_type(&response);
        let format =
            RdfFormat::from_media_type(content_type.split(';').next().unwrap_or_default().trim())
                .ok_or_else(|| failed(format!("'{content_type}' is not an RDF media type")))?;
        let body = response
            .body_mut()
            .with_config()
            .limit(self.max_bytes)
            .read_to_vec()
            .map_err(|e| failed(e.to_string()))?;
        RdfParser::from_format(format)
            .rename_blank_nodes()
            .without_named_graphs()
            .with_default_graph(graph.clone())
            .with_base_iri(url.as_str())
            .map_err(|e| failed(e.to_string()))?
            .for_slice(&body)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| failed(e.to_string()))
    }
}

impl DefaultServiceHandler for RemoteAccess {
    type Error = RemoteError;

    fn handle(
        &self,
        service_name: &NamedNode,
        pattern: &GraphPattern,
        base_iri: Option<&Iri<String>>,
    ) -> Result<QuerySolutionIter<'static>, RemoteError> {
        self.check(service_name.as_str())?;
        let failed = |message: String| RemoteError::Failed {
            url: service_name.as_str().to_owned(),
            message,
        };
        let query = spargebra::Query::Select {
            dataset: None,
            pattern: pattern.clone(),
            base_iri: base_iri.cloned(),
        };
        let response = self
            .agent()
            .post(service_name.as_str())
            .header(
                "Accept",
                "application/sparql-results+json, application/sparql-results+xml;q=0.9",
            )
            .header("Content-Type", "application/sparql-query; charset=utf-8")
            .send(query.to_string())
            .map_err(|e| failed(e.to_string()))?;
        let content_type = media_type(&response);
        let format = QueryResultsFormat::from_media_type(
            content_type.split(';').next().unwrap_or_default().trim(),
        )
        .ok_or_else(|| {
            failed(format!(
                "'{content_type}' is not a SPARQL results media type"
            ))
        })?;
        let reader: Box<dyn Read> = Box::new(response.into_body().into_reader());
        match QueryResultsParser::from_format(format)
            .for_reader(reader)
            .map_err(|e| failed(e.to_string()))?
        {
            ReaderQueryResultsParserOutput::Solutions(solutions) => Ok(solutions.into()),
            ReaderQueryResultsParserOutput::Boolean(_) => {
                Err(failed("the service answered a boolean to a SELECT".into()))
            }
        }
    }
}

/// The `Content-Type` of a response, as sent (parameters included), or empty.
fn media_type(response: &ureq::http::Response<ureq::Body>) -> String {
    response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_on_allowed_hosts_pass() {
        let access = RemoteAccess::new(
            vec!["query.wikidata.org".into(), "127.0.0.1:8080".into()],
            Duration::from_secs(1),
            1,
        );
        // (url, allowed, why)
        let cases = [
            ("https://query.wikidata.org/sparql", true, "an allowed host"),
            (
                "https://QUERY.wikidata.org:443/sparql",
                true,
                "case and an explicit port",
            ),
            (
                "http://127.0.0.1:8080/sparql",
                true,
                "an allowed host and port",
            ),
            (
                "http://127.0.0.1:9090/sparql",
                false,
                "another port of an allowed host",
            ),
            ("https://evil.example/sparql", false, "another host"),
            (
                "https://user@evil.example/?q=query.wikidata.org",
                false,
                "the allowed name elsewhere in the URL",
            ),
            ("file:///etc/passwd", false, "not http"),
        ];
        for (url, allowed, why) in cases {
            assert_eq!(access.check(url).is_ok(), allowed, "{why}: {url}");
        }
        assert!(
            RemoteAccess::none()
                .check("https://query.wikidata.org/sparql")
                .is_err()
        );
    }
}
