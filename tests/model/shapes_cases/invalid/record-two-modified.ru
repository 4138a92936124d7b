# A record with two modification dates.
# expect: ekgsh:Record-modified sh:MaxCountConstraintComponent
# message: exactly one modification date
# severity: Violation
INSERT DATA { record:example-workshop-2021 dcterms:modified "2020-01-01"^^xsd:date }
