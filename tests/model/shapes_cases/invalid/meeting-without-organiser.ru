# A meeting with no organiser (a warning).
# expect: ekgsh:Meeting-organizerRecommended sh:MinCountConstraintComponent
# message: has no organiser
# severity: Warning
DELETE { <event/example-workshop-2021> schema:organizer ?o } WHERE { <event/example-workshop-2021> schema:organizer ?o }
