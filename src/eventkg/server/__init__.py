"""The HTTP publisher: SPARQL 1.1 protocol, dereferenceable IRIs, HTML pages, the records API."""
