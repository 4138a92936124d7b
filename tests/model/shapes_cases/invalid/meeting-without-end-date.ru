# A meeting with no end date (a warning).
# expect: ekgsh:Meeting-endDateRecommended sh:MinCountConstraintComponent
# message: has no end date
# severity: Warning
DELETE { <event/example-workshop-2021> schema:endDate ?d } WHERE { <event/example-workshop-2021> schema:endDate ?d }
