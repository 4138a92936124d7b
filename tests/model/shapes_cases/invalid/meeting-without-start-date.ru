# A meeting with no start date.
# expect: ekgsh:Meeting-startDate sh:MinCountConstraintComponent
# message: exactly one start date
# severity: Violation
DELETE { <event/example-workshop-2021> schema:startDate ?d } WHERE { <event/example-workshop-2021> schema:startDate ?d }
