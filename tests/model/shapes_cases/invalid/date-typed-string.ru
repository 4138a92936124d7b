# An end date typed xsd:string.
# expect: ekgsh:Dates-datatype sh:OrConstraintComponent
# message: valid xsd:date
# severity: Violation
DELETE { <event/example-workshop-2021> schema:endDate ?d } INSERT { <event/example-workshop-2021> schema:endDate "2021-03-02"^^xsd:string } WHERE { <event/example-workshop-2021> schema:endDate ?d }
