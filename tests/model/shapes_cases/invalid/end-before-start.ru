# An end date before the start date.
# expect: ekgsh:Event-dateOrder sh:LessThanOrEqualsConstraintComponent
# message: ends before it starts
# severity: Violation
DELETE { <event/example-workshop-2021> schema:endDate ?d } INSERT { <event/example-workshop-2021> schema:endDate "2021-02-28"^^xsd:date } WHERE { <event/example-workshop-2021> schema:endDate ?d }
