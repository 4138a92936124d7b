# A supporter participation whose event lacks schema:sponsor.
# expect: ekgsh:Participation-plainTriple
# message: lacks that plain triple
# severity: Violation
DELETE { <event/example-workshop-2021> schema:sponsor <org/example-foundation> . ?a ?p ?o } WHERE { ?a rdf:subject <event/example-workshop-2021> ; rdf:predicate schema:sponsor ; ?p ?o }
