# A start date written as a plain string.
# expect: ekgsh:Dates-datatype sh:OrConstraintComponent
# message: valid xsd:date
# severity: Violation
DELETE { <event/example-workshop-2021> schema:startDate ?d } INSERT { <event/example-workshop-2021> schema:startDate "1 March 2021" } WHERE { <event/example-workshop-2021> schema:startDate ?d }
