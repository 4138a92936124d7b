# A record IRI outside https://w3id.org/eventkg/record/.
# expect: ekgsh:RecordShape sh:PatternConstraintComponent
# message: record/SLUG
# severity: Violation
DELETE { record:example-workshop-2021 ?p ?o } INSERT { <https://example.org/records/1> ?p ?o } WHERE { record:example-workshop-2021 ?p ?o }
