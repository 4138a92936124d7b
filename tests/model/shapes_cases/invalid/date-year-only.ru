# A record modification date given as a year.
# expect: ekgsh:Dates-datatype sh:OrConstraintComponent
# message: valid xsd:date
# severity: Violation
DELETE { record:example-workshop-2021 dcterms:modified ?d } INSERT { record:example-workshop-2021 dcterms:modified "2026"^^xsd:gYear } WHERE { record:example-workshop-2021 dcterms:modified ?d }
