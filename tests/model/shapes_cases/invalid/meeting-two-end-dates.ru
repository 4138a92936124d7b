# A meeting with two end dates.
# expect: ekgsh:Meeting-endDate sh:MaxCountConstraintComponent
# message: at most one end date
# severity: Violation
INSERT DATA { <event/example-workshop-2021> schema:endDate "2021-03-04"^^xsd:date }
