# A record that is a blank node, so it cannot name a graph.
# expect: ekgsh:RecordShape sh:NodeKindConstraintComponent
# message: record/SLUG
# severity: Violation
INSERT DATA { [] a ekg:Record ; dcterms:title "Anonymous"@en ; dcterms:license <https://creativecommons.org/licenses/by/4.0/> ; prov:wasDerivedFrom <document/example-workshop-2021-03-03> ; dcterms:modified "2026-11-27"^^xsd:date }
