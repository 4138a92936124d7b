# An xsd:date that does not exist (30 February).
# expect: ekgsh:Dates-datatype sh:OrConstraintComponent
# message: impossible date
# severity: Violation
DELETE { <document/example-workshop-2021-03-03> schema:dateCreated ?d } INSERT { <document/example-workshop-2021-03-03> schema:dateCreated "2021-02-30"^^xsd:date } WHERE { <document/example-workshop-2021-03-03> schema:dateCreated ?d }
