# An event part that is part of nothing.
# expect: ekgsh:EventPart-superEvent sh:MinCountConstraintComponent
# message: which event it is part of
# severity: Violation
DELETE DATA { <event/example-workshop-2021/opening-remarks> schema:superEvent <event/example-workshop-2021> }
