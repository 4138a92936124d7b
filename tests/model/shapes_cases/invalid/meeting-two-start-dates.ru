# A meeting with two start dates.
# expect: ekgsh:Meeting-startDate sh:MaxCountConstraintComponent
# message: exactly one start date
# severity: Violation
INSERT DATA { <event/example-workshop-2021> schema:startDate "2021-02-27"^^xsd:date }
